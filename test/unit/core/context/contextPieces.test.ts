import { mkdtempSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../../../src/core/agent/loop';
import type { AgentEvent } from '../../../../src/core/agent/events';
import { planCompaction, renderTranscript } from '../../../../src/core/context/compaction';
import { ContextMeter, estimateTokens } from '../../../../src/core/context/contextMeter';
import { LoopDetector } from '../../../../src/core/context/loopDetector';
import { contextWindowFor, DEFAULT_CONTEXT_WINDOW } from '../../../../src/core/context/modelWindows';
import { Spiller } from '../../../../src/core/context/spill';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import type { Message } from '../../../../src/core/model/messages';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { createReadFileTool } from '../../../../src/core/tools/readFile';
import { toolContext } from '../../../support/fixtures';

describe('model windows', () => {
  it('finds a window by exact name, gateway prefix, dated snapshot, user table, or the default', () => {
    expect(contextWindowFor('gpt-4o')).toBe(128_000);
    expect(contextWindowFor('openai/gpt-4o')).toBe(128_000);
    expect(contextWindowFor('claude-sonnet-4-5-20250929')).toBe(200_000);
    expect(contextWindowFor('claude-some-future-model')).toBe(200_000);
    expect(contextWindowFor('my-local-llama')).toBe(DEFAULT_CONTEXT_WINDOW);
    expect(contextWindowFor('my-local-llama', { 'my-local': 32_000 })).toBe(32_000);
    expect(contextWindowFor('gpt-4o', { 'gpt-4o': 64_000 })).toBe(64_000);
  });
});

describe('context meter', () => {
  const msgs: Message[] = [
    { role: 'user', content: 'task' },
    { role: 'assistant', text: '', toolCalls: [{ id: 'a', name: 'x', arguments: '{}' }] },
  ];
  it('estimates everything before the first call, then uses the provider count plus an estimate of what was appended', () => {
    const meter = new ContextMeter('system prompt', []);
    expect(meter.current(msgs)).toBe(estimateTokens('system prompt') + estimateTokens([]) + msgs.reduce((n, m) => n + estimateTokens(m), 0));
    meter.observe({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 50 }, 2);
    expect(meter.current(msgs)).toBe(1170);
    const tool: Message = { role: 'tool', callId: 'a', toolName: 'x', content: 'y'.repeat(400), isError: false };
    expect(meter.current([...msgs, tool])).toBe(1170 + estimateTokens(tool));
    meter.invalidate();
    expect(meter.current(msgs)).toBeLessThan(100);
  });

  it('reports contextTokens and contextWindow on each usage event', async () => {
    const events: AgentEvent[] = [];
    const model = new FakeModelClient([{ text: 'ok', usage: { inputTokens: 300, outputTokens: 7, cacheReadTokens: 40 } }], 'gpt-4o');
    await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry(), sinks: [(e) => events.push(e)] });
    expect(events.find((e) => e.type === 'usage')).toMatchObject({ contextTokens: 347, contextWindow: 128_000 });
  });
});

