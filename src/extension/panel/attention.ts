import type { PanelState } from '../../shared/panelState';
import { costText } from '../../shared/cost';
import { waitingCount } from './panelReducer';
import { compactNumber } from './statusText';

/**
 * What deserves the person's attention when the panel changes, as plain data (tested without VS Code):
 * the number of things waiting for them (the view's badge) and, for a window that is not focused,
 * one note for "something new waits for you" or "the run finished". Nothing here takes focus.
 */
export interface AttentionNote {
  kind: 'waiting' | 'finished';
  text: string;
  /** A waiting proposed edit: "Show" opens its diff. */
  pendingKey?: string;
}

export function badgeFor(state: PanelState): { value: number; tooltip: string } | undefined {
  const n = waitingCount(state);
  return n > 0 ? { value: n, tooltip: `${n} ${n === 1 ? 'thing waits' : 'things wait'} for your decision` } : undefined;
}

export function attentionNotes(prev: PanelState, next: PanelState): AttentionNote[] {
  const notes: AttentionNote[] = [];
  if (waitingCount(next) > waitingCount(prev)) {
    const note = newestWaiting(prev, next);
    if (note) notes.push(note);
  }
  if (prev.status !== 'idle' && next.status === 'idle') {
    const summary = [...next.items].reverse().find((i) => i.kind === 'summary');
    if (summary?.kind === 'summary' && !prev.items.some((i) => i.id === summary.id)) {
      const u = summary.usage;
      const files = summary.filesChanged.length > 0 ? `, changed ${summary.filesChanged.length} file${summary.filesChanged.length === 1 ? '' : 's'}` : '';
      notes.push({ kind: 'finished', text: `Run ${summary.status.replace(/_/g, ' ')}${files} · ${compactNumber(u.input + u.output + u.cacheRead + u.cacheWrite)} tokens · ${costText(u.costUsd, u.costUnknown)}` });
    }
  }
  return notes;
}

function newestWaiting(prev: PanelState, next: PanelState): AttentionNote | undefined {
  const seen = new Set(prev.pending.map((p) => p.key));
  const file = next.pending.find((p) => !seen.has(p.key));
  if (file) return { kind: 'waiting', text: `Approval needed: review the proposed ${file.newFile ? 'new file' : 'change to'} ${file.path}`, pendingKey: file.key };
  const before = new Set(prev.items.filter((i) => (i.kind === 'approval' || i.kind === 'question') && i.state === 'waiting').map((i) => i.id));
  const item = next.items.find((i) => (i.kind === 'approval' || i.kind === 'question') && i.state === 'waiting' && !before.has(i.id));
  if (item?.kind === 'approval') return { kind: 'waiting', text: `Approval needed: ${item.command !== undefined ? `run \`${clip(item.command)}\`` : item.title}` };
  if (item?.kind === 'question') return { kind: 'waiting', text: `The agent asks: ${clip(item.question)}` };
  return undefined;
}

function clip(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
