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
  costUsd: z.number().nonnegative(),
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

export function withTotals(u: Usage, costUsd: number): UsageTotals {
  return { ...u, totalTokens: totalTokens(u), costUsd };
}
