import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../../../src/core/agent/loop';
import type { AgentEvent } from '../../../../src/core/agent/events';
import { AgentEventSchema } from '../../../../src/core/agent/events';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import { ModelError } from '../../../../src/core/model/errors';
import { defineTool, ToolError } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';

const echo = defineTool({
  name: 'echo',
  description: 'Echo a word',
  kind: 'read',
  schema: z.object({ word: z.string().min(1) }),
  run: async ({ word }) => ({ content: `echo:${word}`, filesChanged: [`${word}.txt`] }),
});

const failing = defineTool({
  name: 'fails',
  description: 'Always fails on purpose',
  kind: 'read',
  schema: z.object({}),
  run: async () => {
    throw new ToolError('nope, on purpose');
  },
});

function collect(): { events: AgentEvent[]; sink: (e: AgentEvent) => void } {
  const events: AgentEvent[] = [];
  return { events, sink: (e) => events.push(e) };
}

describe('runAgent', () => {
  it('completes a text-only turn and emits a valid, ordered event stream', async () => {
    const model = new FakeModelClient([{ text: 'hello there', usage: { inputTokens: 100, outputTokens: 20 } }], 'gpt-4o');
    const { events, sink } = collect();
    const result = await runAgent({ task: 'say hi', system: 'sys', model, tools: new ToolRegistry([echo]), sinks: [sink] });
    expect(result.status).toBe('completed');
    expect(result.output).toBe('hello there');
    expect(result.usage.inputTokens).toBe(100);
    expect(result.usage.totalTokens).toBe(120);
    expect(result.usage.costUsd).toBeCloseTo((100 * 2.5 + 20 * 10) / 1e6, 10);
    expect(events.map((e) => e.type)).toEqual(['run_started', 'model_call_started', 'text_delta', 'model_call_finished', 'usage', 'run_finished']);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const e of events) expect(AgentEventSchema.safeParse(JSON.parse(JSON.stringify(e))).success).toBe(true);
  });

  it('runs tool calls and feeds their results back to the model', async () => {
    const model = new FakeModelClient([{ toolCalls: [{ id: 'c1', name: 'echo', arguments: { word: 'x' } }] }, { text: 'done' }]);
    const { events, sink } = collect();
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([echo]), sinks: [sink] });
    expect(result.status).toBe('completed');
    expect(result.filesChanged).toEqual(['x.txt']);
    const second = model.requests[1]!;
    expect(second.messages.at(-1)).toEqual({ role: 'tool', callId: 'c1', toolName: 'echo', content: 'echo:x', isError: false });
    const finished = events.find((e) => e.type === 'tool_call_finished');
    expect(finished).toMatchObject({ name: 'echo', content: 'echo:x', isError: false });
    expect(events.map((e) => e.type)).toContain('tool_call_proposed');
  });

  it('sends malformed and invalid arguments back as tool errors and keeps going', async () => {
    const model = new FakeModelClient([
      { toolCalls: [{ id: 'a', name: 'echo', arguments: '{"word": ' }] },
      { toolCalls: [{ id: 'b', name: 'echo', arguments: { word: 42 } }] },
      { toolCalls: [{ id: 'c', name: 'nosuch', arguments: {} }, { id: 'd', name: 'fails', arguments: {} }] },
      { text: 'recovered' },
    ]);
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([echo, failing]) });
    expect(result.status).toBe('completed');
    const toolMsgs = model.requests[3]!.messages.filter((m) => m.role === 'tool');
    expect(toolMsgs).toHaveLength(4);
    expect(toolMsgs.every((m) => m.role === 'tool' && m.isError)).toBe(true);
    const [a, b, c, d] = toolMsgs.map((m) => (m.role === 'tool' ? m.content : ''));
    expect(a).toMatch(/not valid JSON/);
    expect(b).toMatch(/Invalid arguments for echo/);
    expect(b).toMatch(/word/);
    expect(c).toMatch(/Unknown tool "nosuch"/);
    expect(d).toBe('nope, on purpose');
  });

  it('stops at max turns with a status that names the limit', async () => {
    const turns = Array.from({ length: 5 }, (_, i) => ({ toolCalls: [{ name: 'echo', arguments: { word: `w${i}` } }] }));
    const result = await runAgent({ task: 't', system: 's', model: new FakeModelClient(turns), tools: new ToolRegistry([echo]), limits: { maxTurns: 2 } });
    expect(result.status).toBe('max_turns');
    expect(result.error).toMatch(/2 model turns/);
  });

  it('stops at max tool calls without running the extra calls', async () => {
    const model = new FakeModelClient([{ toolCalls: [1, 2, 3].map((i) => ({ name: 'echo', arguments: { word: `w${i}` } })) }]);
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([echo]), limits: { maxToolCalls: 2 } });
    expect(result.status).toBe('max_tool_calls');
    expect(result.filesChanged).toEqual(['w1.txt', 'w2.txt']);
  });

  it('stops at max tokens after the call that crossed it', async () => {
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'echo', arguments: { word: 'a' } }], usage: { inputTokens: 600, outputTokens: 10 } },
      { toolCalls: [{ name: 'echo', arguments: { word: 'b' } }], usage: { inputTokens: 600, outputTokens: 10 } },
      { text: 'never' },
    ]);
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([echo]), limits: { maxTokens: 1000 } });
    expect(result.status).toBe('max_tokens');
    expect(result.filesChanged).toEqual(['a.txt']);
    expect(model.requests).toHaveLength(2);
  });

  it('reports a model failure as failed with the error kind', async () => {
    const model = new FakeModelClient([{ error: new ModelError({ kind: 'auth', message: 'key rejected', status: 401 }) }]);
    const { events, sink } = collect();
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([]), sinks: [sink] });
    expect(result.status).toBe('failed');
    expect(events.at(-1)).toMatchObject({ type: 'run_failed', errorKind: 'auth', message: 'key rejected' });
  });

  it('cancels a running model stream and a running tool through the AbortSignal', async () => {
    const controller = new AbortController();
    const model = new FakeModelClient([{ delayMs: 10_000 }]);
    setTimeout(() => controller.abort(), 20);
    const t0 = Date.now();
    const r1 = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([]), signal: controller.signal });
    expect(r1.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2000);

    let toolSawAbort = false;
    const slow = defineTool({
      name: 'slow',
      description: 'waits',
      kind: 'read',
      schema: z.object({}),
      run: (_args, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            toolSawAbort = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const c2 = new AbortController();
    const { events, sink } = collect();
    setTimeout(() => c2.abort(), 20);
    const r2 = await runAgent({ task: 't', system: 's', model: new FakeModelClient([{ toolCalls: [{ name: 'slow', arguments: {} }] }]), tools: new ToolRegistry([slow]), signal: c2.signal, sinks: [sink] });
    expect(r2.status).toBe('cancelled');
    expect(toolSawAbort).toBe(true);
    expect(events.at(-1)?.type).toBe('run_cancelled');
  });

  it('keeps the system prompt and tool specs identical on every turn', async () => {
    const model = new FakeModelClient([{ toolCalls: [{ name: 'echo', arguments: { word: 'a' } }] }, { text: 'ok' }]);
    await runAgent({ task: 't', system: 'stable', model, tools: new ToolRegistry([echo]) });
    expect(JSON.stringify(model.requests[0]!.tools)).toBe(JSON.stringify(model.requests[1]!.tools));
    expect(model.requests[0]!.system).toBe(model.requests[1]!.system);
  });
});
