import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startScriptedServer } from '../../support/scriptedServer/server';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { runAgent } from '../../../src/core/agent/loop';
import { complete } from '../../../src/core/agent/complete';
import type { AgentEvent } from '../../../src/core/agent/events';
import { isModelError, type ModelError } from '../../../src/core/model/errors';
import { collectResponse, type ModelClient, type Protocol } from '../../../src/core/model/modelClient';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();
beforeEach(() => server.reset());

const KEY = 'sk-test-0123456789abcdef';

function client(protocol: Protocol, model = protocol === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-5'): Promise<ModelClient> {
  const url = protocol === 'openai' ? `${server.url}/v1` : server.url;
  return createModelClient({ url, protocol, model, headers: { 'x-team': 'web' }, sdkMaxRetries: 0 }, KEY);
}

function recordingTool() {
  const seen: string[] = [];
  const tool = defineTool({
    name: 'lookup',
    description: 'Look a word up',
    kind: 'read',
    schema: z.object({ word: z.string(), limit: z.number().int().optional() }),
    run: async ({ word }) => {
      seen.push(word);
      return `definition of ${word}`;
    },
  });
  return { tool, seen };
}

async function failure(p: Promise<unknown>): Promise<ModelError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isModelError(e)) throw new Error(`expected a ModelError, got ${String(e)}`);
  return e;
}

