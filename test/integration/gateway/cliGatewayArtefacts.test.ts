import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { cliBudgets, openCliGateway } from '../../../src/cli/gatewayFlags';
import { resolveBudgets } from '../../../src/core/model/budgetChoice';
import { GatewayConfigSchema } from '../../../src/adapters/gateway/gatewayConfig';
import { runAgent } from '../../../src/core/agent/loop';
import { defineTool, ToolError } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { runUsageCommand } from '../../../src/cli/usageCommand';
import { tempDir, useScriptedServer } from '../../support/fixtures';

const KEY = 'sk-artefact-test-key-9f8e7d6c5b4a';
const server = useScriptedServer();
let home: string;
let collector: Server;
const exported: Array<{ path: string; body: string; type: string | undefined }> = [];
beforeAll(async () => {
  home = await tempDir('ah-artefacts-');
  // A stand-in OpenTelemetry collector that records what it is sent.
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      exported.push({ path: req.url ?? '', body, type: req.headers['content-type'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => collector.close(r));
  await rm(home, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe('a CLI run through the production gateway', () => {
  it('falls back across protocols, writes ledger, trace and breaker state, and no artefact contains the key', async () => {
    const leaky = defineTool({
      name: 'leaky',
      description: 'Fails with a message that contains the key',
      kind: 'read',
      schema: z.object({}),
      run: async () => {
        throw new ToolError(`cannot authenticate with ${KEY}`);
      },
    });
    server.script([
      { fault: 'status', status: 500, message: `upstream rejected Authorization: Bearer ${KEY}` },
      { toolCalls: [{ id: 'c1', name: 'leaky', arguments: {} }], usage: { input: 400, output: 20 } },
      { fault: 'status', status: 429, headers: { 'retry-after': '7200' }, message: `quota for ${KEY} exhausted` },
      { text: `done; your key was ${KEY}`, usage: { input: 500, output: 30 } },
    ]);
    const otlpUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const env = { AGENT_HARNESS_HOME: home, OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } as NodeJS.ProcessEnv;
    const config = GatewayConfigSchema.parse({ url: `${server.url}/v1`, protocol: 'openai', model: 'gpt-4o', headers: { 'x-gateway-token': 'gwtok-1234567890' } });
    const flags = { fallbacks: [{ model: 'claude-haiku-4-5', protocol: 'anthropic' as const }], maxCostUsd: 5 };
    const gateway = await openCliGateway({ config, apiKey: KEY, flags, env });
    const opened = await gateway.openModel({ budgets: resolveBudgets(cliBudgets(flags, env), { builtIn: false }).budgets });
    const result = await runAgent({
      task: `use the key ${KEY} to fix the build`,
      system: 's',
      model: opened.model,
      tools: new ToolRegistry([leaky]),
      profile: 'coder',
      skillsUsed: [{ name: 'testing', reason: 'task mentions tests' }],
      sinks: opened.sinks,
    });
    await gateway.finish();

    expect(result.status).toBe('completed');
    expect(result.model).toBe('claude-haiku-4-5');
    expect(result.attempts).toBe(4);
    expect(server.requests.map((r) => r.protocol)).toEqual(['openai', 'openai', 'openai', 'anthropic']);
    expect(server.requests[3]!.path).toBe('/v1/messages');
    expect(server.requests[3]!.headers.authorization).toBe(`Bearer ${KEY}`);

    const files = await allFiles(home);
    const names = files.map((f) => f.slice(home.length + 1)).sort();
    expect(names).toEqual(['gateway-state.json', expect.stringMatching(/^traces\/.+\.jsonl$/), expect.stringMatching(/^usage\/usage-\d{4}-\d{2}\.jsonl$/)]);
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toContain(KEY);
      expect(text, f).not.toContain('gwtok-1234567890');
    }

    const ledgerFile = files.find((f) => f.includes('/usage/'))!;
    const rows = (await readFile(ledgerFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.outcome)).toEqual(['server', 'ok', 'rate_limited', 'ok']);
    expect(rows[1]).toMatchObject({ step: expect.stringMatching(/:m0$/), profile: 'coder', skills: ['testing'], model: 'gpt-4o', usage: { inputTokens: 400, outputTokens: 20 } });
    expect(rows[3]).toMatchObject({ step: expect.stringMatching(/:m1$/), model: 'claude-haiku-4-5', protocol: 'anthropic', attempt: 2 });
    expect(rows[0].error).toContain('[REDACTED]');

    const traceFile = files.find((f) => f.includes('/traces/'))!;
    expect(gateway.traceFile(rows[0].runId)).toBe(traceFile);
    const trace = (await readFile(traceFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(trace.map((r) => r['agent.step.type'])).toEqual(['model_call', 'model_call', 'tool_call', 'model_call', 'model_call', 'run']);

    // The same steps went to the OpenTelemetry collector as GenAI spans of one trace.
    expect(exported.length).toBeGreaterThan(0);
    expect(exported[0]).toMatchObject({ path: '/v1/traces', type: 'application/json' });
    for (const e of exported) expect(e.body).not.toContain(KEY);
    const spans = exported.flatMap((e) => JSON.parse(e.body).resourceSpans[0].scopeSpans[0].spans);
    expect(spans.map((s: { name: string }) => s.name)).toEqual(['chat gpt-4o', 'chat gpt-4o', 'execute_tool leaky', 'chat gpt-4o', 'chat claude-haiku-4-5', 'invoke_agent coder']);
    expect(new Set(spans.map((s: { traceId: string }) => s.traceId)).size).toBe(1);
    // One run span, the parent of every step.
    const root = spans.at(-1) as { spanId: string; parentSpanId?: string };
    expect(root.parentSpanId).toBeUndefined();
    for (const s of spans.slice(0, -1) as Array<{ parentSpanId: string }>) expect(s.parentSpanId).toBe(root.spanId);

    const state = JSON.parse(await readFile(join(home, 'gateway-state.json'), 'utf8'));
    expect(Object.values(state.breakers)).toContainEqual(expect.objectContaining({ state: 'open' }));

    const out = { text: '', err: '' };
    await runUsageCommand(['--json'], { env, interactive: false, stdout: (t) => void (out.text += t), stderr: (t) => void (out.err += t) });
    const summary = JSON.parse(out.text);
    expect(summary.rows.map((r: { key: string }) => r.key).sort()).toEqual(['claude-haiku-4-5', 'gpt-4o']);
    expect(summary.total.calls).toBe(4);
  });
});
