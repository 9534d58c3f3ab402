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
  const messages = toAnthropicMessages(req.messages);
  if (req.cache) markCacheBreakpoints(tools, messages);
  const system = req.cache && req.system ? [{ type: 'text' as const, text: req.system, cache_control: EPHEMERAL }] : req.system;
  return {
    model,
    stream: true,
    max_tokens: req.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(system ? { system } : {}),
    messages,
    ...(tools.length > 0 ? { tools } : {}),
    ...(req.output ? { tool_choice: { type: 'tool' as const, name: req.output.name } } : {}),
  };
}

const EPHEMERAL = { type: 'ephemeral' as const };

/**
 * Anthropic caches the prompt prefix up to each `cache_control` breakpoint, and allows at most four.
 * The order of the prefix is tools, system, messages. Breakpoints go on the last tool (the tool list
 * is stable for the run), the system block (set by the caller), the last block of the latest user-side
 * message (this turn's prefix, read back by the next turn), and the last block of the user-side message
 * before it (the previous turn's breakpoint, so this turn reads it even past the provider's 20-block
 * look-back). The markers do not change the prefix's content, so moving them keeps it cacheable.
 */
function markCacheBreakpoints(tools: Anthropic.Messages.Tool[], messages: Param[]): void {
  const lastTool = tools[tools.length - 1];
  if (lastTool) lastTool.cache_control = EPHEMERAL;
  const userSide = messages.filter((m) => m.role === 'user' && Array.isArray(m.content) && m.content.length > 0);
  for (const m of userSide.slice(-2)) {
    const blocks = m.content as Block[];
    const last = blocks[blocks.length - 1] as Block & { cache_control?: typeof EPHEMERAL };
    last.cache_control = EPHEMERAL;
  }
}
