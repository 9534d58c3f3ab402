import { describe, expect, it } from 'vitest';
import { BudgetConfigError, resolveBudgets } from '../../../../src/core/model/budgetChoice';

describe('resolveBudgets: the one budget rule of every entry point', () => {
  it('takes the chosen run cost over the profile, and the profile cost when none was chosen', () => {
    expect(resolveBudgets({ runTokens: 1000, runCostUsd: 2, env: {} }, { maxCostUsd: 5, builtIn: false })).toEqual({ budgets: { run: { tokens: 1000, costUsd: 2 } } });
    expect(resolveBudgets({ runTokens: 1000, runCostUsd: 0, env: {} }, { maxCostUsd: 5, builtIn: false })).toEqual({ budgets: { run: { tokens: 1000, costUsd: 5 } } });
    expect(resolveBudgets({ env: {} }, { maxCostUsd: 5, builtIn: false })).toEqual({ budgets: { run: { costUsd: 5 } } });
  });

  it("makes a built-in profile's cost a default (the gateway drops it for an unpriced model), never when a cost was chosen", () => {
    expect(resolveBudgets({ runTokens: 1000, env: {} }, { maxCostUsd: 5, builtIn: true })).toEqual({ budgets: { run: { tokens: 1000 } }, defaultRunCostUsd: 5 });
    expect(resolveBudgets({ runCostUsd: 1, env: {} }, { maxCostUsd: 5, builtIn: true })).toEqual({ budgets: { run: { costUsd: 1 } } });
  });

  it('sets no run budget when nothing limits the run, and treats 0 tokens as no limit', () => {
    expect(resolveBudgets({ env: {} }, { builtIn: true })).toEqual({ budgets: {} });
    expect(resolveBudgets({ runTokens: 0, env: {} }, { builtIn: false })).toEqual({ budgets: {} });
  });

  it('reads the day budgets from the environment, with or without $ and blanks', () => {
    const r = resolveBudgets({ env: { AGENT_HARNESS_MAX_TOKENS_PER_DAY: ' 90000 ', AGENT_HARNESS_MAX_COST_PER_DAY: '$3.50' } }, { builtIn: false });
    expect(r.budgets.day).toEqual({ tokens: 90000, costUsd: 3.5 });
    expect(resolveBudgets({ env: { AGENT_HARNESS_MAX_TOKENS_PER_DAY: '' } }, { builtIn: false }).budgets.day).toBeUndefined();
  });

  it.each([
    ['AGENT_HARNESS_MAX_TOKENS_PER_DAY', 'lots'],
    ['AGENT_HARNESS_MAX_TOKENS_PER_DAY', '1.5'],
    ['AGENT_HARNESS_MAX_TOKENS_PER_DAY', '-3'],
    ['AGENT_HARNESS_MAX_TOKENS_PER_DAY', '0'],
    ['AGENT_HARNESS_MAX_COST_PER_DAY', '0'],
    ['AGENT_HARNESS_MAX_COST_PER_DAY', '5 dollars'],
    ['AGENT_HARNESS_MAX_COST_PER_DAY', '1e3'],
  ])('refuses %s=%s with a message that names the variable and the value', (name, value) => {
    let caught: unknown;
    try {
      resolveBudgets({ env: { [name]: value } }, { builtIn: false });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BudgetConfigError);
    expect((caught as Error).message).toContain(name);
    expect((caught as Error).message).toContain(`"${value}"`);
  });
});
