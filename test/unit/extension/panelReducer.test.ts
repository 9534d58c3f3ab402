import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventInput } from '../../../src/core/agent/events';
import type { RunResult } from '../../../src/core/agent/runResult';
import { initialPanelState, type PanelState } from '../../../src/shared/panelState';
import { reducePanel, toolId, type PanelAction } from '../../../src/extension/panel/panelReducer';

let seq = 0;
const ev = (e: AgentEventInput, runId = 'r1'): AgentEvent => ({ ...e, runId, seq: seq++, time: '2026-01-01T00:00:00.000Z' }) as AgentEvent;
const usage = (i: number, o: number, cr = 0, cw = 0) => ({ inputTokens: i, outputTokens: o, cacheReadTokens: cr, cacheWriteTokens: cw });
const result = (over: Partial<RunResult> = {}): RunResult => ({
  status: 'completed',
  output: 'done',
  filesChanged: ['a.ts'],
  commandsRun: [],
  skillsUsed: [{ name: 'testing', reason: "trigger 'test' matched" }],
  usage: { ...usage(10, 5), totalTokens: 15, costUsd: 0.01 },
  model: 'm',
  attempts: 1,
  ...over,
});
const run = (actions: PanelAction[], from: PanelState = initialPanelState()) => actions.reduce(reducePanel, from);

