import { z } from 'zod';

/**
 * Hard budgets: tokens and cost per run, per session and per day. They are checked before each model
 * call (with an estimate of the request) and charged after it (with the actual usage). They only act
 * at model-call boundaries, so a run never stops in the middle of running a tool or writing a file.
 */
export const BudgetLimitSchema = z.object({
  tokens: z.number().int().positive().optional(),
  costUsd: z.number().positive().optional(),
});
export type BudgetLimit = z.infer<typeof BudgetLimitSchema>;

export const BudgetsSchema = z.object({
  run: BudgetLimitSchema.optional(),
  session: BudgetLimitSchema.optional(),
  day: BudgetLimitSchema.optional(),
});
export type Budgets = z.infer<typeof BudgetsSchema>;

export type BudgetScope = 'run' | 'session' | 'day';
export type BudgetName = `${BudgetScope}_tokens` | `${BudgetScope}_cost`;

export interface Amount {
  tokens: number;
  costUsd: number;
}

/** A run reached one of its budgets. The loop ends the run with status `budget_exceeded`. */
export class BudgetExceededError extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly limit: number,
    readonly used: number,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

export function isBudgetExceededError(e: unknown): e is BudgetExceededError {
  return e instanceof BudgetExceededError;
}

/** Spend in one scope. A session's spend object is shared by the runs of that session. */
export class Spend implements Amount {
  tokens = 0;
  costUsd = 0;
  add(a: Amount): void {
    this.tokens += a.tokens;
    this.costUsd += a.costUsd;
  }
}

/** Spend for the current local day; it starts again at midnight. Seeded from the usage ledger at startup. */
export class DaySpend implements Amount {
  private day: string;
  private spent = new Spend();

  constructor(
    private readonly now: () => Date = () => new Date(),
    seed?: Amount & { day: string },
  ) {
    this.day = localDay(this.now());
    if (seed && seed.day === this.day) this.spent.add(seed);
  }

  get tokens(): number {
    this.roll();
    return this.spent.tokens;
  }

  get costUsd(): number {
    this.roll();
    return this.spent.costUsd;
  }

  add(a: Amount): void {
    this.roll();
    this.spent.add(a);
  }

  /**
   * Today's spend as the ledger counts it (which holds this process's own written calls too): it
   * replaces what was counted in memory. A seed for another day is ignored.
   */
  seed(from: Amount & { day: string }): void {
    this.roll();
    if (from.day !== this.day) return;
    this.spent = new Spend();
    this.spent.add(from);
  }

  private roll(): void {
    const today = localDay(this.now());
    if (today !== this.day) {
      this.day = today;
      this.spent = new Spend();
    }
  }
}

/** `YYYY-MM-DD` in local time: a person's "per day" is their own day. */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export interface BudgetGuardInit {
  limits: Budgets;
  run?: Spend;
  session?: Spend;
  day?: DaySpend;
}

export class BudgetGuard {
  readonly limits: Budgets;
  readonly spend: Record<BudgetScope, Amount & { add(a: Amount): void }>;

  constructor(init: BudgetGuardInit) {
    this.limits = BudgetsSchema.parse(init.limits);
    this.spend = { run: init.run ?? new Spend(), session: init.session ?? new Spend(), day: init.day ?? new DaySpend() };
  }

  /** Throws before a call whose estimated cost would cross a budget, or when one is already used up. */
  check(estimate: Amount): void {
    for (const scope of SCOPES) {
      const limit = this.limits[scope];
      if (!limit) continue;
      const used = this.spend[scope];
      if (limit.tokens !== undefined && used.tokens + estimate.tokens > limit.tokens) {
        throw new BudgetExceededError(`${scope}_tokens`, limit.tokens, used.tokens, tokenMessage(scope, limit.tokens, used.tokens, estimate.tokens));
      }
      if (limit.costUsd !== undefined && used.costUsd + estimate.costUsd > limit.costUsd) {
        throw new BudgetExceededError(`${scope}_cost`, limit.costUsd, used.costUsd, costMessage(scope, limit.costUsd, used.costUsd, estimate.costUsd));
      }
    }
  }

  record(actual: Amount): void {
    for (const scope of SCOPES) this.spend[scope].add(actual);
  }

  /** The fewest tokens any token budget has left (undefined when none is set), to cap a call's output. */
  remainingTokens(): number | undefined {
    let least: number | undefined;
    for (const scope of SCOPES) {
      const limit = this.limits[scope]?.tokens;
      if (limit === undefined) continue;
      const left = Math.max(0, limit - this.spend[scope].tokens);
      least = least === undefined ? left : Math.min(least, left);
    }
    return least;
  }
}

const SCOPES: readonly BudgetScope[] = ['run', 'session', 'day'];
const SCOPE_WORD: Record<BudgetScope, string> = { run: 'run', session: 'session', day: "today's" };

function tokenMessage(scope: BudgetScope, limit: number, used: number, next: number): string {
  const tail = used >= limit ? '' : `; the next model call needs about ${fmt(next)} more`;
  return `the ${SCOPE_WORD[scope]} token budget of ${fmt(limit)} is reached (used ${fmt(used)}${tail})`;
}

function costMessage(scope: BudgetScope, limit: number, used: number, next: number): string {
  const tail = used >= limit ? '' : `; the next model call costs about $${next.toFixed(4)} more`;
  return `the ${SCOPE_WORD[scope]} cost budget of $${limit.toFixed(2)} is reached (spent $${used.toFixed(4)}${tail})`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
