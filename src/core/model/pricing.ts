import { z } from 'zod';
import type { Usage } from './usage';

/** Prices in US dollars per million tokens. */
export const ModelPriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const PriceTableSchema = z.record(z.string(), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/**
 * Built-in list prices (USD per 1M tokens) for common models. Users extend or override it with their
 * own table (settings or `--prices FILE`), which is how gateway-specific names get a price.
 * A model missing from every table costs 0 and the report says the price is unknown.
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

/**
 * Looks a model up by exact name, then by the longest table key that prefixes it, so dated
 * snapshots (`claude-sonnet-4-5-20250929`) and gateway prefixes (`openai/gpt-4o`) find their price.
 */
export function findPrice(model: string, table: PriceTable): ModelPrice | undefined {
  if (table[model]) return table[model];
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  if (table[bare]) return table[bare];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (bare.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return best ? table[best] : undefined;
}

export function estimateCost(model: string, usage: Usage, table: PriceTable = DEFAULT_PRICES): number {
  const p = findPrice(model, table);
  if (!p) return 0;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(p.input) +
    usage.outputTokens * perToken(p.output) +
    usage.cacheReadTokens * perToken(p.cacheRead ?? p.input) +
    usage.cacheWriteTokens * perToken(p.cacheWrite ?? p.input)
  );
}
