import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/runCli';
import { tempDir, useScriptedServer } from '../../support/fixtures';

/**
 * The settings the README's gateway table gives, through the real CLI and SDKs: each gateway's URL
 * shape (its path prefix), protocol and headers arrive at the scripted server as that gateway needs.
 */
let workspace: string;
let home: string;

const server = useScriptedServer();
beforeEach(async () => {
  server.reset();
  server.respondWith(() => ({ text: 'ok', usage: { input: 10, output: 2 } }));
  workspace = await tempDir('ah-gw-');
  home = await tempDir('ah-gw-home-');
  await writeFile(path.join(workspace, 'README.md'), '# x\n');
});

interface Shape {
  gateway: string;
  /** The URL as the table gives it, with the scripted server's origin in place of the gateway's. */
  url: (origin: string) => string;
  protocol: 'openai' | 'anthropic';
  model: string;
  key?: string;
  headers?: Record<string, string>;
  path: string;
  expectHeaders: Record<string, string | RegExp>;
  /** The SDK's own choice of header for the key (the Anthropic SDK sends x-api-key or a Bearer token). */
  keyIn?: string[];
}

const SHAPES: Shape[] = [
  { gateway: 'LiteLLM proxy', url: (o) => `${o}/v1`, protocol: 'openai', model: 'gpt-4o', key: 'sk-litellm-virtual-key-0001', headers: { 'x-litellm-tags': 'team-web' }, path: '/v1/chat/completions', expectHeaders: { authorization: 'Bearer sk-litellm-virtual-key-0001', 'x-litellm-tags': 'team-web' } },
  { gateway: 'LiteLLM proxy, Anthropic protocol', url: (o) => o, protocol: 'anthropic', model: 'claude-sonnet-4-5', key: 'sk-litellm-virtual-key-0002', path: '/v1/messages', expectHeaders: { 'anthropic-version': /^\d{4}-\d{2}-\d{2}$/ }, keyIn: ['x-api-key', 'authorization'] },
  { gateway: 'OpenRouter', url: (o) => `${o}/api/v1`, protocol: 'openai', model: 'anthropic/claude-sonnet-4.5', key: 'sk-or-v1-0123456789abcdef', headers: { 'HTTP-Referer': 'https://example.com/agent', 'X-Title': 'Agent Harness' }, path: '/api/v1/chat/completions', expectHeaders: { authorization: 'Bearer sk-or-v1-0123456789abcdef', 'http-referer': 'https://example.com/agent', 'x-title': 'Agent Harness' } },
  { gateway: 'Portkey', url: (o) => `${o}/v1`, protocol: 'openai', model: 'gpt-4o', key: 'sk-provider-key-0123456789', headers: { 'x-portkey-api-key': 'pk-portkey-0123456789', 'x-portkey-provider': 'openai' }, path: '/v1/chat/completions', expectHeaders: { authorization: 'Bearer sk-provider-key-0123456789', 'x-portkey-api-key': 'pk-portkey-0123456789', 'x-portkey-provider': 'openai' } },
  { gateway: 'Ollama', url: (o) => `${o}/v1`, protocol: 'openai', model: 'llama3.1:8b', path: '/v1/chat/completions', expectHeaders: {} },
  { gateway: 'vLLM', url: (o) => `${o}/v1`, protocol: 'openai', model: 'Qwen/Qwen2.5-Coder-7B-Instruct', key: 'token-abc123', path: '/v1/chat/completions', expectHeaders: { authorization: 'Bearer token-abc123' } },
  { gateway: 'a company gateway under a path prefix, with its own auth header', url: (o) => `${o}/llm/openai/v1`, protocol: 'openai', model: 'gpt-4.1', key: 'sk-company-0123456789', headers: { 'x-team': 'web', 'x-cost-center': 'cc-42' }, path: '/llm/openai/v1/chat/completions', expectHeaders: { authorization: 'Bearer sk-company-0123456789', 'x-team': 'web', 'x-cost-center': 'cc-42' } },
];

describe.each(SHAPES)('$gateway', (shape) => {
  it('is reached at its path with its headers, and the answer comes back', async () => {
    const env: Record<string, string> = {
      AGENT_HARNESS_GATEWAY_URL: shape.url(server.url),
      AGENT_HARNESS_PROTOCOL: shape.protocol,
      AGENT_HARNESS_MODEL: shape.model,
      AGENT_HARNESS_HOME: home,
      ...(shape.key ? { AGENT_HARNESS_API_KEY: shape.key } : {}),
      ...(shape.headers ? { AGENT_HARNESS_HEADERS: JSON.stringify(shape.headers) } : {}),
    };
    const out = await runCli(['run', '--workspace', workspace, '--json', 'say ok'], env);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1)!).output).toBe('ok');
    const req = server.requests[0]!;
    expect(req.path).toBe(shape.path);
    expect((req.body as { model: string }).model).toBe(shape.model);
    for (const [h, want] of Object.entries(shape.expectHeaders)) {
      if (want instanceof RegExp) expect(req.headers[h]).toMatch(want);
      else expect(req.headers[h], h).toBe(want);
    }
    if (shape.keyIn) expect(shape.keyIn.some((h) => (req.headers[h] ?? '').includes(shape.key!))).toBe(true);
    // No key: no Authorization header made up (Ollama needs none).
    if (!shape.key) expect(req.headers.authorization ?? '').not.toMatch(/Bearer sk-/);
    // Keys and secret header values never land in the state folder.
    for (const secret of [shape.key, ...Object.values(shape.headers ?? {}).filter((v) => /^(sk|pk)-/.test(v))].filter(Boolean)) expect(out.stdout + out.stderr).not.toContain(secret!);
  });
});
