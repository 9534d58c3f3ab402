import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createResilientModelClient, type ModelEndpoint } from '../../../src/adapters/gateway/resilience/createResilientClient';
import { FileBreakerStore } from '../../../src/adapters/gateway/resilience/fileBreakerStore';
import { BreakerRegistry } from '../../../src/core/model/resilience/circuitBreaker';
import type { ModelCallRecord } from '../../../src/core/model/resilience/callRecord';
import { isModelError, type ModelError } from '../../../src/core/model/errors';
import type { ModelStreamEvent, Protocol } from '../../../src/core/model/modelClient';
import { BudgetGuard } from '../../../src/core/model/budgets';
import { runAgent } from '../../../src/core/agent/loop';
import type { AgentEvent } from '../../../src/core/agent/events';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { FakeClock } from '../../support/resilience/fakeClock';
import { tempDir, useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();
let dir: string;
beforeAll(async () => {
  dir = await tempDir('ah-resilience-');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());

const KEY = 'sk-test-resilience-0123456789';
const request = { system: 'sys', messages: [{ role: 'user' as const, content: 'hello' }], tools: [] };

function endpoint(protocol: Protocol, model = protocol === 'openai' ? 'gpt-4o' : 'claude-haiku-4-5', key = KEY): ModelEndpoint {
  return { config: { url: protocol === 'openai' ? `${server.url}/v1` : server.url, protocol, model }, apiKey: key };
}

async function build(opts: Partial<Parameters<typeof createResilientModelClient>[0]> = {}) {
  const clock = new FakeClock();
  const records: ModelCallRecord[] = [];
  const client = await createResilientModelClient({
    primary: endpoint('openai'),
    clock,
    retry: { maxAttempts: 3, baseDelayMs: 1000, maxRetryAfterMs: 30_000 },
    onCall: (r) => records.push(r),
    ...opts,
  });
  return { client, clock, records };
}

async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<{ events: ModelStreamEvent[]; error?: ModelError | Error }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const ev of stream) events.push(ev);
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

describe.each<Protocol>(['openai', 'anthropic'])('resilience over the %s wire', (protocol) => {
  it('one retry layer: a server that always fails sees exactly maxAttempts requests', async () => {
    server.respondWith(() => ({ fault: 'status', status: 500 }));
    const { client, records } = await build({ primary: endpoint(protocol) });
    const { error } = await drain(client.stream(request));
    expect(isModelError(error) && error.kind).toBe('server');
    expect(server.requests).toHaveLength(3);
    expect(records.map((r) => r.outcome)).toEqual(['server', 'server', 'server']);
  });

  it('429 with a short retry-after: waits exactly that long, then answers', async () => {
    server.script([{ fault: 'status', status: 429, headers: { 'retry-after': '2' } }, { text: 'ok now' }]);
    const { client, clock } = await build({ primary: endpoint(protocol) });
    const { events, error } = await drain(client.stream(request));
    expect(error).toBeUndefined();
    expect(clock.sleeps).toEqual([2000]);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ attempt: 2, delayMs: 2000 }]);
  });

  it('429 with retry-after-ms wins over retry-after', async () => {
    server.script([{ fault: 'status', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } }, { text: 'ok' }]);
    const { client, clock } = await build({ primary: endpoint(protocol) });
    await drain(client.stream(request));
    expect(clock.sleeps).toEqual([1500]);
  });

  it('429 with a very long retry-after: no sleep, the call moves to the fallback on the other protocol', async () => {
    const other: Protocol = protocol === 'openai' ? 'anthropic' : 'openai';
    server.script([{ fault: 'status', status: 429, headers: { 'retry-after': '3600' } }, { text: 'answered by the fallback' }]);
    const { client, clock } = await build({ primary: endpoint(protocol), fallbacks: [endpoint(other)] });
    const { events, error } = await drain(client.stream(request));
    expect(error).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
    expect(server.requests.map((r) => r.protocol)).toEqual([protocol, other]);
    const fallbackModel = other === 'openai' ? 'gpt-4o' : 'claude-haiku-4-5';
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ model: fallbackModel, delayMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { model: fallbackModel } });
  });

  it('a malformed retry-after is ignored in favour of backoff', async () => {
    server.script([{ fault: 'status', status: 429, headers: { 'retry-after': 'soon-ish' } }, { text: 'ok' }]);
    const { client, clock } = await build({ primary: endpoint(protocol) });
    await drain(client.stream(request));
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1000);
  });

  it('500 with x-should-retry: false is not retried', async () => {
    server.respondWith(() => ({ fault: 'status', status: 500, headers: { 'x-should-retry': 'false' } }));
    const { client } = await build({ primary: endpoint(protocol) });
    const { error } = await drain(client.stream(request));
    expect(isModelError(error) && error.kind).toBe('server');
    expect(server.requests).toHaveLength(1);
  });

  it('529 opens the breaker, which fails fast, then lets a single half-open probe through', async () => {
    const clock = new FakeClock();
    const breakers = await BreakerRegistry.create({ options: { failureThreshold: 3, openMs: 20_000 }, clock, store: new FileBreakerStore(join(dir, `breakers-${protocol}.json`)) });
    server.respondWith(() => ({ fault: 'status', status: 529 }));
    const { client } = await build({ primary: endpoint(protocol), breakers, clock });
    await drain(client.stream(request));
    expect(server.requests).toHaveLength(3);

    const fast = await drain(client.stream(request));
    expect(server.requests).toHaveLength(3);
    expect(fast.error?.message).toMatch(/circuit breaker is open/);

    // A reloaded window (a new registry on the same file) still fails fast.
    await breakers.flush();
    const reloaded = await BreakerRegistry.create({ options: { failureThreshold: 3, openMs: 20_000 }, clock, store: new FileBreakerStore(join(dir, `breakers-${protocol}.json`)) });
    const again = await build({ primary: endpoint(protocol), breakers: reloaded, clock });
    await drain(again.client.stream(request));
    expect(server.requests).toHaveLength(3);

    clock.advance(20_000);
    server.respondWith(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return { text: 'recovered' };
    });
    const [a, b] = await Promise.all([drain(again.client.stream(request)), drain(again.client.stream(request))]);
    expect(server.requests).toHaveLength(4);
    expect([a.error, b.error].filter(Boolean)).toHaveLength(1);
    expect(reloaded.get(`${protocol}:${protocol === 'openai' ? `${server.url}/v1` : server.url}:${protocol === 'openai' ? 'gpt-4o' : 'claude-haiku-4-5'}`).current()).toBe('closed');
  });

  it('a stream cut inside a tool call\'s arguments is re-issued and the partial call never surfaces', async () => {
    server.script([
      { fault: 'cut', inToolArguments: true, text: 'Writing', toolCalls: [{ id: 'c1', name: 'write_file', arguments: { path: 'a.txt', content: 'x'.repeat(200) } }] },
      { toolCalls: [{ id: 'c2', name: 'write_file', arguments: { path: 'a.txt', content: 'whole' } }] },
    ]);
    const { client } = await build({ primary: endpoint(protocol) });
    const { events, error } = await drain(client.stream(request));
    expect(error).toBeUndefined();
    const calls = events.filter((e) => e.type === 'tool_call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ call: { id: 'c2', arguments: JSON.stringify({ path: 'a.txt', content: 'whole' }) } });
    const types = events.map((e) => e.type);
    expect(types.indexOf('retry')).toBeLessThan(types.indexOf('tool_call'));
  });

  it('a stall past the idle timeout is broken off and re-issued', async () => {
    server.script([{ fault: 'stall', afterEvents: 2, text: 'I will think about it for ever' }, { text: 'fresh answer' }]);
    const { client } = await build({ primary: endpoint(protocol), idleTimeoutMs: 300 });
    const t0 = Date.now();
    const { events, error } = await drain(client.stream(request));
    expect(error).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'stream_broken' });
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { message: { text: 'fresh answer' } } });
  });

  it('an HTML page fails fast, naming the URL', async () => {
    server.respondWith(() => ({ fault: 'html' }));
    const { client } = await build({ primary: endpoint(protocol), fallbacks: [endpoint(protocol, 'other-model')] });
    const { error } = await drain(client.stream(request));
    expect(isModelError(error) && error.kind).toBe('protocol');
    expect(error?.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it('a context-too-long 400 is surfaced as such (for compaction) and never retried', async () => {
    server.respondWith(() => ({ fault: 'status', status: 400, code: 'context_length_exceeded' }));
    const { client } = await build({ primary: endpoint(protocol), fallbacks: [endpoint(protocol, 'bigger-model', 'sk-other-key-0123456789')] });
    const { error } = await drain(client.stream(request));
    expect(isModelError(error) && error.kind).toBe('context_too_long');
    expect(server.requests).toHaveLength(1);
  });

  it('401 asks for a key and never falls back with the same key', async () => {
    server.respondWith(() => ({ fault: 'status', status: 401 }));
    const { client } = await build({ primary: endpoint(protocol), fallbacks: [endpoint(protocol, 'same-key-model')] });
    const { error } = await drain(client.stream(request));
    expect(isModelError(error) && error.kind).toBe('auth');
    expect(error?.message).toMatch(/API key/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('resilience inside a run', () => {
  const echo = defineTool({ name: 'echo', description: 'Echo', kind: 'read', schema: z.object({ word: z.string() }), run: async ({ word }) => `echo ${word}` });

  it('counts every attempt and reports the model that answered last', async () => {
    server.script([
      { fault: 'status', status: 503 },
      { toolCalls: [{ id: 'c1', name: 'echo', arguments: { word: 'a' } }] },
      { fault: 'status', status: 529, headers: { 'x-should-retry': 'false' } },
      { text: 'finished by the fallback' },
    ]);
    const { client } = await build({ fallbacks: [endpoint('anthropic')] });
    const events: AgentEvent[] = [];
    const result = await runAgent({ task: 't', system: 's', model: client, tools: new ToolRegistry([echo]), sinks: [(e) => events.push(e)] });
    expect(result.status).toBe('completed');
    expect(result.attempts).toBe(4);
    expect(server.requests).toHaveLength(4);
    expect(result.model).toBe('claude-haiku-4-5');
    expect(events.filter((e) => e.type === 'model_call_retried').map((e) => e.type === 'model_call_retried' && e.model)).toEqual(['gpt-4o', 'claude-haiku-4-5']);
  });

  it('a budget reached mid-run stops before the next model call, after the tools of the turn ran', async () => {
    server.script([
      { toolCalls: [{ id: 'c1', name: 'echo', arguments: { word: 'a' } }], usage: { input: 3000, output: 100 } },
      { text: 'never reached' },
    ]);
    const budget = new BudgetGuard({ limits: { run: { tokens: 3000 } } });
    const { client, records } = await build({ budget });
    const events: AgentEvent[] = [];
    const result = await runAgent({ task: 't', system: 's', model: client, tools: new ToolRegistry([echo]), sinks: [(e) => events.push(e)] });
    expect(server.requests).toHaveLength(1);
    expect(events.some((e) => e.type === 'tool_call_finished')).toBe(true);
    expect(result.status).toBe('budget_exceeded');
    expect(events.at(-1)?.type).toBe('run_finished');
    expect(result.error).toMatch(/run token budget of 3,000 is reached/);
    expect(records.at(-1)?.outcome).toBe('budget_exceeded');
  });
});
