import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdleWatchdog } from '../../../../../src/adapters/gateway/resilience/idleWatchdog';
import { FileBreakerStore } from '../../../../../src/adapters/gateway/resilience/fileBreakerStore';
import { tempDir } from '../../../../support/fixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('IdleWatchdog', () => {
  it('aborts after the idle time with no data, and each chunk restarts the silence', () => {
    vi.useFakeTimers();
    const w = new IdleWatchdog(1000, undefined);
    vi.advanceTimersByTime(900);
    w.kick();
    vi.advanceTimersByTime(900);
    expect(w.signal?.aborted).toBe(false);
    vi.advanceTimersByTime(100);
    expect(w.signal?.aborted).toBe(true);
    expect(w.stalled).toBe(true);
    expect(w.stallError('http://gw', 'm')).toMatchObject({ kind: 'stream_broken', message: 'the stream from http://gw stalled: no data for 1 s' });
  });

  it('follows the caller\'s signal, which is not a stall', () => {
    vi.useFakeTimers();
    const outer = new AbortController();
    const w = new IdleWatchdog(1000, outer.signal);
    outer.abort();
    expect(w.signal?.aborted).toBe(true);
    expect(w.stalled).toBe(false);
    w.dispose();
  });

  it('without an idle time it never stalls, but still follows the caller\'s signal through its own', () => {
    vi.useFakeTimers();
    const outer = new AbortController();
    const w = new IdleWatchdog(undefined, outer.signal);
    expect(w.signal).not.toBe(outer.signal);
    vi.advanceTimersByTime(10 * 60_000);
    expect(w.signal.aborted).toBe(false);
    outer.abort(new Error('stop'));
    expect(w.signal.aborted).toBe(true);
    expect(w.stalled).toBe(false);
  });

  it('lets go of the caller\'s signal when disposed, so long runs do not collect listeners', () => {
    const outer = new AbortController();
    const w = new IdleWatchdog(undefined, outer.signal);
    w.dispose();
    outer.abort();
    expect(w.signal.aborted).toBe(false);
  });

  it('a disposed watchdog never fires', () => {
    vi.useFakeTimers();
    const w = new IdleWatchdog(1000, undefined);
    w.dispose();
    vi.advanceTimersByTime(5000);
    expect(w.stalled).toBe(false);
  });
});

describe('FileBreakerStore', () => {
  it('round-trips state, and reads a missing or corrupt file as all closed', async () => {
    const dir = await tempDir('ah-breaker-');
    try {
      const store = new FileBreakerStore(join(dir, 'sub', 'state.json'));
      expect(await store.load()).toEqual({});
      await store.save({ 'openai:m': { state: 'open', failures: 5, openUntil: 123 } });
      expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual({ version: 1, breakers: { 'openai:m': { state: 'open', failures: 5, openUntil: 123 } } });
      expect(await store.load()).toEqual({ 'openai:m': { state: 'open', failures: 5, openUntil: 123 } });
      await writeFile(store.path, '{"version": 1, "breakers": {"x": {"state": "melted"}}}');
      expect(await store.load()).toEqual({});
      await writeFile(store.path, 'not json');
      expect(await store.load()).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
