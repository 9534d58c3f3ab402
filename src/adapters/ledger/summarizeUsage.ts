import { z } from 'zod';
import { localDay } from '../../core/model/budgets';
import type { LedgerRow } from './usageLedger';

export const UsageGroupingSchema = z.enum(['model', 'profile', 'skill', 'day']);
export type UsageGrouping = z.infer<typeof UsageGroupingSchema>;

export interface UsageSummaryRow {
  key: string;
  /** Attempts that reached a model (answered or failed there); budget stops and open breakers are not calls. */
  calls: number;
  /** Calls that failed at the model; one the caller cancelled (Stop) is a call, not a failure. */
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Answered calls whose model had no known price: their cost is not in `costUsd`. */
  unpricedCalls: number;
  /** Mean latency of the calls that answered. */
  avgLatencyMs: number;
}

export interface UsageSummary {
  by: UsageGrouping;
  since?: string;
  rows: UsageSummaryRow[];
  total: UsageSummaryRow;
}

const NOT_A_CALL = new Set(['budget_exceeded', 'breaker_open']);

/** Budget stops and open breakers are in the ledger, but they are not calls and spent nothing. */
export function countsAsCall(row: LedgerRow): boolean {
  return !NOT_A_CALL.has(row.outcome);
}

/** Every token a call used, cached ones included: what token budgets count. */
export function rowTokens(row: LedgerRow): number {
  return row.usage.inputTokens + row.usage.outputTokens + row.usage.cacheReadTokens + row.usage.cacheWriteTokens;
}

/**
 * Adds ledger rows up by model, profile, skill or local day. A call made with two skills active
 * counts under both skills (so the skill rows can add up to more than the total); one with none
 * counts under "(no skill)".
 */
export function summarizeUsage(rows: readonly LedgerRow[], opts: { by: UsageGrouping; since?: Date }): UsageSummary {
  const since = opts.since?.getTime() ?? -Infinity;
  const groups = new Map<string, Acc>();
  const total = new Acc('total');
  for (const row of rows) {
    if (Date.parse(row.time) < since || NOT_A_CALL.has(row.outcome)) continue;
    total.add(row);
    for (const key of keysOf(row, opts.by)) {
      let acc = groups.get(key);
      if (!acc) {
        acc = new Acc(key);
        groups.set(key, acc);
      }
      acc.add(row);
    }
  }
  const sorted = [...groups.values()].map((a) => a.row());
  // Days read best in order; everything else by what it cost.
  if (opts.by === 'day') sorted.sort((a, b) => a.key.localeCompare(b.key));
  else sorted.sort((a, b) => b.costUsd - a.costUsd || b.totalTokens - a.totalTokens || a.key.localeCompare(b.key));
  return { by: opts.by, ...(opts.since ? { since: opts.since.toISOString() } : {}), rows: sorted, total: total.row() };
}

function keysOf(row: LedgerRow, by: UsageGrouping): string[] {
  switch (by) {
    case 'model':
      return [row.answeredBy ?? row.model];
    case 'profile':
      return [profileKey(row)];
    case 'skill':
      return row.skills.length > 0 ? [...new Set(row.skills)] : ['(no skill)'];
    case 'day':
      return [localDay(new Date(row.time))];
  }
}

/**
 * A task run counts under its profile; other kinds of run under their kind, so a code review or an
 * eval is its own row: `review`, `review (reviewer)`, `eval demo (coder)`.
 */
export function profileKey(row: Pick<LedgerRow, 'profile' | 'kind' | 'tags'>): string {
  if (!row.kind) return row.profile ?? '(no profile)';
  const suite = row.tags?.suite ? ` ${row.tags.suite}` : '';
  return `${row.kind}${suite}${row.profile ? ` (${row.profile})` : ''}`;
}

class Acc {
  calls = 0;
  failed = 0;
  input = 0;
  output = 0;
  cacheRead = 0;
  cacheWrite = 0;
  cost = 0;
  unpriced = 0;
  latency = 0;
  answered = 0;
  constructor(readonly key: string) {}

  add(r: LedgerRow): void {
    this.calls++;
    if (r.outcome !== 'ok' && r.outcome !== 'cancelled') this.failed++;
    else if (r.outcome === 'ok') {
      this.answered++;
      this.latency += r.latencyMs;
    }
    this.input += r.usage.inputTokens;
    this.output += r.usage.outputTokens;
    this.cacheRead += r.usage.cacheReadTokens;
    this.cacheWrite += r.usage.cacheWriteTokens;
    this.cost += r.costUsd;
    if (r.outcome === 'ok' && r.costKnown === false) this.unpriced++;
  }

  row(): UsageSummaryRow {
    return {
      key: this.key,
      calls: this.calls,
      failed: this.failed,
      inputTokens: this.input,
      outputTokens: this.output,
      cacheReadTokens: this.cacheRead,
      cacheWriteTokens: this.cacheWrite,
      totalTokens: this.input + this.output + this.cacheRead + this.cacheWrite,
      costUsd: this.cost,
      unpricedCalls: this.unpriced,
      avgLatencyMs: this.answered > 0 ? this.latency / this.answered : 0,
    };
  }
}

/** Today's spend from the ledger, to seed the per-day budget when a window or CLI run starts. */
export function spentOn(rows: readonly LedgerRow[], day: string): { day: string; tokens: number; costUsd: number } {
  let tokens = 0;
  let costUsd = 0;
  for (const r of rows) {
    if (!countsAsCall(r) || localDay(new Date(r.time)) !== day) continue;
    tokens += rowTokens(r);
    costUsd += r.costUsd;
  }
  return { day, tokens, costUsd };
}
