import type { ResumableRun, UsageSummaryView, UsageTotalsView } from '../shared/panelState';
import { formatCost, formatTokens } from './viewModels';

/**
 * Wording for the panel's unfinished-runs offer and the ledger's "today / this week" summary, as
 * plain strings so they are tested in plain Node.
 */

export interface ResumableRunView {
  id: string;
  title: string;
  detail: string;
}

const STATUS_WORDS: Record<string, string> = {
  interrupted: 'interrupted (window closed or crashed)',
  cancelled: 'stopped',
  failed: 'failed',
};

export function resumableRunView(run: ResumableRun, now: Date): ResumableRunView {
  const first = run.task.split('\n')[0] ?? '';
  return {
    id: run.id,
    title: first.length > 80 ? `${first.slice(0, 79)}…` : first || run.id,
    detail: `${STATUS_WORDS[run.status] ?? run.status} · started ${ago(run.started, now)}${run.model ? ` · ${run.model}` : ''}`,
  };
}

function ago(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} d ago`;
}

export interface LedgerLine {
  label: string;
  text: string;
}

function line(label: string, t: UsageTotalsView): LedgerLine {
  const failed = t.failed > 0 ? `, ${t.failed} failed` : '';
  return { label, text: `${t.calls} call${t.calls === 1 ? '' : 's'}${failed} · ${formatTokens(t.tokens)} tokens · ${formatCost(t.costUsd, t.costUnknown)}` };
}

/** Today, this week, then the week's models, most expensive first. */
export function ledgerLines(s: UsageSummaryView): { totals: LedgerLine[]; models: LedgerLine[] } {
  return { totals: [line('Today', s.today), line('This week', s.week)], models: s.byModel.map((m) => line(m.key, m)) };
}
