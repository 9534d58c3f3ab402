import type { ReplyContext, WireError, WireProtocol } from './protocol';
import {
  defaultStopReason,
  type EncodedStream,
  type IdSource,
  outputChars,
  resolveToolCalls,
  type ResolvedReply,
  splitArguments,
  splitText,
  sseData,
} from './reply';
import type { ReplyTurn, ScriptedStopReason } from './turn';
import { applyOverrides, estimateOutputTokens } from './usage';

/**
 * The OpenAI chat-completions wire format, as documented in the API reference (chat.completion,
 * chat.completion.chunk, error objects).
 */

const FINISH_REASON: Record<ScriptedStopReason, string> = {
  end_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  refusal: 'content_filter',
};

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Checks what the real endpoint rejects with a 400, so a harness bug shows up here and not in production. */
function validate(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return "you must provide a model parameter";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  if (body.stream_options !== undefined && body.stream !== true) {
    return "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return "'tools' must be an array";
    for (const [i, tool] of body.tools.entries()) {
      const fn = asRecord(asRecord(tool)?.function);
      if (asRecord(tool)?.type !== 'function' || typeof fn?.name !== 'string') {
        return `Invalid value at 'tools[${i}]': expected {type: 'function', function: {name, ...}}`;
      }
    }
  }
  const format = asRecord(body.response_format);
  if (format?.type === 'json_schema' && typeof asRecord(format.json_schema)?.name !== 'string') {
    return "Missing required parameter: 'response_format.json_schema.name'.";
  }
  return validateToolPairing(body.messages);
}

/** Every assistant tool call needs a tool message answering it, and every tool message needs a call. */
function validateToolPairing(messages: unknown[]): string | undefined {
  let open: string[] = [];
  for (const [i, raw] of messages.entries()) {
    const m = asRecord(raw);
    if (!m || typeof m.role !== 'string') return `Invalid value at 'messages[${i}]': a message needs a role`;
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (typeof id !== 'string' || !open.includes(id)) {
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`;
      }
      open = open.filter((x) => x !== id);
      continue;
    }
    if (open.length > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`;
    }
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      open = m.tool_calls.map((c) => String(asRecord(c)?.id));
    }
  }
  return undefined;
}

function resolve(turn: ReplyTurn, body: Record<string, unknown>, ctx: ReplyContext): ResolvedReply {
  const toolCalls = resolveToolCalls(turn.toolCalls, ctx.ids, 'call_scripted_');
  // Structured output arrives as the message text on this protocol, whatever response_format asked for.
  const text = turn.json !== undefined ? JSON.stringify(turn.json) : (turn.text ?? '');
  const { prompt, cached } = ctx.cache.openaiInput(body);
  const usage = applyOverrides(
    { input: prompt - cached, cacheRead: cached, cacheWrite: 0, output: estimateOutputTokens(outputChars(text, toolCalls)) },
    turn.usage,
  );
  return {
    model: String(body.model),
    text,
    toolCalls,
    stopReason: turn.stopReason ?? defaultStopReason(toolCalls.length > 0),
    usage,
  };
}

function usageObject(reply: ResolvedReply): Record<string, unknown> {
  const prompt = reply.usage.input + reply.usage.cacheRead + reply.usage.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: reply.usage.output,
    total_tokens: prompt + reply.usage.output,
    prompt_tokens_details: { cached_tokens: reply.usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function encodeStream(reply: ResolvedReply, body: Record<string, unknown>, ids: IdSource): EncodedStream {
  const includeUsage = asRecord(body.stream_options)?.include_usage === true;
  const base = {
    id: ids.next('chatcmpl-scripted-'),
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    system_fingerprint: 'fp_scripted',
    service_tier: 'default',
  };
  // With include_usage every chunk carries `usage: null` except the extra last one, as documented.
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    sseData({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });

  const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitText(reply.text)) frames.push(chunk({ content: piece }));
  let cutInsideArgumentsAt: number | undefined;
  reply.toolCalls.forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of splitArguments(call.argumentsJson)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      cutInsideArgumentsAt ??= frames.length;
    }
  });
  frames.push(chunk({}, FINISH_REASON[reply.stopReason]));
  if (includeUsage) frames.push(sseData({ ...base, choices: [], usage: usageObject(reply) }));
  frames.push('data: [DONE]\n\n');
  return { frames, cutInsideArgumentsAt };
}

function encodeJson(reply: ResolvedReply, ids: IdSource): unknown {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: reply.text === '' && reply.toolCalls.length > 0 ? null : reply.text,
    refusal: null,
    annotations: [],
  };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.argumentsJson } }));
  }
  return {
    id: ids.next('chatcmpl-scripted-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASON[reply.stopReason] }],
    usage: usageObject(reply),
    system_fingerprint: 'fp_scripted',
    service_tier: 'default',
  };
}

/** Error type and code per status, following the shapes OpenAI returns. */
function errorDefaults(status: number): { type: string; code: string | null; message: string } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
  if (status === 403) return { type: 'invalid_request_error', code: 'permission_denied', message: 'You are not allowed to use this model.' };
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again later.' };
  if (status >= 500) return { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' };
  return { type: 'invalid_request_error', code: null, message: 'Invalid request.' };
}

function errorObject(error: WireError): Record<string, unknown> {
  const defaults = errorDefaults(error.status);
  const contextLength = error.code === 'context_length_exceeded';
  const message =
    error.message ??
    (contextLength
      ? "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages."
      : defaults.message);
  return { message, type: error.type ?? defaults.type, param: contextLength ? 'messages' : null, code: error.code ?? defaults.code };
}

export const openaiWire: WireProtocol = {
  name: 'openai',
  validate,
  resolve,
  encodeStream,
  encodeJson,
  errorBody: (error) => ({ error: errorObject(error) }),
  streamErrorFrame: (error) => sseData({ error: errorObject(error) }),
  malformedFrame: () => 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"unterminated\n\n',
  statusForErrorType: () => 500,
};
