import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStdioServer } from '../../support/mcpServer/buildStdioServer';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer/server';
import { expectNoStack, runCli } from '../cli/runCli';
import { tempDir } from '../../support/fixtures';

let model: ScriptedServer;
let serverFile: string;

beforeAll(async () => {
  [model, serverFile] = await Promise.all([startScriptedServer(), buildStdioServer()]);
});
afterAll(async () => {
  await model.close();
});

const env = () => ({ AGENT_HARNESS_GATEWAY_URL: `${model.url}/v1`, AGENT_HARNESS_PROTOCOL: 'openai', AGENT_HARNESS_MODEL: 'gpt-4o', AGENT_HARNESS_API_KEY: 'sk-cli-mcp-test-abcdef0123456789' });

/** The tool results the model received, in order (OpenAI wire: role "tool" messages). */
function toolResults(): string[] {
  const last = model.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
  return last.messages.filter((m) => m.role === 'tool').map((m) => m.content);
}

describe('approvals configured in mcp.json', () => {
  it('runs a tool of a server configured "allow" without --yes; its per-tool "ask" and a destructive tool still ask (and are refused)', async () => {
    const root = await tempDir('ah-cli-mcp-approval-');
    await mkdir(path.join(root, '.agent-harness'));
    const calc = { command: process.execPath, args: [serverFile], approval: 'allow', tools: { echo: 'ask' } };
    await writeFile(path.join(root, '.agent-harness', 'mcp.json'), JSON.stringify({ servers: { calc } }));
    model.script([
      { toolCalls: [{ name: 'calc__add', arguments: { a: 1, b: 2 } }] },
      { toolCalls: [{ name: 'calc__echo', arguments: { text: 'x' } }] },
      { toolCalls: [{ name: 'calc__wipe', arguments: {} }] },
      { text: 'done' },
    ]);
    const out = await runCli(['run', '--workspace', root, '--trust-workspace', '--json', 'use calc'], env());
    expectNoStack(out.stderr);
    expect(out.code).toBe(0);
    const [add, echo, wipe] = toolResults();
    expect(add).toBe('3');
    expect(echo).toMatch(/^Not run: the user declined/);
    expect(wipe).toMatch(/^Not run: the user declined/);
  });
});
