import type Anthropic from '@anthropic-ai/sdk';
import type { Message } from '../../core/model/messages';
import type { ModelRequest } from '../../core/model/modelClient';

type Param = Anthropic.Messages.MessageParam;
type Block = Anthropic.Messages.ContentBlockParam;

export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/**
 * Neutral conversation -> Anthropic messages. Tool results become `tool_result` blocks in a user
 * message; consecutive user-side items are merged because the API requires roles to alternate.
 */
export function toAnthropicMessages(messages: readonly Message[]): Param[] {
  const out: Param[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) (last.content as Block[]).push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', [{ type: 'text', text: m.content }]);
    else if (m.role === 'tool') {
      push('user', [{ type: 'tool_result', tool_use_id: m.callId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
    } else {
      const blocks: Block[] = [];
      if (m.text) blocks.push({ type: 'text', text: m.text });
      for (const c of m.toolCalls) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseInput(c.arguments) });
      push('assistant', blocks.length > 0 ? blocks : [{ type: 'text', text: '' }]);
    }
  }
  return out;
}

/** Anthropic needs an object; arguments the model sent as broken JSON are kept verbatim so the history stays truthful. */
function parseInput(raw: string): Record<string, unknown> {
  try {
    const v: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { _unparsed_arguments: raw };
  }
}

export function toAnthropicRequest(model: string, req: ModelRequest): Anthropic.Messages.MessageCreateParamsStreaming {
  const tools: Anthropic.Messages.Tool[] = req.tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Anthropic.Messages.Tool.InputSchema,
  }));
  if (req.output) {
    // Structured output: a tool whose input is the answer, and the model is forced to call it.
    tools.push({
      name: req.output.name,
      description: 'Return the final answer as this tool call input. It must match the schema exactly.',
      input_schema: req.output.schema as Anthropic.Messages.Tool.InputSchema,
    });
  }
  return {
    model,
    stream: true,
    max_tokens: req.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(req.system ? { system: req.system } : {}),
    messages: toAnthropicMessages(req.messages),
    ...(tools.length > 0 ? { tools } : {}),
    ...(req.output ? { tool_choice: { type: 'tool' as const, name: req.output.name } } : {}),
  };
}