describe('compaction plan', () => {
  function conversation(turns: number): Message[] {
    const out: Message[] = [{ role: 'user', content: 'task' }];
    for (let i = 0; i < turns; i++) {
      out.push({ role: 'assistant', text: `t${i}`, toolCalls: [{ id: `c${i}a`, name: 'x', arguments: '{}' }, { id: `c${i}b`, name: 'x', arguments: '{}' }] });
      out.push({ role: 'tool', callId: `c${i}a`, toolName: 'x', content: 'r', isError: false });
      out.push({ role: 'tool', callId: `c${i}b`, toolName: 'x', content: 'r', isError: false });
    }
    return out;
  }

  it('keeps the last turns verbatim and never separates a tool call from its results', () => {
    for (let turns = 1; turns <= 8; turns++) {
      for (let keep = 0; keep <= 5; keep++) {
        const plan = planCompaction(conversation(turns), 100_000, keep);
        if (!plan) continue;
        const first = plan.kept[0];
        if (first) expect(first.role).toBe('assistant');
        const callIds = new Set(plan.kept.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.id) : [])));
        for (const m of plan.kept) if (m.role === 'tool') expect(callIds.has(m.callId)).toBe(true);
        expect(plan.kept.filter((m) => m.role === 'assistant').length).toBe(Math.min(keep, turns - 1));
      }
    }
  });

  it('keeps fewer turns when the last turns alone would fill half the window', () => {
    const conv = conversation(6);
    const big = conv.map((m) => (m.role === 'tool' ? { ...m, content: 'z'.repeat(8_000) } : m));
    const plan = planCompaction(big, 10_000, 4);
    expect(plan).toBeDefined();
    expect(plan!.kept.reduce((n, m) => n + estimateTokens(m), 0)).toBeLessThanOrEqual(5_000);
  });

  it('caps the transcript for the summariser, keeping its start and its end', () => {
    const text = renderTranscript(conversation(50).map((m) => (m.role === 'tool' ? { ...m, content: 'q'.repeat(5_000) } : m)), 20_000);
    expect(text.length).toBeLessThan(21_000);
    expect(text.startsWith('USER: task')).toBe(true);
    expect(text).toMatch(/t49/);
    expect(text).toMatch(/characters of transcript omitted/);
  });
});

describe('spill', () => {
  it('cuts a large result to head and tail and saves the full text where read_file can read it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'spill-'));
    const spiller = new Spiller({ root, maxChars: 1_000 }, 'run-1');
    const big = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const shown = await spiller.apply({ id: 'call/1', name: 'run_command', arguments: '{}' }, big);
    expect(shown.length).toBeLessThan(1_300);
    expect(shown.startsWith('line 0\nline 1')).toBe(true);
    expect(shown.endsWith('line 499')).toBe(true);
    expect(shown).toMatch(/characters cut from the middle of this result\. The full text \(\d+ characters, 500 lines\) is saved in \.agent-harness\/spill\/run-1\/call_1\.txt: read it with read_file \(use offset and limit, about \d+ lines fit in one result\)/);
    const saved = readFileSync(path.join(root, '.agent-harness/spill/run-1/call_1.txt'), 'utf8');
    expect(saved).toBe(big);
    expect(readFileSync(path.join(root, '.agent-harness/spill/.gitignore'), 'utf8')).toBe('*\n');
    const verdict = await new PathGuard(root).check('.agent-harness/spill/run-1/call_1.txt', 'read');
    expect(verdict.verdict).toBe('allow');
    expect(await spiller.apply({ id: 'small', name: 'x', arguments: '{}' }, 'short')).toBe('short');

    // The model follows the note with the real read_file tool, and a spill file is never spilled again.
    const readFile = createReadFileTool({ guard: new PathGuard(root), root });
    const part = await new ToolRegistry([readFile]).call('read_file', JSON.stringify({ path: '.agent-harness/spill/run-1/call_1.txt', offset: 200, limit: 5 }), toolContext({ callId: 'x' }));
    expect(part.isError).toBe(false);
    expect(part.content).toMatch(/line 199/);
    const again = await spiller.apply({ id: 'again', name: 'read_file', arguments: JSON.stringify({ path: './.agent-harness/spill/run-1/call_1.txt' }) }, big);
    expect(again).toMatch(/This is a spill file already: read it in parts with read_file/);
    expect(() => readFileSync(path.join(root, '.agent-harness/spill/run-1/again.txt'))).toThrow();
  });

  it('does not write outside the workspace through a symlinked .agent-harness', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'spill-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    symlinkSync(outside, path.join(root, '.agent-harness'));
    mkdirSync(path.join(outside, 'spill'), { recursive: true });
    const shown = await new Spiller({ root, maxChars: 100 }, 'r').apply({ id: 'c', name: 'run_command', arguments: '{}' }, 'x'.repeat(1_000));
    expect(shown).toMatch(/The full text could not be saved \(.*outside the workspace/);
    expect(() => readFileSync(path.join(outside, 'spill/r/c.txt'))).toThrow();
  });

  it('is applied by the loop before the result reaches the model', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'spill-'));
    const dump = defineTool({ name: 'dump', description: 'd', kind: 'read', schema: z.object({}), run: async () => 'A'.repeat(50_000) });
    const model = new FakeModelClient([{ toolCalls: [{ id: 'd1', name: 'dump', arguments: {} }] }, { text: 'ok' }]);
    await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([dump]), runId: 'rs', spill: { root } });
    const tool = model.requests[1]!.messages.at(-1);
    expect(tool?.role === 'tool' && tool.content.length).toBeLessThan(25_000);
    expect(readFileSync(path.join(root, '.agent-harness/spill/rs/d1.txt'), 'utf8')).toHaveLength(50_000);
  });
});

