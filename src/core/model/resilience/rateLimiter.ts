import { z } from 'zod';
import type { ResilienceClock } from './resilienceClock';

/**
 * Client-side limits per model, so one user's agent does not trip the team's gateway quota.
 * A sliding one-minute window of requests and tokens: a call reserves its estimated tokens before it
 * goes and corrects the reservation to the actual usage when it has finished.
 */
export const RateLimitSchema = z.object({
  requestsPerMinute: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

const WINDOW_MS = 60_000;

interface Entry {
  at: number;
  tokens: number;
}

export interface Reservation {
  /** Replace the estimate with what the call actually used. */
  settle(actualTokens: number): void;
}

export class RateLimiter {
  private readonly windows = new Map<string, Entry[]>();

  constructor(
    private readonly limits: Readonly<Record<string, RateLimit>>,
    private readonly clock: ResilienceClock,
  ) {}

  hasLimit(model: string): boolean {
    const l = this.limits[model];
    return Boolean(l && (l.requestsPerMinute || l.tokensPerMinute));
  }

  /** How long a call of `tokens` must wait before it fits in the window (0 = now). */
  waitFor(model: string, tokens: number): number {
    const limit = this.limits[model];
    if (!limit) return 0;
    const now = this.clock.now();
    const entries = this.prune(model, now);
    let wait = 0;
    if (limit.requestsPerMinute && entries.length >= limit.requestsPerMinute) {
      const oldest = entries[entries.length - limit.requestsPerMinute];
      if (oldest) wait = Math.max(wait, oldest.at + WINDOW_MS - now);
    }
    if (limit.tokensPerMinute) {
      // A request bigger than the whole budget still goes once the window is empty, or it never could.
      const need = Math.min(tokens, limit.tokensPerMinute);
      let used = entries.reduce((s, e) => s + e.tokens, 0);
      for (const e of entries) {
        if (used + need <= limit.tokensPerMinute) break;
        used -= e.tokens;
        wait = Math.max(wait, e.at + WINDOW_MS - now);
      }
    }
    return Math.max(0, wait);
  }

  /** Waits until the call fits, then records it. */
  async acquire(model: string, tokens: number, signal?: AbortSignal): Promise<Reservation> {
    if (!this.hasLimit(model)) return { settle: () => undefined };
    for (;;) {
      const wait = this.waitFor(model, tokens);
      if (wait <= 0) break;
      await this.clock.sleep(wait, signal);
    }
    const entry: Entry = { at: this.clock.now(), tokens };
    this.list(model).push(entry);
    return {
      settle: (actual) => {
        entry.tokens = actual;
      },
    };
  }

  private list(model: string): Entry[] {
    let l = this.windows.get(model);
    if (!l) {
      l = [];
      this.windows.set(model, l);
    }
    return l;
  }

  private prune(model: string, now: number): Entry[] {
    const l = this.list(model);
    while (l.length > 0 && (l[0]?.at ?? 0) + WINDOW_MS <= now) l.shift();
    return l;
  }
}
