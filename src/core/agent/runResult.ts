import { z } from 'zod';
import { UsageTotalsSchema } from '../model/usage';

/**
 * How a run ended. Every limit has its own status so a front end (and a script reading `--json`)
 * can tell which one stopped the run.
 */
export const RunStatusSchema = z.enum([
  'completed',
  'max_turns',
  'max_tool_calls',
  'max_tokens',
  /** The model repeated the same tool call with the same result (see context/loopDetector.ts). */
  'loop_detected',
  /** A token or cost budget (run, session or day) was reached; `error` names it (core/model/budgets.ts). */
  'budget_exceeded',
  'cancelled',
  'failed',
]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const SkillUseSchema = z.object({ name: z.string(), reason: z.string() });
export type SkillUse = z.infer<typeof SkillUseSchema>;

export const RunResultSchema = z.object({
  status: RunStatusSchema,
  output: z.string(),
  filesChanged: z.array(z.string()),
  commandsRun: z.array(z.string()),
  skillsUsed: z.array(SkillUseSchema),
  usage: UsageTotalsSchema,
  /** The model that answered last (with fallbacks, not always the configured one). */
  model: z.string(),
  /** Model calls made, retries included. */
  attempts: z.number().int().nonnegative(),
  /** Why the run failed (status `failed`) or which limit stopped it. */
  error: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;
