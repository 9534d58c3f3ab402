import type { ServerResponse } from 'node:http';
import type { ReplyContext, WireError, WireProtocol } from './protocol';
import type { FaultTurn, ReplyTurn, StreamFaultTurn, Turn } from './turn';
import { isFaultTurn } from './turn';

/**
 * Writes one scripted turn as an HTTP response: a reply as JSON or SSE, or a fault. The server has
 * already recorded and validated the request.
 */

export interface RespondInput {
  res: ServerResponse;
  protocol: WireProtocol;
  body: Record<string, unknown>;
  turn: Turn;
  ctx: ReplyContext;
  requestId: string;
  /** The server-wide pause between streamed events, used when the turn sets none. */
  defaultDelayMs: number;
}

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1><p>Your network requires you to sign in before using this service.</p></body></html>\n';

export function requestIdHeaders(requestId: string): Record<string, string> {
  // Both names are sent: OpenAI documents x-request-id, Anthropic request-id.
  return { 'x-request-id': requestId, 'request-id': requestId };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, protocol: WireProtocol, error: WireError, requestId: string, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, error.status, protocol.errorBody(error, requestId), { ...requestIdHeaders(requestId), ...extraHeaders });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when the response is finished or its connection is gone (client abort, server close). */
function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) resolve();
    else res.once('close', () => resolve());
  });
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) resolve();
    else res.write(chunk, () => resolve());
  });
}

/** Drops the connection without ending the body; callers have awaited their writes, so those bytes are out. */
function cut(res: ServerResponse): Promise<void> {
  res.socket?.destroy();
  res.destroy();
  return Promise.resolve();
}

export async function respond(input: RespondInput): Promise<void> {
  const { turn } = input;
  if (!isFaultTurn(turn)) return sendReply(input, turn, undefined);
  switch (turn.fault) {
    case 'status':
      return sendStatusFault(input, turn);
    case 'html': {
      const page = turn.html ?? HTML_PAGE;
      input.res.writeHead(200, { ...requestIdHeaders(input.requestId), 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
      input.res.end(page);
      return;
    }
    default:
      return sendReply(input, turn, turn);
  }
}

function sendStatusFault(input: RespondInput, turn: Extract<FaultTurn, { fault: 'status' }>): Promise<void> {
  const headers = { ...requestIdHeaders(input.requestId), ...(turn.headers ?? {}) };
  if (turn.body !== undefined) {
    const text = typeof turn.body === 'string' ? turn.body : JSON.stringify(turn.body);
    const type = typeof turn.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    input.res.writeHead(turn.status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
    input.res.end(text);
  } else {
    sendError(input.res, input.protocol, { status: turn.status, message: turn.message, code: turn.code }, input.requestId, turn.headers ?? {});
  }
  return Promise.resolve();
}

/** The reply part of a turn; a fault turn streams its own reply fields before it fails. */
function replyOf(turn: ReplyTurn | StreamFaultTurn, fault: StreamFaultTurn | undefined): ReplyTurn {
  const { text, toolCalls, json, usage, stopReason, delayMs } = turn;
  // A fault with nothing scripted still needs something to stream before it fails.
  const empty = text === undefined && toolCalls === undefined && json === undefined;
  return { text: fault && empty ? 'This answer is interrupted before it is complete.' : text, toolCalls, json, usage, stopReason, delayMs };
}

async function sendReply(input: RespondInput, turn: ReplyTurn | StreamFaultTurn, fault: StreamFaultTurn | undefined): Promise<void> {
  const { res, protocol, body, ctx, requestId } = input;
  const reply = protocol.resolve(replyOf(turn, fault), body, ctx);
  if (body.stream !== true) return sendJsonReply(input, protocol.encodeJson(reply, ctx.ids), fault);

  const { frames, cutInsideArgumentsAt } = protocol.encodeStream(reply, body, ctx.ids);
  const delayMs = turn.delayMs ?? input.defaultDelayMs;
  let stopAt = frames.length;
  if (fault?.fault === 'cut' && fault.inToolArguments) {
    if (cutInsideArgumentsAt === undefined) throw new Error('a cut inside tool arguments needs a scripted tool call with arguments');
    stopAt = cutInsideArgumentsAt;
  } else if (fault) {
    stopAt = Math.min(fault.afterEvents ?? Math.floor(frames.length / 2), frames.length);
  }

  res.writeHead(200, {
    ...requestIdHeaders(requestId),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  for (let i = 0; i < stopAt && !res.destroyed; i++) {
    if (i > 0 && delayMs > 0) await sleep(delayMs);
    await write(res, frames[i] ?? '');
  }
  if (res.destroyed) return;

  switch (fault?.fault) {
    case 'cut':
      return cut(res);
    case 'stall':
      if (fault.ms === undefined) return closed(res);
      await Promise.race([sleep(fault.ms), closed(res)]);
      for (let i = stopAt; i < frames.length && !res.destroyed; i++) await write(res, frames[i] ?? '');
      break;
    case 'malformed':
      await write(res, protocol.malformedFrame());
      break;
    case 'sse_error':
      await write(res, protocol.streamErrorFrame({ status: protocol.statusForErrorType(fault.errorType), type: fault.errorType, message: fault.message }, requestId));
      break;
    default:
      break;
  }
  if (!res.destroyed) res.end();
}

/** Non-streaming faults act on the JSON body: half of it then a cut, a late body, a broken body, an error status. */
async function sendJsonReply(input: RespondInput, payload: unknown, fault: StreamFaultTurn | undefined): Promise<void> {
  const { res, protocol, requestId } = input;
  const text = JSON.stringify(payload);
  const headers = { ...requestIdHeaders(requestId), 'content-type': 'application/json' };
  switch (fault?.fault) {
    case undefined:
      sendJson(res, 200, payload, requestIdHeaders(requestId));
      return;
    case 'cut':
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
      await write(res, text.slice(0, Math.floor(text.length / 2)));
      return cut(res);
    case 'stall':
      res.writeHead(200, headers);
      res.flushHeaders();
      if (fault.ms === undefined) return closed(res);
      await Promise.race([sleep(fault.ms), closed(res)]);
      if (!res.destroyed) res.end(text);
      return;
    case 'malformed':
      res.writeHead(200, headers);
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    case 'sse_error': {
      const status = protocol.statusForErrorType(fault.errorType);
      sendError(res, protocol, { status, type: fault.errorType, message: fault.message }, requestId);
      return;
    }
  }
}
