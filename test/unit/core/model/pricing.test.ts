import { describe, expect, it } from 'vitest';
import { estimateCost, findPrice, hasPrice, nameVariants, tablePricing } from '../../../../src/core/model/pricing';
import { genaiPricesPricing } from '../../../../src/adapters/prices/genaiPricesCatalog';

const M = (input: number, output = 0, cacheRead = 0, cacheWrite = 0) => ({ inputTokens: input, outputTokens: output, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite });

describe('a user price table', () => {
  it('finds dated snapshots and provider-prefixed names, never by prefix', () => {
    expect(findPrice('claude-sonnet-4-5-20250929', { 'claude-sonnet-4-5': { input: 3, output: 15 } })?.input).toBe(3);
    expect(findPrice('claude-sonnet-4-5@20250929', { 'claude-sonnet-4-5': { input: 3, output: 15 } })?.input).toBe(3);
    expect(findPrice('gpt-4o-2024-08-06', { 'gpt-4o': { input: 2.5, output: 10 } })?.input).toBe(2.5);
    expect(findPrice('openai/gpt-4o-mini', { 'gpt-4o': { input: 2.5, output: 10 }, 'gpt-4o-mini': { input: 0.15, output: 0.6 } })?.input).toBe(0.15);
    // gpt-5-nano is not gpt-5, gpt-4.1-nano is not gpt-4.1: a prefix is a different model.
    expect(findPrice('gpt-5-nano', { 'gpt-5': { input: 1.25, output: 10 } })).toBeUndefined();
    expect(findPrice('gpt-4.1-nano', { 'gpt-4.1': { input: 2, output: 8 } })).toBeUndefined();
    expect(findPrice('constructor', {})).toBeUndefined();
    expect(nameVariants('openrouter/anthropic/claude-sonnet-4-5-20250929')).toEqual(['openrouter/anthropic/claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929', 'openrouter/anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5']);
  });

  it('weights each counter by its own price, cache reads and writes included', () => {
    const pricing = tablePricing({ m: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } });
    expect(estimateCost('m', M(1_000_000, 100_000, 2_000_000, 400_000), pricing)).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 9);
  });

  it('wins over the catalog, and a model in neither has no price (undefined, never 0)', () => {
    const pricing = tablePricing({ 'gpt-4o': { input: 1, output: 1 }, 'my-gateway-model': { input: 7, output: 7 } }, genaiPricesPricing());
    expect(estimateCost('my-gateway-model', M(1_000_000), pricing)).toBe(7);
    expect(estimateCost('gpt-4o', M(1_000_000), pricing)).toBe(1);
    expect(estimateCost('llama3.1:8b', M(1_000_000), pricing)).toBeUndefined();
    expect(hasPrice('llama3.1:8b', pricing)).toBe(false);
  });
});

describe('the catalog (@pydantic/genai-prices)', () => {
  const catalog = genaiPricesPricing();
  it('prices the models the old prefix table got wrong, each at its own price', () => {
    const nano = catalog.cost('gpt-5-nano', M(1_000_000))!;
    const full = catalog.cost('gpt-5', M(1_000_000))!;
    expect(nano).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(nano * 5);
    expect(catalog.cost('gpt-4.1-nano', M(1_000_000))).toBeLessThan(catalog.cost('gpt-4.1', M(1_000_000))!);
    expect(catalog.cost('claude-opus-4-5', M(1_000_000))).toBeGreaterThan(0);
  });
  it('resolves dated and provider-prefixed names', () => {
    expect(catalog.cost('gpt-4o-2024-08-06', M(1_000_000))).toBeCloseTo(catalog.cost('gpt-4o', M(1_000_000))!, 9);
    expect(catalog.cost('openai/gpt-4o', M(1_000_000))).toBeCloseTo(catalog.cost('gpt-4o', M(1_000_000))!, 9);
    expect(catalog.cost('anthropic/claude-sonnet-4-5', M(1_000_000))).toBeGreaterThan(0);
  });
  it('prices cache reads below fresh input', () => {
    const fresh = catalog.cost('claude-sonnet-4-5', M(100_000))!;
    const cached = catalog.cost('claude-sonnet-4-5', M(0, 0, 100_000))!;
    expect(cached).toBeGreaterThan(0);
    expect(cached).toBeLessThan(fresh / 5);
  });
});
