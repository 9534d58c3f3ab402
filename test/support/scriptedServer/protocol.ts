import type { EncodedStream, IdSource, ResolvedReply } from './reply';
import type { ReplyTurn } from './turn';
import type { PromptCache } from './usage';

export type WireProtocolName = 'openai' | 'anthropic';

/** What a reply encoder needs from the server besides the request. */
export interface ReplyContext {
  ids: IdSource;
  cache: PromptCache;
}

/** An error to send, before it is shaped as a provider's error body. */
export interface WireError {
  status: number;
  /** Each protocol has a default wording per status when left out. */
  message?: string;
  /** The provider's error type; each protocol picks a default from the status when left out. */
  type?: string;
  code?: string;
}

/**
 * One wire protocol: how to check a request, turn a scripted reply into that provider's JSON or SSE,
 * and shape errors the way the provider documents them. The server does everything else the same
 * way for both.
 */
export interface WireProtocol {
  readonly name: WireProtocolName;
  /** Returns why the request is not one the real provider would accept, or undefined. */
  validate(body: Record<string, unknown>): string | undefined;
  resolve(turn: ReplyTurn, body: Record<string, unknown>, ctx: ReplyContext): ResolvedReply;
  encodeStream(reply: ResolvedReply, body: Record<string, unknown>, ids: IdSource): EncodedStream;
  encodeJson(reply: ResolvedReply, ids: IdSource): unknown;
  errorBody(error: WireError, requestId: string): unknown;
  /** The in-stream error frame (Anthropic `event: error`, an OpenAI chunk carrying `error`). */
  streamErrorFrame(error: WireError, requestId: string): string;
  /** A data frame whose JSON is cut off, as a buggy proxy might emit. */
  malformedFrame(): string;
  /** The status an in-stream error of this type would have had as an HTTP response. */
  statusForErrorType(type: string | undefined): number;
}