describe('loop detector', () => {
  it('fires on the third identical call with the same result, whatever the key order', () => {
    const d = new LoopDetector(3);
    expect(d.observe('grep', '{"a":1,"b":2}', 'none', false)).toBeUndefined();
    expect(d.observe('grep', '{"b":2, "a":1}', 'none', false)).toBeUndefined();
    expect(d.observe('grep', '{"a":1,"b":2}', 'other result', false)).toBeUndefined();
    expect(d.observe('grep', '{"a":1,"b":2}', 'none', false)).toMatch(/called grep with the same arguments 3 times and got the same result each time/);
  });

  it('stops the run with status loop_detected and a reason, answering every call', async () => {
    const look = defineTool({ name: 'look', description: 'l', kind: 'read', schema: z.object({ q: z.string() }), run: async () => 'nothing found' });
    const turn = { toolCalls: [{ name: 'look', arguments: { q: 'x' } }] };
    const model = new FakeModelClient([turn, turn, turn, turn, turn]);
    const res = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([look]) });
    expect(res.status).toBe('loop_detected');
    expect(res.error).toMatch(/look with the same arguments 3 times/);
    expect(model.requests).toHaveLength(3);
    const off = await runAgent({ task: 't', system: 's', model: new FakeModelClient([turn, turn, turn, turn, { text: 'gave up' }]), tools: new ToolRegistry([look]), loopRepeats: 0 });
    expect(off.status).toBe('completed');
  });
});

describe('compaction failure', () => {
  it('goes on while the context fits, retries near the edge, and then fails with a clear reason', async () => {
    const read = defineTool({ name: 'read', description: 'r', kind: 'read', schema: z.object({ n: z.number() }), run: async ({ n }) => `${n}:${'w'.repeat(600)}` });
    const call = (n: number) => ({ toolCalls: [{ id: `r${n}`, name: 'read', arguments: { n } }], usage: { inputTokens: 100 + n * 150 } });
    const bad = { text: 'not json' };
    // Window 1000: compaction starts past 800 tokens; the summariser answers garbage every time.
    const model = new FakeModelClient([call(1), call(2), call(3), call(4), bad, bad, call(5), bad, bad, call(6)]);
    const events: AgentEvent[] = [];
    const res = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([read]), context: { window: 1_000, keepTurns: 1 }, sinks: [(e) => events.push(e)] });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/the context is nearly full \(\d+ of 1000 tokens\) and compacting it failed: the model's answer did not match the schema/);
    const summaryAttempts = model.requests.filter((r) => r.output?.name === 'context_summary');
    expect(summaryAttempts).toHaveLength(4);
    // The failed summaries were paid for and are in the run's usage.
    const calls = events.flatMap((e) => (e.type === 'usage' ? [e.usage.inputTokens + e.usage.outputTokens] : []));
    expect(res.usage.totalTokens).toBe(calls.reduce((a, b) => a + b, 0) + 4 * 15);
  });
});
