import { z } from 'zod';
import type { Usage } from './usage';

/** Prices in US dollars per million tokens. */
export const ModelPriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const PriceTableSchema = z.record(z.string().min(1), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/**
 * What a model call cost. `undefined` means the price is not known: never $0, which would let a cost
 * budget wave every call through and show a local or unlisted model as free.
 */
export interface Pricing {
  cost(model: string, usage: Usage): number | undefined;
}

/** A configuration that cannot be honoured: a cost budget on models without a known price. */
export class PricingError extends Error {
  constructor(readonly models: readonly string[]) {
    super(unpricedBudgetMessage(models, 'give their prices'));
    this.name = 'PricingError';
  }
}

/** The sentence for a cost budget on unpriced models; `how` says where this front end takes prices. */
export function unpricedBudgetMessage(models: readonly string[], how: string): string {
  return `a cost budget is set, but the price of ${models.map((m) => `"${m}"`).join(', ')} is unknown, so the budget could not stop ${models.length === 1 ? 'it' : 'them'}; ${how} (USD per million tokens), or use a token budget instead`;
}

/**
 * A small built-in table, used only where no catalog is wired in (unit tests, the core on its own).
 * The products use the maintained catalog (src/adapters/prices) with the user's table on top.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
  'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4-0': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku-latest': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
};

/** `-20250929`, `-2024-08-06`, `@20250929` (Vertex), `-latest`, `-v1:0` (Bedrock): the model without its snapshot. */
const SNAPSHOT = /(?:[-@](?:\d{8}|\d{4}-\d{2}-\d{2})|-latest|-v\d+(?::\d+)?)$/;

/** The names a model may be listed under: as given, without a provider prefix, without its snapshot. */
export function nameVariants(model: string): string[] {
  const out = [model];
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  if (bare !== model) out.push(bare);
  for (const n of [...out]) {
    const undated = n.replace(SNAPSHOT, '');
    if (undated !== n && undated !== '') out.push(undated);
  }
  return [...new Set(out)];
}

/**
 * A table entry for the model under one of its names. Never by prefix: `gpt-5-nano` is not `gpt-5`,
 * `gpt-4.1-nano` is not `gpt-4.1`.
 */
export function findPrice(model: string, table: PriceTable): ModelPrice | undefined {
  for (const name of nameVariants(model)) if (Object.prototype.hasOwnProperty.call(table, name)) return table[name];
  return undefined;
}

export function costFromPrice(p: ModelPrice, usage: Usage): number {
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(p.input) +
    usage.outputTokens * perToken(p.output) +
    usage.cacheReadTokens * perToken(p.cacheRead ?? p.input) +
    usage.cacheWriteTokens * perToken(p.cacheWrite ?? p.input)
  );
}

/** The user's table first (their negotiated prices, their gateway's names), then `fallback`. */
export function tablePricing(table: PriceTable, fallback?: Pricing): Pricing {
  return {
    cost(model, usage) {
      const p = findPrice(model, table);
      return p ? costFromPrice(p, usage) : fallback?.cost(model, usage);
    },
  };
}

export const DEFAULT_PRICING: Pricing = tablePricing(DEFAULT_PRICES);

/** The cost of a call, or undefined when the model's price is unknown. */
export function estimateCost(model: string, usage: Usage, pricing: Pricing = DEFAULT_PRICING): number | undefined {
  return pricing.cost(model, usage);
}

/** Whether a price is known for `model` (asked with a small probe usage). */
export function hasPrice(model: string, pricing: Pricing): boolean {
  return pricing.cost(model, { inputTokens: 1000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0 }) !== undefined;
}
