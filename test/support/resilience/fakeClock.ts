import type { ResilienceClock } from '../../../src/core/model/resilience/resilienceClock';
import { ModelError } from '../../../src/core/model/errors';

/** A clock whose sleeps return at once and move time forward, recording each wait. */
export class FakeClock implements ResilienceClock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.parse('2026-11-21T10:00:00Z')) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new ModelError({ kind: 'cancelled', message: 'cancelled' });
    this.sleeps.push(ms);
    this.time += ms;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