describe.each<Protocol>(['openai', 'anthropic'])('the loop over the %s wire protocol', (protocol) => {
  it('streams text, assembles fragmented tool arguments, runs the tool and sends the result back', async () => {
    server.script([
      { text: 'Let me look that up.', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { word: 'serendipity', limit: 3 } }], usage: { input: 120, output: 30 } },
      { text: 'It means a happy accident.', usage: { input: 200, output: 12, cacheRead: 100 } },
    ]);
    const { tool, seen } = recordingTool();
    const events: AgentEvent[] = [];
    const result = await runAgent({ task: 'define serendipity', system: 'be brief', model: await client(protocol), tools: new ToolRegistry([tool]), sinks: [(e) => events.push(e)] });

    expect(result.status).toBe('completed');
    expect(result.output).toBe('It means a happy accident.');
    expect(seen).toEqual(['serendipity']);
    const text = events.filter((e) => e.type === 'text_delta').map((e) => (e.type === 'text_delta' ? e.text : '')).join('');
    expect(text).toBe('Let me look that up.It means a happy accident.');
    expect(events.filter((e) => e.type === 'text_delta').length).toBeGreaterThan(2);
    const proposed = events.find((e) => e.type === 'tool_call_proposed');
    expect(proposed?.type === 'tool_call_proposed' && JSON.parse(proposed.call.arguments)).toEqual({ word: 'serendipity', limit: 3 });

    // Usage is normalised so the four counters never overlap, on both protocols.
    expect(result.usage).toMatchObject({ inputTokens: 320, outputTokens: 42, cacheReadTokens: 100, totalTokens: 462 });
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.attempts).toBe(2);

    const [first, second] = server.requests;
    expect(first?.headers['x-team']).toBe('web');
    expect(JSON.stringify(first?.headers)).toContain(KEY);
    const body = second?.body as Record<string, unknown>;
    if (protocol === 'openai') {
      const msgs = body.messages as Array<Record<string, unknown>>;
      expect(msgs[0]).toEqual({ role: 'system', content: 'be brief' });
      expect(msgs.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'definition of serendipity' });
      expect(body.stream_options).toEqual({ include_usage: true });
    } else {
      const msgs = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
      expect(body.system).toBe('be brief');
      expect(msgs.at(-1)?.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'call_1', content: 'definition of serendipity' });
      expect(msgs.at(-2)?.content.find((b) => b.type === 'tool_use')).toMatchObject({ id: 'call_1', name: 'lookup', input: { word: 'serendipity', limit: 3 } });
    }
  });

  it('returns malformed tool arguments to the model as a tool error and continues', async () => {
    server.script([
      { toolCalls: [{ id: 'bad_1', name: 'lookup', arguments: '{"word": "x", ' }] },
      { toolCalls: [{ id: 'bad_2', name: 'lookup', arguments: { word: 7 } }] },
      { text: 'fine' },
    ]);
    const { tool, seen } = recordingTool();
    const result = await runAgent({ task: 't', system: 's', model: await client(protocol), tools: new ToolRegistry([tool]) });
    expect(result.status).toBe('completed');
    expect(seen).toEqual([]);
    const last = JSON.stringify(server.requests[2]?.body);
    expect(last).toContain('not valid JSON');
    expect(last).toContain('Invalid arguments for lookup');
  });

  it('never runs a tool call whose stream was cut inside its arguments', async () => {
    server.script([{ fault: 'cut', inToolArguments: true, toolCalls: [{ name: 'lookup', arguments: { word: 'never-complete' } }] }]);
    const { tool, seen } = recordingTool();
    const events: AgentEvent[] = [];
    const result = await runAgent({ task: 't', system: 's', model: await client(protocol), tools: new ToolRegistry([tool]), sinks: [(e) => events.push(e)] });
    expect(result.status).toBe('failed');
    expect(seen).toEqual([]);
    expect(events.some((e) => e.type === 'tool_call_proposed')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'run_failed', errorKind: 'stream_broken' });
  });

  it.each([
    [{ fault: 'status' as const, status: 429, headers: { 'retry-after': '7' } }, 'rate_limited', 7000],
    [{ fault: 'status' as const, status: 429, headers: { 'retry-after-ms': '1500' } }, 'rate_limited', 1500],
    [{ fault: 'status' as const, status: 401 }, 'auth', undefined],
    [{ fault: 'status' as const, status: 500 }, 'server', undefined],
    [{ fault: 'status' as const, status: 529 }, 'overloaded', undefined],
    [{ fault: 'status' as const, status: 400, code: 'context_length_exceeded' }, 'context_too_long', undefined],
    [{ fault: 'status' as const, status: 400, message: 'unknown field' }, 'bad_request', undefined],
    [{ fault: 'html' as const }, 'protocol', undefined],
    [{ fault: 'cut' as const, afterEvents: 2, text: 'partial answer that is cut' }, 'stream_broken', undefined],
    [{ fault: 'malformed' as const, afterEvents: 2, text: 'some text here' }, 'stream_broken', undefined],
    [{ fault: 'sse_error' as const, afterEvents: 2, text: 'some text here' }, 'stream_broken', undefined],
  ])('maps %j to a typed error', async (fault, kind: string, retryAfterMs) => {
    server.script([fault]);
    const model = await client(protocol);
    const err = await failure(collectResponse(model.stream({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] })));
    expect(err.kind).toBe(kind);
    expect(err.retryAfterMs).toBe(retryAfterMs);
    if (err.kind === 'protocol') expect(err.message).toContain(server.url);
    if (err.kind === 'auth') expect(err.message).toMatch(/AGENT_HARNESS_API_KEY/);
    expect(err.message).not.toContain(KEY);
  });

  it('cancels a stalled stream through the AbortSignal', async () => {
    server.script([{ fault: 'stall', afterEvents: 2, text: 'I am about to stall forever' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const t0 = Date.now();
    const result = await runAgent({ task: 't', system: 's', model: await client(protocol), tools: new ToolRegistry([]), signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('returns a validated structured answer through complete()', async () => {
    const Schema = z.object({ verdict: z.enum(['yes', 'no']), reasons: z.array(z.string()) });
    server.script([{ json: { verdict: 'maybe', reasons: [] } }, { json: { verdict: 'yes', reasons: ['tests pass'] } }]);
    const res = await complete({ model: await client(protocol), system: 'judge', user: 'is it good?', outputSchema: Schema, outputName: 'verdict' });
    expect(res.output).toEqual({ verdict: 'yes', reasons: ['tests pass'] });
    expect(res.attempts).toBe(2);
    const body = server.requests[0]?.body as Record<string, unknown>;
    if (protocol === 'openai') expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'verdict' } });
    else expect(body.tool_choice).toEqual({ type: 'tool', name: 'verdict' });
  });
});

describe('an unreachable gateway', () => {
  it.each<Protocol>(['openai', 'anthropic'])('is a network error that names the URL (%s)', async (protocol) => {
    const dead = await startScriptedServer();
    const url = dead.url;
    await dead.close();
    const model = await createModelClient({ url, protocol, model: 'm', sdkMaxRetries: 0 }, undefined);
    const err = await failure(collectResponse(model.stream({ system: '', messages: [{ role: 'user', content: 'hi' }], tools: [] })));
    expect(err.kind).toBe('network');
    expect(err.message).toContain(url);
  });
});

describe('a long run', () => {
  it.each<Protocol>(['openai', 'anthropic'])('does not pile abort listeners on the run signal (%s)', async (protocol) => {
    const turns = Array.from({ length: 15 }, (_, i) => ({ toolCalls: [{ name: 'lookup', arguments: { word: `w${i}` } }] }));
    server.script([...turns, { text: 'done' }]);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const result = await runAgent({ task: 't', system: 's', model: await client(protocol), tools: new ToolRegistry([recordingTool().tool]), signal: controller.signal });
      expect(result.status).toBe('completed');
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
