import { ModelError } from '../../../core/model/errors';

/** Options the protocol adapters take besides their GatewayConfig. */
export interface AdapterOptions {
  /**
   * Longest silence allowed on a response, from the request until the last chunk. The SDKs' own
   * timeout stops once the response has started, so a stream that stalls half way would otherwise
   * hang the run for ever. Off when undefined.
   */
  idleTimeoutMs?: number;
}

/**
 * Aborts a model call that goes quiet for longer than the idle timeout. The adapter kicks it on
 * every raw chunk (not only on the events it yields: a long tool call's arguments stream for a while
 * without yielding anything), and on a stall reports `stream_broken`, which the resilience layer
 * re-issues, instead of the `cancelled` an abort would otherwise read as.
 */
export class IdleWatchdog {
  readonly signal: AbortSignal | undefined;
  private stalledFlag = false;
  private readonly controller: AbortController | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly idleMs: number | undefined,
    outer: AbortSignal | undefined,
  ) {
    if (idleMs === undefined || idleMs <= 0) {
      this.signal = outer;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    this.timer = setTimeout(() => {
      this.stalledFlag = true;
      controller.abort(new Error('idle timeout'));
    }, idleMs);
  }

  get stalled(): boolean {
    return this.stalledFlag;
  }

  /** Some data arrived: the silence starts again. */
  kick(): void {
    this.timer?.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  stallError(url: string, model: string): ModelError {
    return new ModelError({
      kind: 'stream_broken',
      message: `the stream from ${url} stalled: no data for ${Math.round((this.idleMs ?? 0) / 1000)} s`,
      url,
      model,
    });
  }
}