describe('reducePanel', () => {
  it('streams text into one assistant item per step and closes it when the step ends', () => {
    const s = run([
      { type: 'user_message', id: 'u1', text: 'hi' },
      ev({ type: 'text_delta', step: 'r1:m0', text: 'Hel' }),
      ev({ type: 'text_delta', step: 'r1:m0', text: 'lo' }),
    ]);
    expect(s.status).toBe('running');
    expect(s.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(s.items[1]).toMatchObject({ text: 'Hello', streaming: true });
    const done = reducePanel(s, ev({ type: 'model_call_finished', step: 'r1:m0', message: { role: 'assistant', text: 'Hello', toolCalls: [] }, stopReason: 'end_turn', model: 'm', latencyMs: 1 }));
    expect(done.items[1]).toMatchObject({ streaming: false });
  });

  it('drops the streamed text of a retried call and notes the retry with the model it goes to', () => {
    const s = run([ev({ type: 'text_delta', step: 'r1:m0', text: 'partial' }), ev({ type: 'model_call_retried', step: 'r1:m0', attempt: 2, reason: 'primary is unavailable (429); trying backup', delayMs: 3000, model: 'backup' })]);
    expect(s.items.some((i) => i.kind === 'assistant')).toBe(false);
    expect(s.items).toEqual([{ kind: 'notice', id: 'retry:r1:m0:2', level: 'info', text: 'Model call attempt 2 goes to backup, in 3 s: primary is unavailable (429); trying backup.' }]);
  });

  it('shows the model that answered in the header and the run summary', () => {
    const s = run([
      ev({ type: 'run_started', task: 't', model: 'primary', protocol: 'openai', profile: 'coder', limits: { maxTurns: 5, maxToolCalls: 5, maxTokens: 100 }, tools: [], skills: [] }),
      ev({ type: 'model_call_finished', step: 'r1:m0', message: { role: 'assistant', text: 'x', toolCalls: [] }, stopReason: 'end_turn', model: 'backup', latencyMs: 1 }),
    ]);
    expect(s.model).toBe('backup');
    const done = reducePanel(s, ev({ type: 'run_finished', result: result({ model: 'backup' }) }));
    expect(done.items.at(-1)).toMatchObject({ kind: 'summary', model: 'backup' });
  });

  it('keeps the offered unfinished runs and the ledger summary', () => {
    const runs = [{ id: 'a', task: 'fix it', status: 'interrupted', started: '2026-01-01T00:00:00.000Z', model: 'm' }];
    const t = { key: 'k', calls: 1, failed: 0, tokens: 10, costUsd: 0.5 };
    const s = run([{ type: 'resumable', runs }, { type: 'usage_summary', summary: { today: t, week: t, byModel: [t], byDay: [t] } }]);
    expect(s.resumable).toEqual(runs);
    expect(s.usageSummary?.week.costUsd).toBe(0.5);
    expect(reducePanel(s, { type: 'resumable', runs: [] }).resumable).toEqual([]);
  });

  it('tracks a tool card from proposal to result with its duration, keyed by run and call id', () => {
    const s = run([
      ev({ type: 'tool_call_proposed', step: 'r1:m0', call: { id: 'c1', name: 'read_file', arguments: '{"path":"a"}' } }),
      ev({ type: 'tool_call_started', step: 'r1:m0', callId: 'c1', name: 'read_file', arguments: '{"path":"a"}' }),
      { type: 'tool_output', runId: 'r1', callId: 'c1', chunk: 'line\n' },
      ev({ type: 'tool_call_finished', step: 'r1:m0', callId: 'c1', name: 'read_file', content: '1 a', isError: false, durationMs: 12, filesChanged: [], commandsRun: [] }),
      // The same provider call id in a later run is a different card.
      ev({ type: 'tool_call_proposed', step: 'r2:m0', call: { id: 'c1', name: 'grep', arguments: '{}' } }, 'r2'),
    ]);
    expect(s.items).toHaveLength(2);
    expect(s.items[0]).toMatchObject({ id: toolId('r1', 'c1'), status: 'done', result: '1 a', durationMs: 12, output: 'line\n' });
    expect(s.items[1]).toMatchObject({ id: toolId('r2', 'c1'), name: 'grep', status: 'proposed' });
  });

  it('keeps run usage from the loop and adds each call to the session, with the context meter', () => {
    const s = run([
      ev({ type: 'usage', step: 'r1:m0', model: 'm', usage: usage(100, 10, 50, 5), costUsd: 0.5, runUsage: usage(100, 10, 50, 5), runCostUsd: 0.5, contextTokens: 165, contextWindow: 1000 }),
      ev({ type: 'usage', step: 'r1:m1', model: 'm', usage: usage(20, 2), costUsd: 0.25, runUsage: usage(120, 12, 50, 5), runCostUsd: 0.75 }),
    ]);
    expect(s.runUsage).toEqual({ input: 120, output: 12, cacheRead: 50, cacheWrite: 5, costUsd: 0.75 });
    expect(s.sessionUsage).toEqual({ input: 120, output: 12, cacheRead: 50, cacheWrite: 5, costUsd: 0.75 });
    expect(s.context).toEqual({ tokens: 165, window: 1000 });
    const next = run([{ type: 'user_message', id: 'u2', text: 'again' }, ev({ type: 'usage', step: 'r2:m0', model: 'm', usage: usage(1, 1), costUsd: 0.1, runUsage: usage(1, 1), runCostUsd: 0.1 }, 'r2')], s);
    expect(next.runUsage.input).toBe(1);
    expect(next.sessionUsage.input).toBe(121);
    expect(next.sessionUsage.costUsd).toBeCloseTo(0.85);
  });

  it('shows the skills of the run and ends with a summary; open prompts expire', () => {
    const s = run([
      ev({ type: 'run_started', task: 't', model: 'm', protocol: 'openai', profile: 'coder', limits: { maxTurns: 5, maxToolCalls: 5, maxTokens: 5 }, tools: [], skills: [{ name: 'debugging', reason: 'why' }] }),
      { type: 'approval_requested', item: { id: 'a1', title: 'Run this command?', command: 'npm test', reasons: ['r'], where: 'container x', grantScopes: [] } },
    ]);
    expect(s.skills).toEqual([{ name: 'debugging', reason: 'why' }]);
    expect(s.status).toBe('waiting');
    const end = reducePanel(s, ev({ type: 'run_finished', result: result() }));
    expect(end.status).toBe('idle');
    expect(end.skills).toEqual([{ name: 'testing', reason: "trigger 'test' matched" }]);
    expect(end.items.find((i) => i.id === 'a1')).toMatchObject({ state: 'expired' });
    expect(end.items.at(-1)).toMatchObject({ kind: 'summary', status: 'completed', filesChanged: ['a.ts'], usage: { input: 10, output: 5, costUsd: 0.01 } });
  });

  it('records approvals and answers, and returns to running when nothing else waits', () => {
    const s = run([
      { type: 'user_message', id: 'u', text: 't' },
      { type: 'approval_requested', item: { id: 'a1', title: 'Run?', reasons: [], grantScopes: ['run'] } },
      { type: 'question_asked', item: { id: 'q1', question: 'Which?', options: ['a', 'b'] } },
      { type: 'approval_resolved', id: 'a1', approved: false, reason: 'too risky' },
    ]);
    expect(s.status).toBe('waiting');
    expect(s.items.find((i) => i.id === 'a1')).toMatchObject({ state: 'rejected', reason: 'too risky' });
    const answered = reducePanel(s, { type: 'question_answered', id: 'q1', answer: 'b' });
    expect(answered.status).toBe('running');
    expect(answered.items.find((i) => i.id === 'q1')).toMatchObject({ state: 'answered', answer: 'b' });
  });

  it('after a reload a run that was in flight is marked stopped, and a new chat clears the conversation but not the session usage', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 't' }, { type: 'question_asked', item: { id: 'q1', question: 'Q?', options: [] } }]);
    const restored = reducePanel(s, { type: 'restored' });
    expect(restored.status).toBe('idle');
    expect(restored.items.find((i) => i.id === 'q1')).toMatchObject({ state: 'expired' });
    expect(restored.items.at(-1)).toMatchObject({ kind: 'notice', level: 'warning' });
    const withUsage = { ...restored, sessionUsage: { input: 5, output: 1, cacheRead: 0, cacheWrite: 0, costUsd: 0 } };
    const fresh = reducePanel(withUsage, { type: 'new_chat', conversationId: 'c2' });
    expect(fresh.items).toEqual([]);
    expect(fresh.sessionUsage.input).toBe(5);
    expect(reducePanel(initialPanelState(), { type: 'restored' })).toEqual(initialPanelState());
  });
});
