import { describe, expect, it } from 'vitest';
import { reducePanel, type PanelAction } from '../../../src/extension/panel/panelReducer';
import { initialPanelState, type PanelState } from '../../../src/shared/panelState';
import { announcements } from '../../../src/webview/announce';

const step = (s: PanelState, a: PanelAction) => reducePanel(s, a);
const ev = (e: object) => ({ runId: 'r1', seq: 0, time: '2026-01-01T00:00:00.000Z', ...e }) as PanelAction;

describe('what a screen reader hears (issue 16 item 7)', () => {
  it('the restored conversation is not read out; a new message, the finished answer and the status are, once each', () => {
    const restored = step(initialPanelState(), { type: 'notice', id: 'n', level: 'info', text: 'old' });
    expect(announcements(undefined, restored)).toEqual([]);
    const sent = step(restored, { type: 'user_message', id: 'u', text: 'Explain   add' });
    expect(announcements(restored, sent)).toEqual(['You: Explain add', 'Working…']);
    const s1 = step(sent, ev({ type: 'text_delta', step: 'r1:m0', text: 'It sub' }));
    const s2 = step(s1, ev({ type: 'text_delta', step: 'r1:m0', text: 'tracts.' }));
    // Streaming chunks are silent.
    expect(announcements(sent, s1)).toEqual([]);
    expect(announcements(s1, s2)).toEqual([]);
    const done = step(s2, ev({ type: 'model_call_finished', step: 'r1:m0', message: { role: 'assistant', text: 'It subtracts.', toolCalls: [] }, stopReason: 'end_turn', model: 'm', latencyMs: 1 }));
    expect(announcements(s2, done)).toEqual(['Agent: It subtracts.']);
    expect(announcements(done, done)).toEqual([]);
  });

  it('a tool call is read when it finishes, an approval when it is asked', () => {
    const a = step(initialPanelState(), { type: 'user_message', id: 'u', text: 'go' });
    const b = step(a, ev({ type: 'tool_call_started', callId: 'c1', name: 'read_file', arguments: '{"path":"README.md"}' }));
    expect(announcements(a, b)).toEqual([]);
    const c = step(b, ev({ type: 'tool_call_finished', callId: 'c1', name: 'read_file', content: 'x', isError: false, durationMs: 3 }));
    expect(announcements(b, c)).toEqual(['Read README.md: done']);
    const d = step(c, { type: 'approval_requested', item: { id: 'ap', title: 'Run this command?', command: 'npm test', reasons: [], grantScopes: [] } });
    expect(announcements(c, d)).toEqual(['Approval needed: npm test', 'Waiting for you']);
  });
});
