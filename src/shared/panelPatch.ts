import { z } from 'zod';
import { ConversationItemSchema, PanelStateSchema, type PanelState } from './panelState';

/**
 * While a run streams, the host sends what changed instead of the whole state: the items that differ
 * from the last message (the reducer keeps unchanged items as the same objects), their order when it
 * changed, and the rest of the state, which is small. A webview that missed a message (its revision is
 * not the patch's base) asks for the whole state again.
 */
export const PanelPatchSchema = z.object({
  type: z.literal('patch'),
  base: z.number().int().nonnegative(),
  rev: z.number().int().positive(),
  state: PanelStateSchema.omit({ items: true }),
  upserts: z.array(ConversationItemSchema),
  /** Every item id in order, when the order or the set of items changed. */
  order: z.array(z.string()).optional(),
});
export type PanelPatch = z.infer<typeof PanelPatchSchema>;

/** The host's side: a full state the first time (and on request), then patches against the last message. */
export class PanelPatcher {
  private last: PanelState | undefined;
  private rev = 0;

  full(state: PanelState): { type: 'state'; state: PanelState; rev: number } {
    this.last = state;
    return { type: 'state', state, rev: ++this.rev };
  }

  next(state: PanelState): { type: 'state'; state: PanelState; rev: number } | PanelPatch {
    const last = this.last;
    if (!last) return this.full(state);
    const before = new Map(last.items.map((i) => [i.id, i]));
    const upserts = state.items.filter((i) => before.get(i.id) !== i);
    const sameOrder = state.items.length === last.items.length && state.items.every((i, k) => last.items[k]?.id === i.id);
    const { items: _items, ...rest } = state;
    const base = this.rev;
    this.last = state;
    return { type: 'patch', base, rev: ++this.rev, state: rest, upserts, ...(sameOrder ? {} : { order: state.items.map((i) => i.id) }) };
  }
}

/** The webview's side: the state after a patch, or undefined when the patch does not follow `rev` (ask for the whole state). */
export function applyPanelPatch(current: PanelState, rev: number, patch: PanelPatch): PanelState | undefined {
  if (patch.base !== rev) return undefined;
  const byId = new Map(current.items.map((i) => [i.id, i]));
  for (const u of patch.upserts) byId.set(u.id, u);
  const order = patch.order ?? current.items.map((i) => i.id);
  const items = [];
  for (const id of order) {
    const item = byId.get(id);
    if (!item) return undefined;
    items.push(item);
  }
  return { ...patch.state, items };
}
