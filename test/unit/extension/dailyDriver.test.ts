import { describe, expect, it } from 'vitest';
import { attentionNotes, badgeFor } from '../../../src/extension/panel/attention';
import { reducePanel, waitingCount, type PanelAction } from '../../../src/extension/panel/panelReducer';
import { initialPanelState, type PanelState } from '../../../src/shared/panelState';

const run = (actions: PanelAction[], from: PanelState = initialPanelState()) => actions.reduce(reducePanel, from);
const file = (key: string, path: string) => ({ key, path, newFile: false });
const finished = (runId: string): PanelAction => ({
  type: 'run_finished',
  runId,
  seq: 1,
  time: '2026-01-01T00:00:00.000Z',
  result: { status: 'completed', output: 'ok', filesChanged: ['a.ts'], commandsRun: [], skillsUsed: [], usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 1500, costUsd: 0.0123 }, model: 'm', attempts: 1 },
});

describe('pending work is visible (issue 16 item 3)', () => {
  it('a proposed edit in the diff view makes the run wait; deciding it makes it run again; the run end clears it', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 'fix' }, { type: 'pending_changes', files: [file('1', 'src/a.ts')] }]);
    expect(s.status).toBe('waiting');
    expect(waitingCount(s)).toBe(1);
    const decided = reducePanel(s, { type: 'pending_changes', files: [] });
    expect(decided.status).toBe('running');
    const ended = run([{ type: 'pending_changes', files: [file('2', 'b.ts')] }, finished('r1')], s);
    expect(ended.pending).toEqual([]);
    expect(ended.status).toBe('idle');
  });

  it('an approval and a proposed edit both count; one decided leaves the run waiting on the other', () => {
    const s = run([
      { type: 'user_message', id: 'u', text: 'go' },
      { type: 'approval_requested', item: { id: 'a1', title: 'Run this command?', command: 'ls', reasons: [], grantScopes: [] } },
      { type: 'pending_changes', files: [file('1', 'a.ts')] },
    ]);
    expect(waitingCount(s)).toBe(2);
    const one = reducePanel(s, { type: 'approval_resolved', id: 'a1', approved: true });
    expect(one.status).toBe('waiting');
    expect(reducePanel(one, { type: 'pending_changes', files: [] }).status).toBe('running');
  });

  it('a stopping run stays stopping while its prompts are resolved', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 'go' }, { type: 'pending_changes', files: [file('1', 'a.ts')] }, { type: 'stopping' }]);
    expect(reducePanel(s, { type: 'pending_changes', files: [] }).status).toBe('stopping');
  });

  it('a window reload forgets proposals (the diff view ended with the window)', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 'go' }, { type: 'pending_changes', files: [file('1', 'a.ts')] }, { type: 'restored' }]);
    expect(s.pending).toEqual([]);
    expect(s.status).toBe('idle');
  });
});

describe('attention without stealing focus (issue 16 item 6)', () => {
  it('the badge counts what waits and disappears when nothing does', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 'go' }, { type: 'pending_changes', files: [file('1', 'a.ts'), file('2', 'b.ts')] }]);
    expect(badgeFor(s)).toEqual({ value: 2, tooltip: '2 things wait for your decision' });
    expect(badgeFor(reducePanel(s, { type: 'pending_changes', files: [] }))).toBeUndefined();
  });

  it('notes the newest waiting thing once, with the diff key for a proposed edit, and a finished run with its cost', () => {
    const start = run([{ type: 'user_message', id: 'u', text: 'go' }]);
    const withFile = reducePanel(start, { type: 'pending_changes', files: [file('7', 'src/app.ts')] });
    expect(attentionNotes(start, withFile)).toEqual([{ kind: 'waiting', text: 'Approval needed: review the proposed change to src/app.ts', pendingKey: '7' }]);
    // The same state again (a re-render) notes nothing.
    expect(attentionNotes(withFile, withFile)).toEqual([]);
    const cmd = reducePanel(withFile, { type: 'approval_requested', item: { id: 'a', title: 'Run this command?', command: 'npm   test\n--watch', reasons: [], grantScopes: [] } });
    expect(attentionNotes(withFile, cmd)).toEqual([{ kind: 'waiting', text: 'Approval needed: run `npm test --watch`' }]);
    const q = reducePanel(start, { type: 'question_asked', item: { id: 'q', question: 'Which framework?', options: [] } });
    expect(attentionNotes(start, q)[0]?.text).toBe('The agent asks: Which framework?');
    const done = reducePanel(start, finished('r9'));
    expect(attentionNotes(start, done)).toEqual([{ kind: 'finished', text: 'Run completed, changed 1 file · 1.5k tokens · $0.01' }]);
  });

  it('a decision (fewer things waiting) is not news', () => {
    const s = run([{ type: 'user_message', id: 'u', text: 'go' }, { type: 'pending_changes', files: [file('1', 'a.ts'), file('2', 'b.ts')] }]);
    expect(attentionNotes(s, reducePanel(s, { type: 'pending_changes', files: [file('2', 'b.ts')] }))).toEqual([]);
  });
});
