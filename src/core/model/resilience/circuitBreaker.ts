import { z } from 'zod';
import type { ResilienceClock } from './resilienceClock';

/**
 * A circuit breaker per model. Closed: calls flow and consecutive transient failures are counted.
 * Open: calls fail fast (the caller moves to a fallback) until `openUntil`. Then exactly one call is
 * let through as a probe (half-open); its success closes the breaker, its failure opens it again.
 *
 * Calls are streams, so the breaker hands out permits that the caller settles when the stream has
 * finished, instead of wrapping a promise-returning function: that is what lets a second caller skip
 * straight to the fallback while a probe is in flight rather than queue behind it.
 */

export const BreakerOptionsSchema = z.object({
  /** Consecutive transient failures that open the breaker. */
  failureThreshold: z.number().int().positive().default(5),
  /** How long an opened breaker fails fast before it lets a probe through. */
  openMs: z.number().int().positive().default(30_000),
});
export type BreakerOptions = z.infer<typeof BreakerOptionsSchema>;

/** What survives a window reload. A probe in flight is not persisted: after a reload a new probe may go. */
export const BreakerSnapshotSchema = z.object({
  state: z.enum(['closed', 'open']),
  failures: z.number().int().nonnegative(),
  /** Epoch milliseconds after which a probe may go (state `open`). */
  openUntil: z.number().nonnegative().optional(),
});
export type BreakerSnapshot = z.infer<typeof BreakerSnapshotSchema>;

export const BreakerStateFileSchema = z.object({
  version: z.literal(1),
  breakers: z.record(z.string(), BreakerSnapshotSchema),
});
export type BreakerStateFile = z.infer<typeof BreakerStateFileSchema>;

/** The port that persists breaker state (a small JSON file in the CLI, global storage in the extension). */
export interface BreakerStateStore {
  load(): Promise<Record<string, BreakerSnapshot>>;
  save(breakers: Record<string, BreakerSnapshot>): Promise<void>;
}

export type BreakerState = 'closed' | 'open' | 'half_open';
export type PermitOutcome = 'success' | 'failure' | 'neutral';

export interface BreakerPermit {
  readonly probe: boolean;
  /** Call exactly once. `neutral` (a cancelled call, a bad request) says nothing about the model's health. */
  settle(outcome: PermitOutcome): void;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private probeInFlight = false;

  constructor(
    readonly key: string,
    private readonly options: BreakerOptions,
    private readonly clock: Pick<ResilienceClock, 'now'>,
    private readonly onChange: () => void = () => undefined,
    initial?: BreakerSnapshot,
  ) {
    if (initial) {
      this.state = initial.state;
      this.failures = initial.failures;
      this.openUntil = initial.openUntil ?? 0;
    }
  }

  /** The state as a caller would find it now (an open breaker whose time is up reads half-open). */
  current(): BreakerState {
    if (this.state === 'open' && this.clock.now() >= this.openUntil) return 'half_open';
    return this.state;
  }

  /** When an open breaker will let a probe through (epoch ms), for messages. */
  retryAt(): number | undefined {
    return this.state === 'closed' ? undefined : this.openUntil;
  }

  /** A permit to make one call, or undefined when the call must fail fast. */
  tryAcquire(): BreakerPermit | undefined {
    const now = this.clock.now();
    if (this.state === 'closed') return this.permit(false);
    if (this.state === 'open') {
      if (now < this.openUntil) return undefined;
      this.state = 'half_open';
    }
    if (this.probeInFlight) return undefined;
    this.probeInFlight = true;
    this.onChange();
    return this.permit(true);
  }

  /** Skip this model for at least `ms` (a retry-after longer than we will sleep). */
  hold(ms: number): void {
    this.state = 'open';
    this.openUntil = Math.max(this.openUntil, this.clock.now() + ms);
    this.onChange();
  }

  snapshot(): BreakerSnapshot {
    if (this.state === 'closed') return { state: 'closed', failures: this.failures };
    // Half-open is stored as open with its time up, so a reloaded window sends a fresh probe.
    return { state: 'open', failures: this.failures, openUntil: this.state === 'half_open' ? Math.min(this.openUntil, this.clock.now()) : this.openUntil };
  }

  private permit(probe: boolean): BreakerPermit {
    let settled = false;
    return {
      probe,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        this.settle(probe, outcome);
      },
    };
  }

  private settle(probe: boolean, outcome: PermitOutcome): void {
    if (probe) this.probeInFlight = false;
    const before = `${this.state}/${this.failures}`;
    if (outcome === 'success') {
      this.state = 'closed';
      this.failures = 0;
    } else if (outcome === 'failure') {
      this.failures++;
      if (probe || this.state !== 'closed' || this.failures >= this.options.failureThreshold) this.open();
    }
    if (probe || `${this.state}/${this.failures}` !== before) this.onChange();
  }

  private open(): void {
    this.state = 'open';
    this.openUntil = Math.max(this.openUntil, this.clock.now() + this.options.openMs);
  }
}

/** All breakers of a window (or CLI process), keyed by model, persisted through a store. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  /** The last error the store reported; persistence is best effort and never fails a model call. */
  lastSaveError: unknown;

  private constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Pick<ResilienceClock, 'now'>,
    private readonly store: BreakerStateStore | undefined,
    private readonly initial: Record<string, BreakerSnapshot>,
  ) {}

  static async create(opts: { options?: Partial<BreakerOptions>; clock: Pick<ResilienceClock, 'now'>; store?: BreakerStateStore }): Promise<BreakerRegistry> {
    const initial = opts.store ? await opts.store.load() : {};
    return new BreakerRegistry(BreakerOptionsSchema.parse(opts.options ?? {}), opts.clock, opts.store, initial);
  }

  get(key: string): CircuitBreaker {
    let b = this.breakers.get(key);
    if (!b) {
      b = new CircuitBreaker(key, this.options, this.clock, () => this.scheduleSave(), this.initial[key]);
      this.breakers.set(key, b);
    }
    return b;
  }

  snapshot(): Record<string, BreakerSnapshot> {
    const all: Record<string, BreakerSnapshot> = { ...this.initial };
    for (const [key, b] of this.breakers) all[key] = b.snapshot();
    return all;
  }

  /** Resolves when every change so far has been written. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private scheduleSave(): void {
    if (!this.store || this.dirty) return;
    this.dirty = true;
    // Writes are chained so they never interleave, and coalesced so a burst of changes is one write.
    this.saving = this.saving.then(async () => {
      this.dirty = false;
      try {
        await this.store?.save(this.snapshot());
      } catch (e) {
        this.lastSaveError = e;
      }
    });
  }
}
