import type { ModelRequest } from '../modelClient';

/**
 * A cheap, provider-neutral estimate of a request's input tokens (about four characters a token),
 * used before a call for rate limits and budgets. The actual usage replaces it after the call.
 */
const CHARS_PER_TOKEN = 4;
const toolChars = new WeakMap<object, number>();

export function estimateRequestTokens(request: ModelRequest): number {
  let chars = request.system.length;
  for (const m of request.messages) {
    if (m.role === 'assistant') {
      chars += m.text.length;
      for (const c of m.toolCalls) chars += c.name.length + c.arguments.length;
    } else chars += m.content.length;
  }
  chars += specChars(request.tools);
  if (request.output) chars += JSON.stringify(request.output.schema).length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

// The tool list is the same array on every turn of a run, so its size is measured once.
function specChars(tools: ModelRequest['tools']): number {
  const cached = toolChars.get(tools);
  if (cached !== undefined) return cached;
  const n = tools.length === 0 ? 0 : JSON.stringify(tools).length;
  toolChars.set(tools, n);
  return n;
}
