/**
 * Typed model-call failures. Later layers act on `kind` (retry, fall back, compact, ask for a key),
 * so adapters must map every provider failure to exactly one of these.
 */
export type ModelErrorKind =
  | 'rate_limited' // 429: retry after `retryAfterMs` if given
  | 'overloaded' // 529 / provider overloaded
  | 'auth' // 401 / 403: a new key is needed; never retried or fallen back with the same key
  | 'context_too_long' // 400 whose message says the prompt is too long: compaction can act
  | 'bad_request' // other 4xx: the request itself is wrong; never retried
  | 'server' // 5xx
  | 'network' // connection refused / reset / DNS / timeout before a response
  | 'stream_broken' // the response started but did not finish (cut, stall, SSE error event)
  | 'protocol' // the endpoint does not speak the protocol (an HTML page from a proxy)
  | 'cancelled'; // the caller aborted

export interface ModelErrorInit {
  kind: ModelErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** `x-should-retry` from the provider, when it said. */
  shouldRetry?: boolean;
  url?: string;
  model?: string;
  cause?: unknown;
}

/**
 * The protocol adapters are bundled apart from the rest (each SDK loads only when its protocol is used),
 * so a ModelError may come from another copy of this class. A registry-wide symbol marks every copy,
 * and `instanceof` checks the mark instead of the prototype chain.
 */
const MODEL_ERROR = Symbol.for('agent-harness.ModelError');

export class ModelError extends Error {
  readonly [MODEL_ERROR] = true;
  readonly kind: ModelErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly shouldRetry?: boolean;
  readonly url?: string;
  readonly model?: string;

  constructor(init: ModelErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'ModelError';
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.shouldRetry = init.shouldRetry;
    this.url = init.url;
    this.model = init.model;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isModelError(value);
  }
}

export function isModelError(e: unknown): e is ModelError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[MODEL_ERROR] === true;
}
