import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reducePanel, type PanelAction } from '../../../src/extension/panel/panelReducer';
import { applyPanelPatch, PanelPatcher } from '../../../src/shared/panelPatch';
import { initialPanelState, type PanelState } from '../../../src/shared/panelState';
import { parseHostMessage } from '../../../src/shared/protocol';

const ev = (e: object) => ({ runId: 'r1', seq: 0, time: '2026-01-01T00:00:00.000Z', ...e }) as PanelAction;

/** Actions a streaming run produces, in any order and number. */
const action = fc.oneof(
  fc.record({ type: fc.constant('user_message' as const), id: fc.string({ minLength: 1, maxLength: 4 }).map((s) => `u${s}`), text: fc.string() }),
  fc.record({ step: fc.integer({ min: 0, max: 3 }), text: fc.string({ maxLength: 5 }) }).map(({ step, text }) => ev({ type: 'text_delta', step: `r1:m${step}`, text })),
  fc.integer({ min: 0, max: 5 }).map((n) => ev({ type: 'tool_call_started', callId: `c${n}`, name: 'read_file', arguments: '{}' })),
  fc.integer({ min: 0, max: 5 }).map((n) => ev({ type: 'tool_call_finished', callId: `c${n}`, name: 'read_file', content: 'x', isError: false, durationMs: 1 })),
  fc.string({ minLength: 1, maxLength: 3 }).map((id) => ({ type: 'notice' as const, id: `n${id}`, level: 'info' as const, text: id })),
  fc.constant({ type: 'new_chat' as const, conversationId: 'c2' }),
);

describe('panel patches (issue 16: streaming into a long conversation sends what changed)', () => {
  it('the webview rebuilds exactly the host state from a full state and the patches after it, through the protocol', () => {
    fc.assert(
      fc.property(fc.array(fc.array(action, { maxLength: 6 }), { maxLength: 12 }), (batches) => {
        const patcher = new PanelPatcher();
        let host: PanelState = initialPanelState();
        // Messages cross a structured clone and the webview's protocol check.
        const cross = (m: unknown) => parseHostMessage(JSON.parse(JSON.stringify(m)))!;
        const first = cross(patcher.full(host));
        if (first.type !== 'state') throw new Error('a full state first');
        let view = first.state;
        let rev = first.rev ?? 0;
        for (const batch of batches) {
          host = batch.reduce(reducePanel, host);
          const msg = cross(patcher.next(host));
          if (msg.type !== 'patch') throw new Error('patches after the first state');
          const next = applyPanelPatch(view, rev, msg);
          expect(next).toBeDefined();
          view = next!;
          rev = msg.rev;
          expect(view).toEqual(JSON.parse(JSON.stringify(host)));
        }
      }),
    );
  });

  it('a streaming delta sends only the item that changed, without the order', () => {
    const patcher = new PanelPatcher();
    let s = Array.from({ length: 500 }, (_, i) => ({ type: 'notice' as const, id: `n${i}`, level: 'info' as const, text: 'x'.repeat(200) })).reduce(reducePanel, initialPanelState());
    s = reducePanel(s, ev({ type: 'text_delta', step: 'r1:m0', text: 'Hel' }));
    patcher.full(s);
    const next = reducePanel(s, ev({ type: 'text_delta', step: 'r1:m0', text: 'lo' }));
    const patch = patcher.next(next);
    expect(patch.type).toBe('patch');
    if (patch.type !== 'patch') return;
    expect(patch.upserts.map((i) => i.id)).toEqual(['text:r1:m0']);
    expect(patch.order).toBeUndefined();
    expect(JSON.stringify(patch).length).toBeLessThan(2_000);
  });

  it('a patch that does not follow the webview’s revision is refused (it asks for the whole state)', () => {
    const patcher = new PanelPatcher();
    const s0 = initialPanelState();
    patcher.full(s0);
    patcher.next(reducePanel(s0, { type: 'notice', id: 'a', level: 'info', text: 'lost' }));
    const p2 = patcher.next(reducePanel(s0, { type: 'notice', id: 'b', level: 'info', text: 'b' }));
    expect(p2.type === 'patch' && applyPanelPatch(s0, 1, p2)).toBeUndefined();
  });
});
