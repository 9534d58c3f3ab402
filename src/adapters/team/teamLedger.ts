import { BudgetExceededError } from '../../core/model/budgets';
import type { Usage } from '../../core/model/usage';
import type { UsageSummaryRow } from '../ledger/summarizeUsage';
import { TEAM_SCHEMA as S, inTransaction, type TeamDatabase } from './teamDatabase';

export const ALERT_THRESHOLDS = [50, 80, 100] as const;

export interface TeamBudget {
  team: string;
  dayTokens?: number;
  dayCostUsd?: number;
  webhookUrl?: string;
}

export interface TeamAlert {
  team: string;
  day: string;
  measure: 'tokens' | 'cost';
  threshold: number;
  used: number;
  budget: number;
  at: string;
}

export interface LedgerEntry {
  runId: string;
  /** Unique within the run (the workflow's step), so a retried write is not counted twice. */
  step: string;
  team: string;
  profile: string;
  model: string;
  usage: Usage;
  /** null: the model's price is unknown. */
  costUsd: number | null;
  latencyMs: number;
}

/**
 * The team's shared ledger and day budgets (UTC days). Before each model call the team's spend today
 * is checked against its budget; each call is written, with the alert thresholds it crossed, in one
 * transaction under the team's lock. So concurrent runs on any number of workers overspend by at most
 * the one call each had in flight.
 */
export class TeamLedger {
  constructor(private readonly db: TeamDatabase) {}

