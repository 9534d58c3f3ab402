import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelError } from '../../../../../src/core/model/errors';
import type { ModelRequest, ModelStreamEvent } from '../../../../../src/core/model/modelClient';
import { BudgetExceededError, BudgetGuard } from '../../../../../src/core/model/budgets';
import { BreakerRegistry } from '../../../../../src/core/model/resilience/circuitBreaker';
import type { ModelCallRecord } from '../../../../../src/core/model/resilience/callRecord';
import { RateLimiter } from '../../../../../src/core/model/resilience/rateLimiter';
import { ResilientModelClient, type ModelRoute } from '../../../../../src/core/model/resilience/resilientModelClient';
import { runAgent } from '../../../../../src/core/agent/loop';
import { defineTool } from '../../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../../src/core/tools/registry';
import { FakeClock } from '../../../../support/resilience/fakeClock';
import { fail, ScriptedClient } from '../../../../support/resilience/scriptedClient';

const request = { system: 'sys', messages: [{ role: 'user' as const, content: 'hello' }], tools: [] };

async function build(routes: ModelRoute[], extra: Partial<ConstructorParameters<typeof ResilientModelClient>[0]> = {}) {
  const clock = new FakeClock();
  const breakers = await BreakerRegistry.create({ options: { failureThreshold: 3, openMs: 30_000 }, clock });
  const records: ModelCallRecord[] = [];
  const client = new ResilientModelClient({ routes, breakers, clock, random: () => 0.5, onCall: (r) => records.push(r), retry: { maxAttempts: 3, baseDelayMs: 1000 }, ...extra });
  return { client, clock, breakers, records };
}

async function drain(stream: AsyncIterable<ModelStreamEvent>) {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const ev of stream) events.push(ev);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const route = (client: ScriptedClient, credential = 'primary-key'): ModelRoute => ({ client, credential });

