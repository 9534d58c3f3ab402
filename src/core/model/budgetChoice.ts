import type { Budgets } from './budgets';

/** What a person chose for one run's budgets: a front end's settings or flags, and the environment's day budgets. */
export interface BudgetChoice {
  /** Tokens for the run (a setting, --max-tokens); absent or 0: no token limit. */
  runTokens?: number;
  /** Dollars for the run (a setting, --max-cost); absent or 0: the profile's limit, if any. */
  runCostUsd?: number;
  /** AGENT_HARNESS_MAX_TOKENS_PER_DAY and AGENT_HARNESS_MAX_COST_PER_DAY are read from here. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The profile's part: its cost limit, and whether it is a built-in one (a default nobody chose). */
export interface ProfileBudget {
  maxCostUsd?: number;
  builtIn: boolean;
}

export interface ResolvedBudgets {
  budgets: Budgets;
  /**
   * A built-in profile's cost limit when nothing else set one: the gateway applies it to priced models
   * and drops it, with a notice, for a model without a price (an explicit cost budget is refused then).
   */
  defaultRunCostUsd?: number;
}

/** A malformed budget in the environment; front ends show the message as is (it names the variable). */
export class BudgetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetConfigError';
  }
}

/**
 * The one rule for a run's budgets, used by every entry point (runs, resumes, code reviews, evals,
 * team runs): the chosen run cost wins over the profile's; a built-in profile's cost is a default; the
 * day budgets come from the environment, and a malformed one names its variable instead of being ignored.
 */
export function resolveBudgets(choice: BudgetChoice, profile: ProfileBudget): ResolvedBudgets {
  const budgets: Budgets = {};
  const chosenCost = choice.runCostUsd !== undefined && choice.runCostUsd > 0 ? choice.runCostUsd : undefined;
  const defaultRunCostUsd = chosenCost === undefined && profile.builtIn ? profile.maxCostUsd : undefined;
  const runCost = chosenCost ?? (profile.builtIn ? undefined : profile.maxCostUsd);
  const runTokens = choice.runTokens !== undefined && choice.runTokens > 0 ? choice.runTokens : undefined;
  if (runTokens !== undefined || runCost !== undefined) budgets.run = { ...(runTokens !== undefined ? { tokens: runTokens } : {}), ...(runCost !== undefined ? { costUsd: runCost } : {}) };
  const day = dayBudget(choice.env);
  if (day) budgets.day = day;
  return { budgets, ...(defaultRunCostUsd !== undefined ? { defaultRunCostUsd } : {}) };
}

function dayBudget(env: BudgetChoice['env']): Budgets['day'] {
  const tokens = env.AGENT_HARNESS_MAX_TOKENS_PER_DAY?.trim();
  const cost = env.AGENT_HARNESS_MAX_COST_PER_DAY?.trim();
  if (!tokens && !cost) return undefined;
  return {
    ...(tokens ? { tokens: wholeTokens(tokens, 'AGENT_HARNESS_MAX_TOKENS_PER_DAY') } : {}),
    ...(cost ? { costUsd: dollars(cost, 'AGENT_HARNESS_MAX_COST_PER_DAY') } : {}),
  };
}

/** A positive whole number of tokens; anything else names `source`. */
export function wholeTokens(value: string, source: string): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new BudgetConfigError(`${source} must be a positive whole number of tokens, got "${value}"`);
  return n;
}

/** A positive amount of US dollars, `$` allowed; anything else names `source`. */
export function dollars(value: string, source: string): number {
  const v = value.trim();
  const n = Number(v.replace(/^\$/, ''));
  if (!/^\$?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n <= 0) throw new BudgetConfigError(`${source} must be a positive amount in US dollars such as 0.50, got "${value}"`);
  return n;
}
