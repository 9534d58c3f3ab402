import { ModelError, type ModelErrorKind } from '../../core/model/errors';
import { gatewayErrorInfo } from './gatewayErrorBody';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The error classes of the SDK that made the call. Each client passes its own, so mapping an error
 * never loads the other SDK (both are large; only the configured protocol's is loaded).
 */
export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIUserAbortError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
}

interface ErrorContext {
  url: string;
  model: string;
  sdk: SdkErrorClasses;
}

interface ApiErrorShape extends Error {
  status?: number;
  headers?: unknown;
  error?: unknown;
}

const CONTEXT_TOO_LONG_CODES = new Set(['context_length_exceeded', 'string_above_max_length', 'prompt_too_long']);
// Providers and gateways do not share a code for this; these are the phrasings they document.
const CONTEXT_TOO_LONG_TEXT = /context[ _-]?length|context window|prompt is too long|too many tokens|maximum context/i;

/** Maps any failure from either SDK (or from reading the stream) to one typed ModelError. */
export function toModelError(e: unknown, ctx: ErrorContext): ModelError {
  if (e instanceof ModelError) return e;
  const base = { url: ctx.url, model: ctx.model, cause: e };
  const sdk = ctx.sdk;
  if (e instanceof sdk.APIUserAbortError || isAbort(e)) {
    return new ModelError({ ...base, kind: 'cancelled', message: 'the model call was cancelled' });
  }
  if (e instanceof sdk.APIConnectionError) {
    const timeout = e instanceof sdk.APIConnectionTimeoutError;
    const why = describeCause(e);
    return new ModelError({
      ...base,
      kind: 'network',
      message: timeout ? `the gateway at ${ctx.url} did not answer in time` : `cannot reach the gateway at ${ctx.url}${why ? ` (${why})` : ''}`,
    });
  }
  if (e instanceof sdk.APIError) {
    const apiError = e as ApiErrorShape;
    const status = apiError.status;
    const headers = apiError.headers instanceof Headers ? apiError.headers : undefined;
    if (status === undefined) {
      // An error event inside an already started stream.
      return new ModelError({ ...base, kind: 'stream_broken', message: `the gateway ended the stream with an error: ${e.message}` });
    }
    const body = JSON.stringify(apiError.error ?? {});
    const kind = kindForStatus(status, `${e.message} ${body}`);
    // What the gateway said (its error body, whichever shape; see gatewayErrorBody.ts), else the SDK's words.
    const said = gatewayErrorInfo(body).message ?? e.message.replace(/^\d{3}\s+/, '');
    return new ModelError({
      ...base,
      kind,
      status,
      retryAfterMs: headers ? parseRetryAfter(headers) : undefined,
      shouldRetry: headers ? parseShouldRetry(headers) : undefined,
      message: messageFor(kind, status, said, ctx),
    });
  }
  if (e instanceof SyntaxError) {
    // The response was an event stream (checked before reading) but one event was not JSON: a
    // corrupted stream, which is worth re-issuing, unlike a wrong endpoint.
    return new ModelError({ ...base, kind: 'stream_broken', message: `the stream from ${ctx.url} carried a malformed event: ${e.message}` });
  }
  if (e instanceof Error && /\bterminated\b|socket|ECONNRESET|premature|\baborted\b/i.test(`${e.message} ${describeCause(e)}`)) {
    return new ModelError({ ...base, kind: 'stream_broken', message: `the stream from ${ctx.url} broke: ${e.message}` });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ModelError({ ...base, kind: 'stream_broken', message: `the model call to ${ctx.url} failed: ${msg}` });
}

export function kindForStatus(status: number, text: string): ModelErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  if (status === 408 || status === 409) return 'server';
  if (status === 400 || status === 413) {
    const code = /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if ((code && CONTEXT_TOO_LONG_CODES.has(code)) || status === 413 || CONTEXT_TOO_LONG_TEXT.test(text)) return 'context_too_long';
  }
  return 'bad_request';
}

function messageFor(kind: ModelErrorKind, status: number, said: string, ctx: ErrorContext): string {
  // The gateway's own words, when it said anything beyond the status line.
  const words = said && !/^(?:\d{3} )?status code \(no body\)$/.test(said) ? `: ${said}` : '';
  switch (kind) {
    case 'auth':
      return `the gateway at ${ctx.url} rejected the API key (HTTP ${status})${words}; set a valid key in AGENT_HARNESS_API_KEY (or "Agent Harness: Set Gateway Key")`;
    case 'rate_limited':
      return `the gateway at ${ctx.url} is rate limiting model ${ctx.model} (HTTP 429)${words}`;
    case 'overloaded':
      return `model ${ctx.model} is overloaded at ${ctx.url} (HTTP ${status})${words}`;
    case 'context_too_long':
      return `the request is too long for model ${ctx.model}'s context window (HTTP ${status})${words}`;
    case 'server':
      return `the gateway at ${ctx.url} failed (HTTP ${status})${words}`;
    default:
      return `the gateway at ${ctx.url} refused the request (HTTP ${status})${words}`;
  }
}

/** `retry-after-ms` (milliseconds), then `retry-after` (seconds or an HTTP date). Malformed values are ignored. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  const v = ra.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return undefined;
}

function parseShouldRetry(headers: Headers): boolean | undefined {
  const v = headers.get('x-should-retry');
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'APIUserAbortError');
}

function describeCause(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const inner = (cause as { cause?: unknown }).cause;
    const innerCode = inner instanceof Error ? (inner as { code?: unknown }).code : undefined;
    return [cause.message, typeof code === 'string' ? code : '', typeof innerCode === 'string' ? innerCode : ''].filter(Boolean).join(' ');
  }
  return '';
}