describe('ResilientModelClient', () => {
  it('passes a healthy call through untouched and records it', async () => {
    const inner = new ScriptedClient('gpt-4o', [{ text: 'hi' }]);
    const { client, records } = await build([route(inner)]);
    const { events, error } = await drain(client.stream(request));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'response']);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ model: 'gpt-4o', outcome: 'ok', attempt: 1, usage: { inputTokens: 100, outputTokens: 20 } });
    expect(records[0]!.costUsd).toBeCloseTo((100 * 2.5 + 20 * 10) / 1e6, 12);
  });

  it('retries a 500 with jittered backoff and announces each retry before re-issuing', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('server', { status: 500 }) }, { error: fail('server', { status: 500 }) }, { text: 'ok' }]);
    const { client, clock, records } = await build([route(inner)]);
    const { events } = await drain(client.stream(request));
    expect(inner.calls).toBe(3);
    expect(clock.sleeps).toEqual([750, 1500]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', attempt: 2, reason: 'server (HTTP 500)', delayMs: 750, model: 'm' },
      { type: 'retry', attempt: 3, reason: 'server (HTTP 500)', delayMs: 1500, model: 'm' },
    ]);
    expect(records.map((r) => r.outcome)).toEqual(['server', 'server', 'ok']);
  });

  it('a stream broken after text started is announced so the partial text can be dropped', async () => {
    const inner = new ScriptedClient('m', [{ text: 'half an ans', error: fail('stream_broken') }, { text: 'whole answer' }]);
    const { client } = await build([route(inner)]);
    const { events } = await drain(client.stream(request));
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'retry', 'text_delta', 'response']);
  });

  it('honours a short retry-after and sleeps exactly that long', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('rate_limited', { status: 429, retryAfterMs: 2000 }) }, { text: 'ok' }]);
    const { client, clock } = await build([route(inner)]);
    await drain(client.stream(request));
    expect(clock.sleeps).toEqual([2000]);
  });

  it('a retry-after past the cap does not sleep: it falls back at once and holds the model', async () => {
    const primary = new ScriptedClient('primary', [{ error: fail('rate_limited', { status: 429, retryAfterMs: 3_600_000 }) }, { text: 'late' }]);
    const backup = new ScriptedClient('backup', [{ text: 'from backup' }], 'anthropic');
    const { client, clock } = await build([route(primary), route(backup)]);
    const { events } = await drain(client.stream(request));
    expect(clock.sleeps).toEqual([]);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ model: 'backup', attempt: 2, delayMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { model: 'backup' } });
    // The next call skips the held primary without asking it.
    await drain(client.stream(request));
    expect(primary.calls).toBe(1);
    expect(backup.calls).toBe(2);
  });

  it('without a fallback, a retry-after past the cap fails now with a clear message', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('rate_limited', { status: 429, retryAfterMs: 3_600_000 }) }]);
    const { client, clock } = await build([route(inner)]);
    const { error } = await drain(client.stream(request));
    expect(clock.sleeps).toEqual([]);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).kind).toBe('rate_limited');
  });

  it('honours x-should-retry: false', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('server', { status: 500, shouldRetry: false }) }, { text: 'never' }]);
    const { client } = await build([route(inner)]);
    const { error } = await drain(client.stream(request));
    expect(inner.calls).toBe(1);
    expect((error as ModelError).kind).toBe('server');
  });

  it.each(['bad_request', 'context_too_long', 'protocol'] as const)('never retries or falls back on %s', async (kind) => {
    const inner = new ScriptedClient('m', [{ error: fail(kind, { status: 400 }) }]);
    const backup = new ScriptedClient('b', [{ text: 'x' }]);
    const { client } = await build([route(inner), route(backup, 'other-key')]);
    const { error } = await drain(client.stream(request));
    expect((error as ModelError).kind).toBe(kind);
    expect(inner.calls + backup.calls).toBe(1);
  });

  it('an auth failure never falls back with the same key, but may with another', async () => {
    const primary = new ScriptedClient('p', [{ error: fail('auth', { status: 401 }) }]);
    const sameKey = new ScriptedClient('same', [{ text: 'x' }]);
    const otherKey = new ScriptedClient('other', [{ text: 'from other key' }]);
    const { client } = await build([route(primary), route(sameKey), route(otherKey, 'second-key')]);
    const { events } = await drain(client.stream(request));
    expect(sameKey.calls).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { model: 'other' } });

    const only = new ScriptedClient('p', [{ error: fail('auth', { status: 401 }) }]);
    const same = new ScriptedClient('same', [{ text: 'x' }]);
    const second = await build([route(only), route(same)]);
    const res = await drain(second.client.stream(request));
    expect((res.error as ModelError).kind).toBe('auth');
    expect(same.calls).toBe(0);
  });

  it('opens the breaker after repeated failures, fails fast, then lets one probe through', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('overloaded', { status: 529 }) }, { error: fail('overloaded', { status: 529 }) }, { error: fail('overloaded', { status: 529 }) }, { text: 'recovered' }]);
    const { client, clock, breakers, records } = await build([route(inner)]);
    const first = await drain(client.stream(request));
    expect((first.error as ModelError).kind).toBe('overloaded');
    expect(inner.calls).toBe(3);
    expect(breakers.get('openai:m').current()).toBe('open');

    const fast = await drain(client.stream(request));
    expect(inner.calls).toBe(3);
    expect((fast.error as ModelError).message).toContain('circuit breaker is open');
    expect(records.at(-1)?.outcome).toBe('breaker_open');

    clock.advance(30_000);
    const probe = await drain(client.stream(request));
    expect(probe.error).toBeUndefined();
    expect(inner.calls).toBe(4);
    expect(breakers.get('openai:m').current()).toBe('closed');
  });

  it('skips a model whose breaker is open without counting an attempt', async () => {
    const primary = new ScriptedClient('p', [{ text: 'x' }]);
    const backup = new ScriptedClient('b', [{ text: 'y' }]);
    const { client, breakers } = await build([route(primary), route(backup)]);
    breakers.get('openai:p').hold(60_000);
    const { events } = await drain(client.stream(request));
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'response']);
    expect(primary.calls).toBe(0);
  });

  it('when every model is down, reports the failure a model returned rather than an open breaker', async () => {
    const primary = new ScriptedClient('p', [{ error: fail('server', { status: 502 }) }]);
    const backup = new ScriptedClient('b', [{ text: 'x' }]);
    const { client, breakers } = await build([route(primary), route(backup)]);
    breakers.get('openai:b').hold(60_000);
    const { error } = await drain(client.stream(request));
    expect((error as ModelError).kind).toBe('server');
    expect((error as ModelError).message).toBe('server failure (and every fallback model failed or was unavailable)');
    expect(backup.calls).toBe(0);
  });

  it('names the model that failed when it moves on', async () => {
    const a = new ScriptedClient('a', [{ error: fail('server', { status: 500, shouldRetry: false }) }]);
    const b = new ScriptedClient('b', [{ text: 'x' }]);
    const c = new ScriptedClient('c', [{ text: 'from c' }]);
    const { client, breakers } = await build([route(a), route(b), route(c)]);
    breakers.get('openai:b').hold(60_000);
    const { events } = await drain(client.stream(request));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ model: 'c', reason: 'a is unavailable (server (HTTP 500); the gateway said not to retry); trying c' });
  });

  it('stops before a call that would cross a token budget and never calls the model', async () => {
    const inner = new ScriptedClient('m', [{ text: 'x', usage: { inputTokens: 900, outputTokens: 100 } }]);
    const budget = new BudgetGuard({ limits: { run: { tokens: 1500 } } });
    const { client, records } = await build([route(inner)], { budget });
    await drain(client.stream(request));
    expect(budget.spend.run.tokens).toBe(1000);
    const { error } = await drain(client.stream({ ...request, messages: [{ role: 'user', content: 'x'.repeat(4000) }] }));
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).budget).toBe('run_tokens');
    expect(inner.calls).toBe(1);
    expect(records.at(-1)?.outcome).toBe('budget_exceeded');
  });

  it('caps the output of a call to what the token budget has left', async () => {
    const inner = new ScriptedClient('m', [{ text: 'x' }]);
    const budget = new BudgetGuard({ limits: { run: { tokens: 1000 } } });
    const { client } = await build([route(inner)], { budget });
    await drain(client.stream({ ...request, maxOutputTokens: 8000 }));
    expect(inner.requests[0]!.maxOutputTokens).toBeLessThan(1000);
    expect(inner.requests[0]!.maxOutputTokens).toBeGreaterThan(900);
  });

  it('waits for the client-side rate limit instead of sending', async () => {
    const inner = new ScriptedClient('m', [{ text: 'x' }]);
    const clock = new FakeClock();
    const limiter = new RateLimiter({ m: { requestsPerMinute: 2 } }, clock);
    const { client } = await build([route(inner)], { rateLimiter: limiter, clock });
    for (let i = 0; i < 3; i++) await drain(client.stream(request));
    expect(clock.sleeps).toEqual([60_000]);
    expect(inner.calls).toBe(3);
  });

  it('cancellation during backoff ends the call as cancelled without further attempts', async () => {
    const inner = new ScriptedClient('m', [{ error: fail('server', { status: 500 }) }, { text: 'x' }]);
    const controller = new AbortController();
    const clock = new FakeClock();
    clock.sleep = async () => {
      controller.abort();
      throw new ModelError({ kind: 'cancelled', message: 'cancelled' });
    };
    const { client } = await build([route(inner)], { clock });
    const { error } = await drain(client.stream(request, controller.signal));
    expect((error as ModelError).kind).toBe('cancelled');
    expect(inner.calls).toBe(1);
  });

  it('a stream cut because the caller aborted is recorded as cancelled and not retried, whatever the transport called it', async () => {
    const controller = new AbortController();
    // The transport reports the cut as a broken stream (undici says "terminated"), after the abort.
    const inner = new ScriptedClient('m', [{ error: fail('stream_broken') }, { text: 'never asked' }]);
    const original = inner.stream.bind(inner);
    inner.stream = (req: ModelRequest) => {
      controller.abort();
      return original(req);
    };
    const { client, records } = await build([route(inner)]);
    const { error, events } = await drain(client.stream(request, controller.signal));
    expect((error as ModelError).kind).toBe('cancelled');
    expect(inner.calls).toBe(1);
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(records.map((r) => r.outcome)).toEqual(['cancelled']);
  });

  it('inside the loop: attempts counted, answering model reported, budget stop reported', async () => {
    const echo = defineTool({ name: 'echo', description: 'e', kind: 'read', schema: z.object({}), run: async () => ({ content: 'ok' }) });
    const primary = new ScriptedClient('primary', [
      { error: fail('server', { status: 500 }) },
      { toolCalls: [{ id: 'c1', name: 'echo', arguments: '{}' }], usage: { inputTokens: 500 } },
      { error: fail('overloaded', { status: 529, shouldRetry: false }) },
    ]);
    const backup = new ScriptedClient('claude-haiku-4-5', [{ text: 'done by backup' }], 'anthropic');
    const { client } = await build([route(primary), route(backup)]);
    const result = await runAgent({ task: 't', system: 's', model: client, tools: new ToolRegistry([echo]) });
    expect(result.status).toBe('completed');
    expect(result.model).toBe('claude-haiku-4-5');
    expect(result.attempts).toBe(4);
    expect(primary.calls + backup.calls).toBe(4);
  });
});
