import { z } from 'zod';
import { UsageSchema } from '../usage';

/**
 * One model call attempt as the resilience layer saw it: the row of the usage ledger and the source
 * of a trace's model-call records. Failed attempts are recorded too (with their outcome), so the
 * ledger shows what retries and fallbacks cost in time.
 */
export const ModelCallOutcomeSchema = z.enum([
  'ok',
  'rate_limited',
  'overloaded',
  'auth',
  'context_too_long',
  'bad_request',
  'server',
  'network',
  'stream_broken',
  'protocol',
  'cancelled',
  'budget_exceeded',
  'breaker_open',
]);
export type ModelCallOutcome = z.infer<typeof ModelCallOutcomeSchema>;

export const ModelCallRecordSchema = z.object({
  /** When the attempt started (ISO 8601). */
  time: z.string(),
  runId: z.string().optional(),
  step: z.string().optional(),
  profile: z.string().optional(),
  /** What kind of run made the call when it is not a task run: `review`, `eval`. */
  kind: z.string().optional(),
  /** Labels of the run (an eval's suite, case and attempt), for reports and traces. */
  tags: z.record(z.string(), z.string()).optional(),
  skills: z.array(z.string()),
  /** The model asked for. */
  model: z.string(),
  /** The model the endpoint said answered, when it answered. */
  answeredBy: z.string().optional(),
  protocol: z.string(),
  /** 1-based attempt number within this model call, across fallbacks. */
  attempt: z.number().int().positive(),
  usage: UsageSchema,
  costUsd: z.number().nonnegative(),
  /** false when the model's price is unknown: `costUsd` is then 0 and means "unknown", not free. */
  costKnown: z.boolean().optional(),
  latencyMs: z.number().nonnegative(),
  outcome: ModelCallOutcomeSchema,
  /** Why the attempt failed, already redacted by the writer. */
  error: z.string().optional(),
});
export type ModelCallRecord = z.infer<typeof ModelCallRecordSchema>;

/** Who is calling: filled in from the loop's events by a RunContextTracker (src/core/trace/runContext.ts). */
export interface CallContext {
  runId?: string;
  step?: string;
  profile?: string;
  kind?: string;
  tags?: Readonly<Record<string, string>>;
  skills?: readonly string[];
}

/** A run's kind and labels, fixed when its gateway is made (a code review, an eval attempt). */
export interface RunLabel {
  kind: string;
  tags?: Readonly<Record<string, string>>;
  /** The profile, for calls made outside a loop run (a review's final structured call). */
  profile?: string;
}

export type ModelCallObserver = (record: ModelCallRecord) => void;
