import type OpenAI from 'openai';
import type { Message } from '../../core/model/messages';
import type { ModelRequest } from '../../core/model/modelClient';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Neutral conversation -> OpenAI chat-completions messages. */
export function toOpenAIMessages(system: string, messages: readonly Message[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.callId, content: m.content });
    else {
      out.push({
        role: 'assistant',
        content: m.text === '' && m.toolCalls.length > 0 ? null : m.text,
        ...(m.toolCalls.length > 0
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      });
    }
  }
  return out;
}

export function toOpenAIRequest(model: string, req: ModelRequest): OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming {
  return {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: toOpenAIMessages(req.system, req.messages),
    ...(req.tools.length > 0
      ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.inputSchema } })) }
      : {}),
    ...(req.maxOutputTokens !== undefined ? { max_tokens: req.maxOutputTokens } : {}),
    ...(req.output
      ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.output.name, schema: req.output.schema, strict: false } } }
      : {}),
  };
}
