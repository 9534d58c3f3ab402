import { z } from 'zod';
import type { ModelError, ModelErrorKind } from '../errors';

/**
 * The one retry policy for model calls. The SDKs are built with `maxRetries: 0`, so the attempts a
 * provider sees are exactly the attempts this policy allows.
 */
export const RetryPolicySchema = z.object({
  /** Attempts per model, the first one included. */
  maxAttempts: z.number().int().positive().default(4),
  /** First backoff delay; it doubles with each attempt. */
  baseDelayMs: z.number().int().nonnegative().default(1_000),
  maxDelayMs: z.number().int().nonnegative().default(30_000),
  /**
   * The longest `retry-after` we are willing to sleep. A provider that asks for more is treated as
   * unavailable now: the call moves to the next model instead of blocking the run for an hour.
   */
  maxRetryAfterMs: z.number().int().nonnegative().default(60_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = RetryPolicySchema.parse({});

export type RetryDecision =
  /** Re-issue the request to the same model after `delayMs`. */
  | { action: 'retry'; delayMs: number; reason: string }
  /** This model cannot answer now; `holdMs` is how long it should be skipped (a long retry-after). */
  | { action: 'next_model'; reason: string; holdMs?: number }
  /** The key was refused: only a model reached with a different key may be tried. */
  | { action: 'next_credential'; reason: string }
  /** Retrying cannot help (the request itself is wrong, or the caller cancelled). */
  | { action: 'fail'; reason: string };

const TRANSIENT: ReadonlySet<ModelErrorKind> = new Set(['rate_limited', 'overloaded', 'server', 'network', 'stream_broken']);

/** Failures that say something about the model's health, so they count towards opening its breaker. */
export function isTransient(kind: ModelErrorKind): boolean {
  return TRANSIENT.has(kind);
}

/** Decides what to do after attempt number `attempt` (1-based) failed with `error`. */
export function decideRetry(error: ModelError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  const what = describe(error);
  if (error.kind === 'auth') return { action: 'next_credential', reason: what };
  if (!isTransient(error.kind)) return { action: 'fail', reason: what };
  if (error.shouldRetry === false) return { action: 'next_model', reason: `${what}; the gateway said not to retry` };
  if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
    return {
      action: 'next_model',
      reason: `${what}; the gateway asked to wait ${seconds(error.retryAfterMs)}, more than the ${seconds(policy.maxRetryAfterMs)} cap`,
      holdMs: error.retryAfterMs,
    };
  }
  if (attempt >= policy.maxAttempts) return { action: 'next_model', reason: `${what}; gave up after ${attempt} attempts` };
  const delayMs = error.retryAfterMs ?? backoffDelay(attempt, policy, random);
  return { action: 'retry', delayMs, reason: what };
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed and half is random, so clients
 * that failed together do not retry together, yet no retry comes immediately.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

function describe(error: ModelError): string {
  return error.status !== undefined ? `${error.kind} (HTTP ${error.status})` : error.kind;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
