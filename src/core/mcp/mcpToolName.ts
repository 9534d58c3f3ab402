import { createHash } from 'node:crypto';

/**
 * MCP tools are named `<server>__<tool>` in our registry. Both providers must accept the name: OpenAI
 * allows only `^[a-zA-Z0-9_-]{1,64}$` (no dot), Anthropic `^[a-zA-Z0-9_-]{1,128}$`, so the shorter
 * rule wins and the separator is a double underscore. Server names never contain `__` (see
 * ServerNameSchema), which keeps the prefix unambiguous: a profile entry `github__*` selects exactly
 * the github server's tools.
 */
export const MCP_NAME_SEPARATOR = '__';
export const MAX_TOOL_NAME = 64;
const VALID = /^[A-Za-z0-9_-]{1,64}$/;

/** The registry name for a server's tool; characters a provider would reject become "_", and a name too long is cut and given a hash suffix so it stays unique. */
export function namespacedToolName(server: string, tool: string): string {
  const clean = tool.replace(/[^A-Za-z0-9_-]/g, '_') || 'tool';
  const full = `${server}${MCP_NAME_SEPARATOR}${clean}`;
  if (full.length <= MAX_TOOL_NAME) return full;
  // Cut names carry a short hash of the original so two long names with a common start stay distinct.
  const hash = createHash('sha256').update(tool).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
}

/** The profile prefix that selects every tool of one server (`github__*`). */
export function serverToolPrefix(server: string): string {
  return `${server}${MCP_NAME_SEPARATOR}*`;
}

export function isValidProviderToolName(name: string): boolean {
  return VALID.test(name);
}
