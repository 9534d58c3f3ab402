import { describe, expect, it } from 'vitest';
import { ModelError, type ModelErrorKind } from '../../../../../src/core/model/errors';
import { backoffDelay, decideRetry, RetryPolicySchema } from '../../../../../src/core/model/resilience/retryPolicy';

const policy = RetryPolicySchema.parse({ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 });
const err = (kind: ModelErrorKind, extra: Partial<ConstructorParameters<typeof ModelError>[0]> = {}) => new ModelError({ kind, message: kind, ...extra });

describe('decideRetry', () => {
  it.each(['rate_limited', 'overloaded', 'server', 'network', 'stream_broken'] as const)('retries %s with a backoff delay', (kind) => {
    const d = decideRetry(err(kind), 1, policy, () => 0.5);
    expect(d).toMatchObject({ action: 'retry', delayMs: 750 });
  });

  it.each(['bad_request', 'context_too_long', 'protocol', 'cancelled'] as const)('never retries %s', (kind) => {
    expect(decideRetry(err(kind, { shouldRetry: true }), 1, policy).action).toBe('fail');
  });

  it('asks for another credential on auth, never a plain retry', () => {
    expect(decideRetry(err('auth', { status: 401 }), 1, policy)).toMatchObject({ action: 'next_credential', reason: 'auth (HTTP 401)' });
  });

  it('honours a retry-after under the cap exactly', () => {
    expect(decideRetry(err('rate_limited', { retryAfterMs: 2500 }), 1, policy)).toMatchObject({ action: 'retry', delayMs: 2500 });
  });

  it('moves on and holds the model when retry-after is past the cap', () => {
    const d = decideRetry(err('rate_limited', { status: 429, retryAfterMs: 3_600_000 }), 1, policy);
    expect(d).toMatchObject({ action: 'next_model', holdMs: 3_600_000 });
    expect(d.reason).toContain('3600 s');
  });

  it('honours x-should-retry: false by moving to the next model', () => {
    expect(decideRetry(err('server', { status: 500, shouldRetry: false }), 1, policy).action).toBe('next_model');
  });

  it('gives up on a model after maxAttempts', () => {
    expect(decideRetry(err('server'), 2, policy).action).toBe('retry');
    expect(decideRetry(err('server'), 3, policy)).toMatchObject({ action: 'next_model' });
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, is capped, and keeps half of the delay fixed', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });
});
