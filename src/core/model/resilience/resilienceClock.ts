import { ModelError } from '../errors';

/**
 * Time as the resilience layer sees it. Tests inject a fake (or use vitest fake timers with the
 * default, which reads Date.now and setTimeout at call time), so no test ever sleeps for real.
 */
export interface ResilienceClock {
  now(): number;
  /** Waits `ms`, or rejects with a `cancelled` ModelError as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemResilienceClock: ResilienceClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
};

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): ModelError {
  return new ModelError({ kind: 'cancelled', message: 'the model call was cancelled' });
}
