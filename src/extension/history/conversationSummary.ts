import type { ConversationSummary, PanelState } from '../../shared/panelState';

/**
 * A conversation's line in the history list, from its panel items: the title is the first message's
 * first line, the cost and tokens are the sum of its runs' and code reviews' summaries.
 */
export function summarize(id: string, created: string, state: Pick<PanelState, 'items'>, now: Date): ConversationSummary | undefined {
  const first = state.items.find((i) => i.kind === 'user');
  if (!first || first.kind !== 'user') return undefined;
  let costUsd = 0;
  let tokens = 0;
  let costUnknown = false;
  for (const i of state.items) {
    if (i.kind !== 'summary' && i.kind !== 'review') continue;
    costUsd += i.usage.costUsd;
    tokens += i.usage.input + i.usage.output + i.usage.cacheRead + i.usage.cacheWrite;
    costUnknown ||= i.usage.costUnknown === true;
  }
  const line = first.text.split('\n')[0]!.trim();
  return {
    id,
    title: line.length > 80 ? `${line.slice(0, 79)}…` : line || '(untitled)',
    created,
    updated: now.toISOString(),
    messages: state.items.filter((i) => i.kind === 'user').length,
    costUsd,
    tokens,
    ...(costUnknown ? { costUnknown: true } : {}),
  };
}
