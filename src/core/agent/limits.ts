import { z } from 'zod';

export const RunLimitsSchema = z.object({
  /** Model calls per run. */
  maxTurns: z.number().int().positive().default(50),
  /** Tool calls per run. */
  maxToolCalls: z.number().int().positive().default(200),
  /** Total tokens (input + output + cache) per run. */
  maxTokens: z.number().int().positive().default(2_000_000),
});
export type RunLimits = z.infer<typeof RunLimitsSchema>;

export const DEFAULT_LIMITS: RunLimits = RunLimitsSchema.parse({});