  async setBudget(b: TeamBudget): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO ${S}.budgets (team, day_tokens, day_cost_usd, webhook_url) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team) DO UPDATE SET day_tokens = $2, day_cost_usd = $3, webhook_url = $4`,
      [b.team, b.dayTokens ?? null, b.dayCostUsd ?? null, b.webhookUrl ?? null],
    );
  }

  async budget(team: string): Promise<TeamBudget | undefined> {
    const r = await this.db.pool.query<{ day_tokens: string | null; day_cost_usd: string | null; webhook_url: string | null }>(`SELECT day_tokens, day_cost_usd, webhook_url FROM ${S}.budgets WHERE team = $1`, [team]);
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      team,
      ...(row.day_tokens !== null ? { dayTokens: Number(row.day_tokens) } : {}),
      ...(row.day_cost_usd !== null ? { dayCostUsd: Number(row.day_cost_usd) } : {}),
      ...(row.webhook_url !== null ? { webhookUrl: row.webhook_url } : {}),
    };
  }

  private async spentToday(team: string, q: Pick<TeamDatabase['pool'], 'query'> = this.db.pool): Promise<{ tokens: number; costUsd: number }> {
    const r = await q.query<{ tokens: string; cost: string }>(
      `SELECT coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0) AS tokens, coalesce(sum(cost_usd), 0) AS cost
       FROM ${S}.ledger WHERE team = $1 AND day = (now() AT TIME ZONE 'UTC')::date`,
      [team],
    );
    return { tokens: Number(r.rows[0]?.tokens ?? 0), costUsd: Number(r.rows[0]?.cost ?? 0) };
  }

  /** Refuses the next call when the team has spent its day budget (a BudgetExceededError the loop ends the run with). */
  async checkBudget(team: string): Promise<void> {
    const b = await this.budget(team);
    if (!b || (b.dayTokens === undefined && b.dayCostUsd === undefined)) return;
    const spent = await this.spentToday(team);
    if (b.dayTokens !== undefined && spent.tokens >= b.dayTokens) {
      throw new BudgetExceededError('day_tokens', b.dayTokens, spent.tokens, `team ${team} has used its day budget of ${b.dayTokens} tokens (${spent.tokens} used today, UTC); no further model calls until tomorrow or a higher budget (agent-harness team budget)`);
    }
    if (b.dayCostUsd !== undefined && spent.costUsd >= b.dayCostUsd) {
      throw new BudgetExceededError('day_cost', b.dayCostUsd, spent.costUsd, `team ${team} has used its day budget of $${b.dayCostUsd.toFixed(2)} ($${spent.costUsd.toFixed(4)} spent today, UTC); no further model calls until tomorrow or a higher budget (agent-harness team budget)`);
    }
  }

  /** Writes one call and returns the alerts it raised (each threshold once per team and day). */
  async record(e: LedgerEntry): Promise<{ alerts: TeamAlert[]; webhookUrl?: string }> {
    return inTransaction(this.db, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${S}.team:${e.team}`]);
      const ins = await c.query(
        `INSERT INTO ${S}.ledger (run_id, step, team, profile, model, day, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms)
         VALUES ($1, $2, $3, $4, $5, (now() AT TIME ZONE 'UTC')::date, $6, $7, $8, $9, $10, $11) ON CONFLICT (run_id, step) DO NOTHING`,
        [e.runId, e.step, e.team, e.profile, e.model, e.usage.inputTokens, e.usage.outputTokens, e.usage.cacheReadTokens, e.usage.cacheWriteTokens, e.costUsd, Math.round(e.latencyMs)],
      );
      if ((ins.rowCount ?? 0) === 0) return { alerts: [] };
      const b = await c.query<{ day_tokens: string | null; day_cost_usd: string | null; webhook_url: string | null }>(`SELECT day_tokens, day_cost_usd, webhook_url FROM ${S}.budgets WHERE team = $1`, [e.team]);
      const budget = b.rows[0];
      if (!budget) return { alerts: [] };
      const spent = await this.spentToday(e.team, c);
      const alerts: TeamAlert[] = [];
      const measures: ['tokens' | 'cost', number | null, number][] = [
        ['tokens', budget.day_tokens === null ? null : Number(budget.day_tokens), spent.tokens],
        ['cost', budget.day_cost_usd === null ? null : Number(budget.day_cost_usd), spent.costUsd],
      ];
      for (const [measure, limit, used] of measures) {
        if (limit === null) continue;
        for (const threshold of ALERT_THRESHOLDS) {
          if (used * 100 < limit * threshold) continue;
          const r = await c.query<{ day: Date; at: Date }>(
            `INSERT INTO ${S}.alerts (team, day, measure, threshold, used, budget) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING day, at`,
            [e.team, measure, threshold, used, limit],
          );
          const row = r.rows[0];
          if (row) alerts.push({ team: e.team, day: dayText(row.day), measure, threshold, used, budget: limit, at: row.at.toISOString() });
        }
      }
      return { alerts, ...(budget.webhook_url ? { webhookUrl: budget.webhook_url } : {}) };
    });
  }

  async alerts(since: Date | undefined): Promise<TeamAlert[]> {
    const r = await this.db.pool.query<{ team: string; day: Date; measure: 'tokens' | 'cost'; threshold: number; used: string; budget: string; at: Date }>(
      `SELECT * FROM ${S}.alerts WHERE at >= $1 ORDER BY at, team, measure, threshold`,
      [since ?? new Date(0)],
    );
    return r.rows.map((a) => ({ team: a.team, day: dayText(a.day), measure: a.measure, threshold: a.threshold, used: Number(a.used), budget: Number(a.budget), at: a.at.toISOString() }));
  }

  /** `team usage`: the rows in the shape of `agent-harness usage --json`. */
  async summary(by: TeamUsageGrouping, since: Date | undefined): Promise<TeamUsageSummary> {
    const key = { team: 'team', model: 'model', profile: 'profile', day: `to_char(day, 'YYYY-MM-DD')` }[by];
    const r = await this.db.pool.query<SumRow>(
      `SELECT ${key} AS key, count(*) AS calls, sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
              sum(cache_write_tokens) AS cache_write, coalesce(sum(cost_usd), 0) AS cost, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced, avg(latency_ms) AS latency
       FROM ${S}.ledger WHERE at >= $1 GROUP BY GROUPING SETS ((${key}), ()) ORDER BY 1`,
      [since ?? new Date(0)],
    );
    const rows = r.rows.filter((x) => x.key !== null).map(toSummaryRow);
    if (by !== 'day') rows.sort((a, b) => b.costUsd - a.costUsd || b.totalTokens - a.totalTokens || a.key.localeCompare(b.key));
    const totalRow = r.rows.find((x) => x.key === null);
    const total = totalRow ? { ...toSummaryRow(totalRow), key: 'total' } : toSummaryRow({ key: 'total', calls: '0', input: '0', output: '0', cache_read: '0', cache_write: '0', cost: '0', unpriced: '0', latency: null });
    return { by, ...(since ? { since: since.toISOString() } : {}), rows, total, alerts: await this.alerts(since) };
  }
}

export type TeamUsageGrouping = 'team' | 'model' | 'profile' | 'day';

/** A row of `team usage`, the same shape as a row of `agent-harness usage --json`. */
export type TeamUsageRow = UsageSummaryRow;

export interface TeamUsageSummary {
  by: TeamUsageGrouping;
  since?: string;
  rows: TeamUsageRow[];
  total: TeamUsageRow;
  alerts: TeamAlert[];
}

interface SumRow {
  key: string | null;
  calls: string;
  input: string;
  output: string;
  cache_read: string;
  cache_write: string;
  cost: string;
  unpriced: string;
  latency: string | null;
}

function toSummaryRow(x: SumRow): TeamUsageRow {
  const inputTokens = Number(x.input ?? 0);
  const outputTokens = Number(x.output ?? 0);
  const cacheReadTokens = Number(x.cache_read ?? 0);
  const cacheWriteTokens = Number(x.cache_write ?? 0);
  return {
    key: x.key ?? 'total',
    calls: Number(x.calls),
    failed: 0,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    totalTokens: inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens,
    costUsd: Number(x.cost),
    unpricedCalls: Number(x.unpriced),
    avgLatencyMs: x.latency === null ? 0 : Math.round(Number(x.latency)),
  };
}

function dayText(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

