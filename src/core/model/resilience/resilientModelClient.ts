import { BudgetExceededError, type BudgetGuard } from '../budgets';
import { isModelError, ModelError } from '../errors';
import type { ModelClient, ModelRequest, ModelResponse, ModelStreamEvent } from '../modelClient';
import { DEFAULT_PRICING, estimateCost, type Pricing } from '../pricing';
import { emptyUsage, totalTokens, type Usage } from '../usage';
import type { CallContext, ModelCallObserver, ModelCallOutcome } from './callRecord';
import type { BreakerPermit, BreakerRegistry } from './circuitBreaker';
import { estimateRequestTokens } from './estimateTokens';
import type { RateLimiter, Reservation } from './rateLimiter';
import { systemResilienceClock, type ResilienceClock } from './resilienceClock';
import { DEFAULT_RETRY_POLICY, decideRetry, isTransient, RetryPolicySchema, type RetryPolicy } from './retryPolicy';

/** One model the call may go to, in fallback order. */
export interface ModelRoute {
  client: ModelClient;
  /**
   * Names the credential this route uses (never the key itself). After the gateway refuses a key, no
   * route with the same credential is tried: falling back with a refused key only hides the problem.
   */
  credential: string;
  /** Breaker and rate-limit key; defaults to `protocol:model`. */
  key?: string;
}

export interface ResilientClientOptions {
  /** The primary model first, then the fallbacks in order. */
  routes: readonly ModelRoute[];
  breakers: BreakerRegistry;
  retry?: Partial<RetryPolicy>;
  rateLimiter?: RateLimiter;
  budget?: BudgetGuard;
  /** What calls cost; a call whose model has no known price is recorded as unpriced, never as $0. */
  pricing?: Pricing;
  clock?: ResilienceClock;
  random?: () => number;
  /** Who is calling (run, step, profile, skills) for the records. */
  context?: () => CallContext;
  /** Every attempt, successful or not: the ledger and the trace listen here. */
  onCall?: ModelCallObserver;
}

/** Below every model's own default, so capping output to the remaining budget never asks for more than a model allows. */
const OUTPUT_CAP_FLOOR = 4_096;

/**
 * The production decorator around the protocol adapters: one retry layer with jittered backoff that
 * honours `retry-after` up to a cap, a circuit breaker per model, a fallback chain, client-side rate
 * limits and hard budgets. It is a ModelClient itself, so the loop does not know it is there; the
 * loop only sees `retry` events (drop the partial turn) and the response's `model`.
 *
 * Invariants: text of a failed attempt is always followed by a `retry` event before anything of the
 * next attempt; tool calls are forwarded only as the adapters emit them, complete, right before the
 * response, so a partial tool call can never reach the loop; every permit taken is settled.
 */
export class ResilientModelClient implements ModelClient {
  readonly protocol: ModelClient['protocol'];
  readonly model: string;
  private readonly policy: RetryPolicy;
  private readonly clock: ResilienceClock;
  private readonly random: () => number;
  private readonly pricing: Pricing;

  constructor(private readonly opts: ResilientClientOptions) {
    const primary = opts.routes[0];
    if (!primary) throw new Error('a resilient model client needs at least one model');
    this.protocol = primary.client.protocol;
    this.model = primary.client.model;
    this.policy = opts.retry ? RetryPolicySchema.parse({ ...DEFAULT_RETRY_POLICY, ...opts.retry }) : DEFAULT_RETRY_POLICY;
    this.clock = opts.clock ?? systemResilienceClock;
    this.random = opts.random ?? Math.random;
    this.pricing = opts.pricing ?? DEFAULT_PRICING;
  }

  async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const estimate = estimateRequestTokens(request);
    const refused = new Set<string>();
    let made = 0;
    // A retry event was sent for an attempt not yet made: the next attempt must not announce itself again.
    let announced = false;
    let switchReason: string | undefined;
    let lastModel: string | undefined;
    // The last failure a model actually returned; an open breaker is only reported when nothing else failed.
    let lastError: ModelError | undefined;
    let skipped: ModelError | undefined;

