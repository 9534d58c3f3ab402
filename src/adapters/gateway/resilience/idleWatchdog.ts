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
  /**
   * The signal for this one call. It is always a fresh signal linked to the run's: the SDKs add an
   * abort listener per request, and adding them to the long-lived run signal piled up listeners
   * (Node warned after ten turns). The link is removed in dispose().
   */
  readonly signal: AbortSignal;
  private stalledFlag = false;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unlink: () => void;

  constructor(
    private readonly idleMs: number | undefined,
    outer: AbortSignal | undefined,
  ) {
    const controller = this.controller;
    this.signal = controller.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    this.unlink = () => outer?.removeEventListener('abort', onOuterAbort);
    if (idleMs === undefined || idleMs <= 0) return;
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
    this.unlink();
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
