import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { z } from 'zod';
import { createGatewayServices, createRunGateway } from '../../../src/adapters/gateway/resilience/productionGateway';
import { stateLocation } from '../../../src/adapters/ledger/stateLocation';
import { runAgent } from '../../../src/core/agent/loop';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { tempDir, useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();
let root: string;
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  server.reset();
  if (root) await rm(root, { recursive: true, force: true });
  root = await tempDir('ah-prod-gw-');
});

const KEY = 'sk-prod-gateway-0123456789';
const primary = () => ({ config: { url: `${server.url}/v1`, protocol: 'openai' as const, model: 'gpt-4o' }, apiKey: KEY });
const echo = defineTool({ name: 'echo', description: 'Echo', kind: 'read', schema: z.object({}), run: async () => 'ok' });

describe('production gateway services shared by runs', () => {
  it('a session budget spans runs: the second run stops before its model call', async () => {
    server.respondWith(() => ({ text: 'done', usage: { input: 900, output: 100 } }));
    const services = await createGatewayServices({ location: stateLocation(root), secrets: [KEY] });
    const budgets = { session: { tokens: 1000 } };
    const first = await createRunGateway(services, { primary: primary(), budgets });
    const r1 = await runAgent({ task: 't', system: 's', model: first.model, tools: new ToolRegistry([echo]), sinks: first.sinks });
    expect(r1.status).toBe('completed');
    const second = await createRunGateway(services, { primary: primary(), budgets });
    const r2 = await runAgent({ task: 't', system: 's', model: second.model, tools: new ToolRegistry([echo]), sinks: second.sinks });
    expect(r2.status).toBe('budget_exceeded');
    expect(r2.error).toMatch(/session token budget of 1,000/);
    expect(server.requests).toHaveLength(1);
    await services.flush();
  });

  it('a day budget is seeded from the ledger, so it holds across processes (and only a day budget reads it)', async () => {
    server.respondWith(() => ({ text: 'done', usage: { input: 700, output: 100 } }));
    const before = await createGatewayServices({ location: stateLocation(root), secrets: [KEY] });
    const run = await createRunGateway(before, { primary: primary() });
    await runAgent({ task: 't', system: 's', model: run.model, tools: new ToolRegistry([echo]), sinks: run.sinks });
    await before.flush();

    const after = await createGatewayServices({ location: stateLocation(root), secrets: [KEY] });
    await createRunGateway(after, { primary: primary() });
    // Without a day budget the ledger is not read: nothing counted, no running totals written.
    expect(after.daySpend.tokens).toBe(0);
    expect((await readdir(stateLocation(root).usageDir)).filter((f) => f.endsWith('.totals.json'))).toEqual([]);
    const next = await createRunGateway(after, { primary: primary(), budgets: { day: { tokens: 800 } } });
    expect(after.daySpend.tokens).toBe(800);
    const r = await runAgent({ task: 't', system: 's', model: next.model, tools: new ToolRegistry([echo]), sinks: next.sinks });
    expect(r.status).toBe('budget_exceeded');
    expect(r.error).toMatch(/today's token budget of 800/);
    await after.flush();
  });
});
