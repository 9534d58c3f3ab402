import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../../../src/core/model/resilience/rateLimiter';
import { FakeClock } from '../../../../support/resilience/fakeClock';

describe('RateLimiter', () => {
  it('lets requests through up to requestsPerMinute, then waits for the oldest to leave the window', async () => {
    const clock = new FakeClock();
    const rl = new RateLimiter({ m: { requestsPerMinute: 2 } }, clock);
    await rl.acquire('m', 10);
    clock.advance(10_000);
    await rl.acquire('m', 10);
    expect(rl.waitFor('m', 10)).toBe(50_000);
    await rl.acquire('m', 10);
    expect(clock.sleeps).toEqual([50_000]);
  });

  it('limits tokens per minute, and corrects the estimate with the actual usage', async () => {
    const clock = new FakeClock();
    const rl = new RateLimiter({ m: { tokensPerMinute: 1000 } }, clock);
    const r = await rl.acquire('m', 900);
    expect(rl.waitFor('m', 200)).toBe(60_000);
    r.settle(100);
    expect(rl.waitFor('m', 200)).toBe(0);
  });

  it('a request larger than the whole budget still goes once the window is empty', async () => {
    const clock = new FakeClock();
    const rl = new RateLimiter({ m: { tokensPerMinute: 1000 } }, clock);
    expect(rl.waitFor('m', 5000)).toBe(0);
    await rl.acquire('m', 5000);
    expect(rl.waitFor('m', 5000)).toBe(60_000);
  });

  it('models without limits never wait, and limits are per model', async () => {
    const clock = new FakeClock();
    const rl = new RateLimiter({ a: { requestsPerMinute: 1 } }, clock);
    await rl.acquire('a', 1);
    for (let i = 0; i < 100; i++) await rl.acquire('b', 1_000_000);
    expect(clock.sleeps).toEqual([]);
    expect(rl.waitFor('a', 1)).toBe(60_000);
  });
});
