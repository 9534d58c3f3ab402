import type { ReplyContext, WireError, WireProtocol } from './protocol';
import {
  defaultStopReason,
  type EncodedStream,
  type IdSource,
  outputChars,
  resolveToolCalls,
  type ResolvedReply,
  type ResolvedToolCall,
  splitArguments,
  splitText,
  sseEvent,
} from './reply';
import type { ReplyTurn } from './turn';
import { applyOverrides, estimateOutputTokens } from './usage';

/**
 * The Anthropic messages wire format, as documented in the API reference (Message object, streaming
 * events, error shapes).
 */

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function blocksOf(message: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(message.content) ? message.content.map((b) => asRecord(b) ?? {}) : [];
}

/** Checks what the real endpoint rejects with a 400, so a harness bug shows up here and not in production. */
function validate(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return 'max_tokens: Field required (a positive integer)';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  const toolNames = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of body.tools.entries()) {
      const name = asRecord(tool)?.name;
      if (typeof name !== 'string') return `tools.${i}.name: Field required`;
      toolNames.add(name);
    }
  }
  const choice = asRecord(body.tool_choice);
  if (choice?.type === 'tool' && (typeof choice.name !== 'string' || !toolNames.has(choice.name))) {
    return `tool_choice: tool '${String(choice.name)}' is not one of the provided tools`;
  }
  return validateToolPairing(body.messages);
}

/** Each tool_use must be answered by a tool_result in the very next message, and vice versa. */
function validateToolPairing(messages: unknown[]): string | undefined {
  let open: string[] = [];
  for (const [i, raw] of messages.entries()) {
    const m = asRecord(raw);
    if (!m || (m.role !== 'user' && m.role !== 'assistant')) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    const blocks = blocksOf(m);
    const results = blocks.filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
    const unexpected = results.filter((id) => !open.includes(id));
    if (unexpected.length > 0) {
      return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
    const missing = open.filter((id) => !results.includes(id));
    if (missing.length > 0) {
      return `messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
    open = m.role === 'assistant' ? blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id)) : [];
  }
  if (open.length > 0) {
    return `messages.${messages.length - 1}: the conversation ends with \`tool_use\` blocks that have no \`tool_result\`: ${open.join(', ')}`;
  }
  return undefined;
}

function resolve(turn: ReplyTurn, body: Record<string, unknown>, ctx: ReplyContext): ResolvedReply {
  const choice = asRecord(body.tool_choice);
  const forcedTool = choice?.type === 'tool' && typeof choice.name === 'string' ? choice.name : undefined;
  let text = turn.text ?? '';
  const toolCalls: ResolvedToolCall[] = [];
  // Structured output on this protocol is a forced tool: the object becomes that tool's input.
  if (turn.json !== undefined && forcedTool) {
    toolCalls.push({ id: ctx.ids.next('toolu_scripted_'), name: forcedTool, argumentsJson: JSON.stringify(turn.json) });
  } else if (turn.json !== undefined) {
    text = JSON.stringify(turn.json);
  }
  toolCalls.push(...resolveToolCalls(turn.toolCalls, ctx.ids, 'toolu_scripted_'));
  const input = ctx.cache.anthropicInput(body);
  const usage = applyOverrides({ ...input, output: estimateOutputTokens(outputChars(text, toolCalls)) }, turn.usage);
  return {
    model: String(body.model),
    text,
    toolCalls,
    stopReason: turn.stopReason ?? defaultStopReason(toolCalls.length > 0),
    usage,
  };
}

/** The tool input as an object; arguments that are not JSON are passed on as a string so the harness sees them. */
function parsedInput(argumentsJson: string): unknown {
  try {
    return JSON.parse(argumentsJson);
  } catch {
    return argumentsJson;
  }
}

function encodeStream(reply: ResolvedReply, _body: Record<string, unknown>, ids: IdSource): EncodedStream {
  const frames = [
    sseEvent('message_start', {
      type: 'message_start',
      message: {
        id: ids.next('msg_scripted_'),
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // As documented, message_start reports the input side and a placeholder output count; the
        // real output count comes in message_delta.
        usage: {
          input_tokens: reply.usage.input,
          cache_creation_input_tokens: reply.usage.cacheWrite,
          cache_read_input_tokens: reply.usage.cacheRead,
          output_tokens: 1,
        },
      },
    }),
    sseEvent('ping', { type: 'ping' }),
  ];
  let index = 0;
  if (reply.text !== '') {
    frames.push(sseEvent('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const piece of splitText(reply.text)) {
      frames.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    }
    frames.push(sseEvent('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  let cutInsideArgumentsAt: number | undefined;
  for (const call of reply.toolCalls) {
    frames.push(
      sseEvent('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    for (const piece of splitArguments(call.argumentsJson)) {
      frames.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
      cutInsideArgumentsAt ??= frames.length;
    }
    frames.push(sseEvent('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  frames.push(
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { output_tokens: reply.usage.output },
    }),
  );
  frames.push(sseEvent('message_stop', { type: 'message_stop' }));
  return { frames, cutInsideArgumentsAt };
}

function encodeJson(reply: ResolvedReply, ids: IdSource): unknown {
  const content: unknown[] = [];
  if (reply.text !== '') content.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: parsedInput(call.argumentsJson) });
  return {
    id: ids.next('msg_scripted_'),
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content,
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage.input,
      cache_creation_input_tokens: reply.usage.cacheWrite,
      cache_read_input_tokens: reply.usage.cacheRead,
      output_tokens: reply.usage.output,
    },
  };
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const MESSAGE_BY_TYPE: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

function errorTypeFor(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function errorObject(error: WireError): { type: string; message: string } {
  const type = error.type ?? errorTypeFor(error.status);
  const message =
    error.message ??
    (error.code === 'context_length_exceeded' ? 'prompt is too long: 210000 tokens > 200000 maximum' : (MESSAGE_BY_TYPE[type] ?? 'Error'));
  return { type, message };
}

function statusForErrorType(type: string | undefined): number {
  const t = type ?? 'overloaded_error';
  const found = Object.entries(TYPE_BY_STATUS).find(([, v]) => v === t);
  return found ? Number(found[0]) : 500;
}

export const anthropicWire: WireProtocol = {
  name: 'anthropic',
  validate,
  resolve,
  encodeStream,
  encodeJson,
  errorBody: (error, requestId) => ({ type: 'error', error: errorObject(error), request_id: requestId }),
  streamErrorFrame: (error, requestId) => sseEvent('error', { type: 'error', error: errorObject(error), request_id: requestId }),
  malformedFrame: () =>
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated\n\n',
  statusForErrorType,
};