    for (const route of this.opts.routes) {
      if (refused.has(route.credential)) continue;
      const client = route.client;
      const breaker = this.opts.breakers.get(route.key ?? `${client.protocol}:${client.model}`);
      for (let attempt = 1; ; attempt++) {
        const req = this.checkBudget(request, client.model, estimate, made + 1);
        const reservation = this.opts.rateLimiter ? await this.opts.rateLimiter.acquire(client.model, estimate, signal) : undefined;
        const permit = breaker.tryAcquire();
        if (!permit) {
          reservation?.settle(0);
          skipped = breakerOpen(client, breaker.retryAt(), this.clock.now());
          this.record(client, made + 1, 'breaker_open', 0, emptyUsage(), undefined, skipped.message);
          switchReason ??= 'its circuit breaker is open';
          lastModel ??= client.model;
          break;
        }
        if (made > 0 && !announced) {
          const reason = switchReason ? `${lastModel ?? 'the previous model'} is unavailable (${switchReason}); trying ${client.model}` : 'retrying';
          yield { type: 'retry', attempt: made + 1, reason, delayMs: 0, model: client.model };
        }
        announced = false;
        switchReason = undefined;
        lastModel = client.model;
        made++;

        const outcome = yield* this.attempt(client, req, signal, permit, reservation, made);
        if (outcome.ok) return;
        const error = outcome.error;
        lastError = error;
        const decision = decideRetry(error, attempt, this.policy, this.random);
        if (decision.action === 'fail') throw error;
        if (decision.action === 'next_credential') {
          refused.add(route.credential);
          switchReason = decision.reason;
          break;
        }
        if (decision.action === 'next_model') {
          if (decision.holdMs !== undefined) breaker.hold(decision.holdMs);
          switchReason = decision.reason;
          break;
        }
        yield { type: 'retry', attempt: made + 1, reason: decision.reason, delayMs: decision.delayMs, model: client.model };
        announced = true;
        await this.clock.sleep(decision.delayMs, signal);
      }
    }
    throw exhausted(lastError ?? skipped, this.opts.routes.length);
  }

  /** One attempt against one model. Returns instead of throwing on a model failure so the caller can decide. */
  private async *attempt(
    client: ModelClient,
    request: ModelRequest,
    signal: AbortSignal | undefined,
    permit: BreakerPermit,
    reservation: Reservation | undefined,
    attemptNo: number,
  ): AsyncGenerator<ModelStreamEvent, { ok: true } | { ok: false; error: ModelError }> {
    const startedAt = this.clock.now();
    const t0 = performance.now();
    let response: ModelResponse | undefined;
    let settled = false;
    try {
      for await (const ev of client.stream(request, signal)) {
        if (ev.type === 'response') response = ev.response;
        else yield ev;
      }
      if (!response) {
        throw new ModelError({ kind: 'stream_broken', message: `the stream for ${client.model} ended without a response`, model: client.model });
      }
    } catch (e) {
      settled = true;
      // Whatever the transport says (a cut socket, "terminated"), a call the caller aborted was cancelled:
      // it is recorded as such and never retried.
      const error = signal?.aborted ? new ModelError({ kind: 'cancelled', message: 'the model call was cancelled', model: client.model }) : isModelError(e) ? e : undefined;
      permit.settle(error && isTransient(error.kind) ? 'failure' : 'neutral');
      reservation?.settle(0);
      this.record(client, attemptNo, error?.kind ?? 'stream_broken', performance.now() - t0, emptyUsage(), undefined, e instanceof Error ? e.message : String(e), startedAt);
      if (!error) throw e;
      return { ok: false, error };
    } finally {
      // The consumer stopped reading (it returned or threw): the call says nothing about the model.
      if (!settled && !response) {
        permit.settle('neutral');
        reservation?.settle(0);
      }
    }
    permit.settle('success');
    const used = totalTokens(response.usage);
    reservation?.settle(used);
    // The answering model's name first (a dated snapshot has its own price), else the one asked for.
    const cost = estimateCost(response.model, response.usage, this.pricing) ?? estimateCost(client.model, response.usage, this.pricing);
    this.opts.budget?.record({ tokens: used, costUsd: cost ?? 0 });
    this.record(client, attemptNo, 'ok', performance.now() - t0, response.usage, response.model, undefined, startedAt, cost ?? 0, cost !== undefined);
    yield { type: 'response', response: { ...response, costUsd: cost ?? null } };
    return { ok: true };
  }

  /** Throws when the call would cross a budget; caps the output to what the token budgets have left. */
  private checkBudget(request: ModelRequest, model: string, estimate: number, attemptNo: number): ModelRequest {
    const budget = this.opts.budget;
    if (!budget) return request;
    const costUsd = estimateCost(model, { inputTokens: estimate, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, this.pricing) ?? 0;
    try {
      budget.check({ tokens: estimate, costUsd });
    } catch (e) {
      if (e instanceof BudgetExceededError) this.record({ model, protocol: this.protocol }, attemptNo, 'budget_exceeded', 0, emptyUsage(), undefined, e.message);
      throw e;
    }
    const left = budget.remainingTokens();
    if (left === undefined) return request;
    const cap = Math.max(1, left - estimate);
    return cap < (request.maxOutputTokens ?? OUTPUT_CAP_FLOOR) ? { ...request, maxOutputTokens: cap } : request;
  }

  private record(
    client: Pick<ModelClient, 'model' | 'protocol'>,
    attempt: number,
    outcome: ModelCallOutcome,
    latencyMs: number,
    usage: Usage,
    answeredBy?: string,
    error?: string,
    startedAt: number = this.clock.now(),
    costUsd = 0,
    priced = true,
  ): void {
    const observer = this.opts.onCall;
    if (!observer) return;
    const ctx = this.opts.context?.() ?? {};
    try {
      observer({
        time: new Date(startedAt).toISOString(),
        ...(ctx.runId !== undefined ? { runId: ctx.runId } : {}),
        ...(ctx.step !== undefined ? { step: ctx.step } : {}),
        ...(ctx.profile !== undefined ? { profile: ctx.profile } : {}),
        ...(ctx.kind !== undefined ? { kind: ctx.kind } : {}),
        ...(ctx.tags !== undefined ? { tags: { ...ctx.tags } } : {}),
        skills: [...(ctx.skills ?? [])],
        model: client.model,
        ...(answeredBy !== undefined ? { answeredBy } : {}),
        protocol: client.protocol,
        attempt,
        usage,
        costUsd,
        ...(outcome === 'ok' && !priced ? { costKnown: false } : {}),
        latencyMs: Math.max(0, latencyMs),
        outcome,
        ...(error !== undefined ? { error } : {}),
      });
    } catch {
      // A ledger or trace that cannot write must not fail the model call.
    }
  }
}

function breakerOpen(client: ModelClient, retryAt: number | undefined, now: number): ModelError {
  const wait = retryAt !== undefined ? ` for another ${Math.max(1, Math.ceil((retryAt - now) / 1000))} s` : '';
  return new ModelError({
    kind: 'overloaded',
    message: `model ${client.model} is unavailable: its circuit breaker is open after repeated failures and fails fast${wait}`,
    model: client.model,
  });
}

/** Every model was tried or skipped: report the last real failure, saying fallbacks were tried. */
function exhausted(last: ModelError | undefined, routes: number): ModelError {
  if (!last) return new ModelError({ kind: 'overloaded', message: 'no model is available' });
  // A refused key is reported as it is: the fix is a new key, whatever the fallbacks did.
  if (routes <= 1 || last.kind === 'auth') return last;
  return new ModelError({
    kind: last.kind,
    message: `${last.message} (and every fallback model failed or was unavailable)`,
    status: last.status,
    retryAfterMs: last.retryAfterMs,
    shouldRetry: last.shouldRetry,
    url: last.url,
    model: last.model,
    cause: last,
  });
}
