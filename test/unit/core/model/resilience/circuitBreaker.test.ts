import { describe, expect, it } from 'vitest';
import { BreakerRegistry, type BreakerSnapshot, type BreakerStateStore } from '../../../../../src/core/model/resilience/circuitBreaker';
import { FakeClock } from '../../../../support/resilience/fakeClock';

class MemoryStore implements BreakerStateStore {
  saved: Record<string, BreakerSnapshot> = {};
  saves = 0;
  async load() {
    return structuredClone(this.saved);
  }
  async save(b: Record<string, BreakerSnapshot>) {
    this.saves++;
    this.saved = structuredClone(b);
  }
}

async function setup(store = new MemoryStore(), clock = new FakeClock()) {
  const reg = await BreakerRegistry.create({ options: { failureThreshold: 3, openMs: 10_000 }, clock, store });
  return { reg, clock, store, b: reg.get('m') };
}

function fail(b: ReturnType<BreakerRegistry['get']>, n: number) {
  for (let i = 0; i < n; i++) b.tryAcquire()?.settle('failure');
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and fails fast', async () => {
    const { b } = await setup();
    fail(b, 2);
    expect(b.current()).toBe('closed');
    fail(b, 1);
    expect(b.current()).toBe('open');
    expect(b.tryAcquire()).toBeUndefined();
  });

  it('a success resets the failure count', async () => {
    const { b } = await setup();
    fail(b, 2);
    b.tryAcquire()?.settle('success');
    fail(b, 2);
    expect(b.current()).toBe('closed');
  });

  it('lets exactly one probe through when half-open; its success closes it', async () => {
    const { b, clock } = await setup();
    fail(b, 3);
    clock.advance(10_000);
    expect(b.current()).toBe('half_open');
    const probe = b.tryAcquire();
    expect(probe?.probe).toBe(true);
    expect(b.tryAcquire()).toBeUndefined();
    expect(b.tryAcquire()).toBeUndefined();
    probe?.settle('success');
    expect(b.current()).toBe('closed');
    expect(b.tryAcquire()?.probe).toBe(false);
  });

  it('a failed probe opens it again for the full time', async () => {
    const { b, clock } = await setup();
    fail(b, 3);
    clock.advance(10_000);
    b.tryAcquire()?.settle('failure');
    expect(b.current()).toBe('open');
    clock.advance(9_999);
    expect(b.tryAcquire()).toBeUndefined();
    clock.advance(1);
    expect(b.tryAcquire()?.probe).toBe(true);
  });

  it('a neutral probe (cancelled) frees the probe slot without closing', async () => {
    const { b, clock } = await setup();
    fail(b, 3);
    clock.advance(10_000);
    b.tryAcquire()?.settle('neutral');
    expect(b.current()).toBe('half_open');
    expect(b.tryAcquire()?.probe).toBe(true);
  });

  it('keeps its state across a reload through the store', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const first = await setup(store, clock);
    fail(first.b, 3);
    await first.reg.flush();
    expect(store.saved.m).toMatchObject({ state: 'open', failures: 3 });

    const second = await setup(store, clock);
    expect(second.b.current()).toBe('open');
    expect(second.b.tryAcquire()).toBeUndefined();
    clock.advance(10_000);
    expect(second.b.tryAcquire()?.probe).toBe(true);
  });

  it('a probe in flight when the window reloads does not block a new probe', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const first = await setup(store, clock);
    fail(first.b, 3);
    clock.advance(10_000);
    first.b.tryAcquire();
    await first.reg.flush();
    const second = await setup(store, clock);
    expect(second.b.tryAcquire()?.probe).toBe(true);
  });

  it('hold() skips the model for a long retry-after', async () => {
    const { b, clock } = await setup();
    b.hold(3_600_000);
    expect(b.tryAcquire()).toBeUndefined();
    clock.advance(3_600_000);
    expect(b.tryAcquire()?.probe).toBe(true);
  });

  it('a store that cannot save never breaks a call', async () => {
    const store = new MemoryStore();
    store.save = async () => {
      throw new Error('disk full');
    };
    const { reg, b } = await setup(store);
    fail(b, 3);
    await reg.flush();
    expect(b.current()).toBe('open');
    expect(String(reg.lastSaveError)).toContain('disk full');
  });
});
