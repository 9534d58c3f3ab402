import type { AssistantMessage, JsonSchema, Message, ToolCall, ToolSpec } from './messages';
import type { Usage } from './usage';

export type Protocol = 'openai' | 'anthropic';
export const PROTOCOLS: readonly Protocol[] = ['openai', 'anthropic'];

export interface ModelRequest {
  system: string;
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  maxOutputTokens?: number;
  /**
   * Ask for one JSON object matching `schema` (structured output). Adapters use the endpoint's native
   * mechanism and return the object's JSON as the assistant's text.
   */
  output?: { name: string; schema: JsonSchema };
  /**
   * Prompt-caching hint: the caller keeps the prefix (tools, system prompt, earlier turns) byte-stable
   * from turn to turn. Adapters with explicit caching (Anthropic) mark cache breakpoints on it and on
   * the latest turn; adapters whose provider caches prefixes automatically (OpenAI) ignore it.
   */
  cache?: boolean;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

export interface ModelResponse {
  message: AssistantMessage;
  stopReason: StopReason;
  usage: Usage;
  /** The model name the endpoint reported (may differ from the requested alias). */
  model: string;
  /**
   * What the call cost, set by whoever knows the prices (the resilient gateway client): a number, or
   * null when the model's price is unknown. Absent from a bare adapter; the loop prices it then.
   */
  costUsd?: number | null;
}

/**
 * A model turn as a stream. A `tool_call` event is emitted only once its arguments are complete, so a
 * partial tool call can never be executed. The last event of a successful stream is `response`; a
 * stream that ends without one is broken and the adapter throws a `stream_broken` ModelError.
 */
export type ModelStreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  /**
   * A resilience layer is about to re-issue the request (after an error, a broken stream, or when
   * moving to a fallback model). Text streamed so far for this turn is void and must be discarded.
   */
  | { type: 'retry'; attempt: number; reason: string; delayMs: number; model: string }
  | { type: 'response'; response: ModelResponse };

/** The port the core uses to talk to a model. Adapters implement it for each wire protocol. */
export interface ModelClient {
  readonly protocol: Protocol;
  readonly model: string;
  stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent>;
  /** The models the gateway offers (`GET /models`), for a model picker; [] when it has no such list. */
  listModels?(signal?: AbortSignal): Promise<string[]>;
}

/** At most this many models are listed from a gateway (OpenRouter offers hundreds). */
export const MAX_LISTED_MODELS = 500;

/** Drains a stream to its final response. */
export async function collectResponse(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelResponse> {
  let last: ModelResponse | undefined;
  for await (const ev of stream) if (ev.type === 'response') last = ev.response;
  if (!last) throw new Error('model stream ended without a response');
  return last;
}
