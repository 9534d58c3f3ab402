import { describe, expect, it } from 'vitest';
import { BudgetExceededError, BudgetGuard, DaySpend, Spend } from '../../../../src/core/model/budgets';

function thrown(fn: () => void): BudgetExceededError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BudgetExceededError) return e;
    throw e;
  }
  throw new Error('expected a BudgetExceededError');
}

describe('BudgetGuard', () => {
  it('stops before a call whose estimate would cross the run token budget, naming it', () => {
    const g = new BudgetGuard({ limits: { run: { tokens: 1000 } } });
    g.check({ tokens: 600, costUsd: 0 });
    g.record({ tokens: 700, costUsd: 0 });
    const e = thrown(() => g.check({ tokens: 400, costUsd: 0 }));
    expect(e.budget).toBe('run_tokens');
    expect(e.message).toBe('the run token budget of 1,000 is reached (used 700; the next model call needs about 400 more)');
  });

  it('checks cost, and a session spend shared by two runs', () => {
    const session = new Spend();
    const first = new BudgetGuard({ limits: { session: { costUsd: 1 } }, session });
    first.record({ tokens: 10, costUsd: 0.9 });
    const second = new BudgetGuard({ limits: { session: { costUsd: 1 } }, session });
    const e = thrown(() => second.check({ tokens: 10, costUsd: 0.2 }));
    expect(e.budget).toBe('session_cost');
    expect(e.message).toContain('session cost budget of $1.00');
  });

  it('an exhausted budget stops even a free call', () => {
    const g = new BudgetGuard({ limits: { run: { costUsd: 0.5 } } });
    g.record({ tokens: 0, costUsd: 0.5 });
    expect(() => g.check({ tokens: 0, costUsd: 0 })).not.toThrow();
    g.record({ tokens: 0, costUsd: 0.01 });
    expect(thrown(() => g.check({ tokens: 0, costUsd: 0 })).message).toMatch(/^the run cost budget of \$0.50 is reached \(spent \$0.5100\)$/);
  });

  it('the day budget is seeded from the ledger and starts again at local midnight', () => {
    let now = new Date(2026, 10, 21, 23, 0);
    const day = new DaySpend(() => now, { day: '2026-11-21', tokens: 900, costUsd: 0 });
    const g = new BudgetGuard({ limits: { day: { tokens: 1000 } }, day });
    expect(thrown(() => g.check({ tokens: 200, costUsd: 0 })).budget).toBe('day_tokens');
    now = new Date(2026, 10, 22, 0, 1);
    expect(() => g.check({ tokens: 200, costUsd: 0 })).not.toThrow();
  });

  it('reports the fewest tokens any budget has left', () => {
    const g = new BudgetGuard({ limits: { run: { tokens: 5000 }, day: { tokens: 2000 } } });
    g.record({ tokens: 500, costUsd: 0 });
    expect(g.remainingTokens()).toBe(1500);
    expect(new BudgetGuard({ limits: {} }).remainingTokens()).toBeUndefined();
  });
});
