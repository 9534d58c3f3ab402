import { z } from 'zod';

/**
 * Token usage of one model call, normalised across protocols.
 * `inputTokens` counts only input that was neither read from nor written to a prompt cache, so the
 * four counters never overlap and cost is a plain weighted sum. (OpenAI reports cached tokens inside
 * `prompt_tokens`; the OpenAI adapter subtracts them. Anthropic already reports them apart.)
 */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** Usage with the derived totals that reports and the CLI print. */
export const UsageTotalsSchema = UsageSchema.extend({
  totalTokens: z.number().int().nonnegative(),
  /** The cost of the priced calls; with `costUnknown`, some (or all) calls had no known price. */
  costUsd: z.number().nonnegative(),
  /** True when a call's model has no known price: the cost is unknown (or a lower bound), never $0. */
  costUnknown: z.boolean().optional(),
});
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

export function totalTokens(u: Usage): number {
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

export function withTotals(u: Usage, costUsd: number, costUnknown = false): UsageTotals {
  return { ...u, totalTokens: totalTokens(u), costUsd, ...(costUnknown ? { costUnknown: true } : {}) };
}

/** Adds up call costs where a call may be unpriced (null/undefined): the sum of the known ones, and whether any was not. */
export class CostSum {
  usd = 0;
  unknown = false;
  add(cost: number | null | undefined): void {
    if (cost === null || cost === undefined) this.unknown = true;
    else this.usd += cost;
  }
  addTotals(t: Pick<UsageTotals, 'costUsd' | 'costUnknown'>): void {
    this.usd += t.costUsd;
    if (t.costUnknown) this.unknown = true;
  }
}
