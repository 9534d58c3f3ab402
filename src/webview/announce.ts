import type { ConversationItem, PanelState } from '../shared/panelState';
import { statusLabel, toolCardView } from './viewModels';

/**
 * What a screen reader hears when a new state arrives: each new item once (an answer when it has
 * finished streaming, a tool call when it is done), and the run's status when it changes. The
 * conversation itself is not a live region: it re-renders up to every 40 ms while streaming.
 */
export function announcements(prev: PanelState | undefined, next: PanelState): string[] {
  const out: string[] = [];
  const before = new Map((prev?.items ?? []).map((i) => [i.id, i]));
  for (const item of next.items) {
    const old = before.get(item.id);
    if (!prev) continue; // the first state is the restored conversation: nothing is new
    const line = announceItem(old, item);
    if (line) out.push(line);
  }
  if (prev && prev.status !== next.status) out.push(statusLabel(next));
  return out;
}

function announceItem(old: ConversationItem | undefined, item: ConversationItem): string | undefined {
  switch (item.kind) {
    case 'user':
      return old ? undefined : `You: ${clip(item.text)}`;
    case 'assistant':
      // Announced once, complete: a streaming answer would otherwise be read out chunk by chunk.
      return !item.streaming && (!old || (old.kind === 'assistant' && old.streaming)) ? `Agent: ${clip(item.text, 600)}` : undefined;
    case 'tool': {
      const finished = item.status === 'done' || item.status === 'error';
      const wasFinished = old?.kind === 'tool' && (old.status === 'done' || old.status === 'error');
      if (!finished || wasFinished) return undefined;
      const v = toolCardView(item);
      return `${v.title}: ${v.status}`;
    }
    case 'approval':
      return old ? undefined : `Approval needed: ${item.command ?? item.title}`;
    case 'question':
      return old ? undefined : `The agent asks: ${item.question}`;
    case 'notice':
      return old ? undefined : item.text;
    case 'summary':
      return old ? undefined : `Run ${item.status.replace(/_/g, ' ')}`;
    case 'review':
      return old ? undefined : `Code review finished: ${item.recommendation.replace(/_/g, ' ')}`;
  }
}

function clip(s: string, n = 200): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
