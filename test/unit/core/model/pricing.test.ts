import { describe, expect, it } from 'vitest';
import { estimateCost, findPrice } from '../../../../src/core/model/pricing';

describe('pricing', () => {
  it('finds dated snapshots and gateway-prefixed names by prefix', () => {
    expect(findPrice('claude-sonnet-4-5-20250929', { 'claude-sonnet-4-5': { input: 3, output: 15 } })?.input).toBe(3);
    expect(findPrice('openai/gpt-4o-mini', { 'gpt-4o': { input: 2.5, output: 10 }, 'gpt-4o-mini': { input: 0.15, output: 0.6 } })?.input).toBe(0.15);
    expect(findPrice('unknown-model', { 'gpt-4o': { input: 2.5, output: 10 } })).toBeUndefined();
  });

  it('weights each counter by its own price, cache reads and writes included', () => {
    const table = { m: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } };
    const cost = estimateCost('m', { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheWriteTokens: 400_000 }, table);
    expect(cost).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 9);
  });

  it('lets a user table price a model the built-in table does not know', () => {
    expect(estimateCost('my-gateway-model', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, { 'my-gateway-model': { input: 7, output: 7 } })).toBe(7);
  });
});
