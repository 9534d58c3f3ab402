import { localDay } from '../../core/model/budgets';
import { summarizeUsage, type UsageSummaryRow } from '../../adapters/ledger/summarizeUsage';
import type { LedgerRow } from '../../adapters/ledger/usageLedger';
import type { UsageSummaryView, UsageTotalsView } from '../../shared/panelState';

/** Models listed in the panel; the rest are in the week's total. */
const MAX_MODELS = 5;

/**
 * The panel's "today / this week" usage from the ledger rows: the week is the last 7 local days
 * including today, so the numbers match `agent-harness usage --by day`.
 */
export function usageSummaryView(rows: readonly LedgerRow[], now: Date): UsageSummaryView {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const weekStart = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6);
  const todaySum = summarizeUsage(rows, { by: 'day', since: today });
  const byModel = summarizeUsage(rows, { by: 'model', since: weekStart });
  const byDay = summarizeUsage(rows, { by: 'day', since: weekStart });
  return {
    today: totals(localDay(today), todaySum.total),
    week: totals('week', byModel.total),
    byModel: byModel.rows.slice(0, MAX_MODELS).map((r) => totals(r.key, r)),
    byDay: byDay.rows.map((r) => totals(r.key, r)),
  };
}

function totals(key: string, r: UsageSummaryRow): UsageTotalsView {
  return { key, calls: r.calls, failed: r.failed, tokens: r.totalTokens, costUsd: r.costUsd, ...(r.unpricedCalls > 0 ? { costUnknown: true } : {}) };
}
