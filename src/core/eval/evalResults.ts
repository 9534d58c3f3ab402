import { z } from 'zod';

/**
 * What `agent-harness eval --json` prints (the last line) and what `--baseline` reads back: one
 * result per attempt, and a summary with a pass rate per model × profile and its 95% confidence
 * interval.
 */
export const AttemptResultSchema = z.object({
  case: z.string(),
  model: z.string(),
  profile: z.string(),
  attempt: z.number().int().positive(),
  passed: z.boolean(),
  /** Why it failed, one sentence each; empty when it passed. */
  failures: z.array(z.string()),
  turns: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** The model had no known price: `costUsd` counts only the priced calls. */
  costUnknown: z.boolean().optional(),
  durationMs: z.number().nonnegative(),
  /** The run's status (completed, max_turns, failed …) and id, for finding its trace and journal. */
  status: z.string().optional(),
  runId: z.string().optional(),
});
export type AttemptResult = z.infer<typeof AttemptResultSchema>;

export const ColumnSummarySchema = z.object({
  model: z.string(),
  profile: z.string(),
  passed: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  passRate: z.number().min(0).max(1),
  /** Wilson score interval at 95%. */
  passRateCi95: z.tuple([z.number(), z.number()]),
  costUsd: z.number().nonnegative(),
  /** Total cost divided by passed attempts; null when nothing passed. */
  costPerPass: z.number().nonnegative().nullable(),
  /** Some attempt's model had no known price: the costs are lower bounds. */
  costUnknown: z.boolean().optional(),
  meanTurns: z.number().nonnegative(),
});
export type ColumnSummary = z.infer<typeof ColumnSummarySchema>;

export const EvalReportSchema = z.object({
  suite: z.string(),
  results: z.array(AttemptResultSchema),
  summary: z.object({
    passRate: z.number().min(0).max(1),
    passRateCi95: z.tuple([z.number(), z.number()]),
    passed: z.number().int().nonnegative(),
    attempts: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    costPerPass: z.number().nonnegative().nullable(),
    costUnknown: z.boolean().optional(),
    durationMs: z.number().nonnegative(),
    columns: z.array(ColumnSummarySchema),
  }),
});
export type EvalReport = z.infer<typeof EvalReportSchema>;

/**
 * The Wilson score interval for `passed` successes in `n` trials at 95% (z = 1.96): unlike the normal
 * approximation it stays inside [0, 1] and is honest for the small n of an eval (3 of 3 passed is
 * [0.44, 1], not [1, 1]).
 */
export function wilson(passed: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = passed / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return [round4(Math.max(0, (centre - margin) / denom)), round4(Math.min(1, (centre + margin) / denom))];
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The column an attempt belongs to: one per model × profile compared. */
export const columnKey = (r: Pick<AttemptResult, 'model' | 'profile'>) => `${r.model}\u0000${r.profile}`;

export function summarize(suite: string, results: readonly AttemptResult[], durationMs: number): EvalReport {
  const columns = new Map<string, AttemptResult[]>();
  for (const r of results) columns.set(columnKey(r), [...(columns.get(columnKey(r)) ?? []), r]);
  const passed = results.filter((r) => r.passed).length;
  const cost = results.reduce((s, r) => s + r.costUsd, 0);
  return {
    suite,
    results: [...results],
    summary: {
      passRate: results.length ? round4(passed / results.length) : 0,
      passRateCi95: wilson(passed, results.length),
      passed,
      attempts: results.length,
      costUsd: round6(cost),
      costPerPass: passed ? round6(cost / passed) : null,
      ...(results.some((r) => r.costUnknown) ? { costUnknown: true } : {}),
      durationMs: Math.round(durationMs),
      columns: [...columns.values()].map(summarizeColumn),
    },
  };
}

function summarizeColumn(rs: AttemptResult[]): ColumnSummary {
  const passed = rs.filter((r) => r.passed).length;
  const cost = rs.reduce((s, r) => s + r.costUsd, 0);
  return {
    model: rs[0]!.model,
    profile: rs[0]!.profile,
    passed,
    attempts: rs.length,
    passRate: round4(passed / rs.length),
    passRateCi95: wilson(passed, rs.length),
    costUsd: round6(cost),
    costPerPass: passed ? round6(cost / passed) : null,
    ...(rs.some((r) => r.costUnknown) ? { costUnknown: true } : {}),
    meanTurns: round4(rs.reduce((s, r) => s + r.turns, 0) / rs.length),
  };
}
