import { z } from 'zod';
import type { JsonSchema } from '../model/messages';
import { defineTool, ToolError, type AnyTool, type ToolOutput } from '../tools/defineTool';
import { namespacedToolName } from './mcpToolName';

/** A tool as an MCP server lists it (the fields we use of the SDK's Tool). */
export interface McpToolDescriptor {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean; [k: string]: unknown };
}

/** What a tools/call returns (the fields we use of the SDK's CallToolResult). */
export interface McpCallResult {
  content?: readonly unknown[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** One connected server, as the tools see it; implemented in src/adapters/mcp over the SDK client. */
export interface McpCaller {
  callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
}

export interface McpToolSet {
  tools: AnyTool[];
  /** Registry name -> the server's own tool name, for approvals configured by the server's names. */
  originalNames: Map<string, string>;
  problems: string[];
}

/** Enough for a long tool result; the context manager spills what is bigger still. */
export const MAX_RESULT_CHARS = 100_000;
const MAX_DESCRIPTION_CHARS = 2_000;

/** MCP arguments are a JSON object; the server validates the rest against its own schema. */
const McpArgsSchema = z.record(z.string(), z.unknown());

/**
 * Turns a server's tools into registry tools of kind `external`, named `<server>__<tool>`. The model
 * is shown the server's own JSON Schema; we check only that the arguments are an object with the
 * required fields, and let the server judge the rest and answer with its error, which the model sees.
 * A tool the server flags destructive (an explicit `destructiveHint: true`) is flagged destructive
 * here, so it asks every time whatever the configuration says; hints can only make us stricter.
 */
export function createMcpTools(server: string, descriptors: readonly McpToolDescriptor[], caller: McpCaller): McpToolSet {
  const tools: AnyTool[] = [];
  const originalNames = new Map<string, string>();
  const problems: string[] = [];
  for (const d of descriptors) {
    const name = namespacedToolName(server, d.name);
    const clash = originalNames.get(name);
    if (clash !== undefined) {
      problems.push(`MCP server "${server}": tools "${clash}" and "${d.name}" both become ${name}; "${d.name}" is left out`);
      continue;
    }
    originalNames.set(name, d.name);
    tools.push(createMcpTool(server, name, d, caller));
  }
  return { tools, originalNames, problems };
}

function createMcpTool(server: string, name: string, d: McpToolDescriptor, caller: McpCaller): AnyTool {
  const required = Array.isArray(d.inputSchema.required) ? d.inputSchema.required.filter((r) => typeof r === 'string') : [];
  const base = defineTool({
    name,
    description: describe(server, d),
    kind: 'external',
    destructive: d.annotations?.destructiveHint === true && d.annotations.readOnlyHint !== true,
    schema: McpArgsSchema,
    run: async (args, ctx): Promise<ToolOutput> => {
      const missing = required.filter((r) => !Object.hasOwn(args, r));
      if (missing.length > 0) throw new ToolError(`Invalid arguments for ${name}: missing required field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}.`);
      let result: McpCallResult;
      try {
        result = await caller.callTool(d.name, args, ctx.signal);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        throw new ToolError(`MCP server "${server}" could not run ${d.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { content: renderCallResult(result), isError: result.isError === true };
    },
  });
  const inputSchema = modelSchema(d.inputSchema);
  return { ...base, inputSchema, spec: { name, description: base.description, inputSchema } };
}

/** The server's schema as the model gets it: always an object schema with properties (OpenAI requires them). */
function modelSchema(schema: McpToolDescriptor['inputSchema']): JsonSchema {
  const out: JsonSchema = { ...schema, type: 'object' };
  delete out.$schema;
  if (out.properties === undefined || typeof out.properties !== 'object') out.properties = {};
  return out;
}

function describe(server: string, d: McpToolDescriptor): string {
  const own = (d.description ?? d.title ?? d.annotations?.title ?? '').trim();
  const origin = `(tool "${d.name}" of MCP server "${server}")`;
  const text = own === '' ? origin : `${own} ${origin}`;
  return text.length <= MAX_DESCRIPTION_CHARS ? text : `${own.slice(0, MAX_DESCRIPTION_CHARS - origin.length - 2)}… ${origin}`;
}

/**
 * The text the model sees for a call's result: text content as is, other content summarised in one
 * line each (the model cannot see images through a tool result here), structured content as JSON
 * when there is nothing else.
 */
export function renderCallResult(result: McpCallResult): string {
  const parts = (result.content ?? []).map(renderContent);
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  const text = parts.length === 0 ? '(the tool returned no content)' : parts.join('\n');
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n[cut: ${text.length - MAX_RESULT_CHARS} more characters not shown]`;
}

function renderContent(item: unknown): string {
  if (item === null || typeof item !== 'object') return '[unrecognised content]';
  const c = item as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (c.type) {
    case 'text':
      return str(c.text) ?? '';
    case 'image':
    case 'audio':
      return `[${c.type} ${str(c.mimeType) ?? 'of unknown type'}, ${base64Bytes(str(c.data))} bytes, not shown]`;
    case 'resource_link':
      return `[resource link: ${str(c.name) ?? ''} ${str(c.uri) ?? ''}]`.replace(/\s+]/, ']');
    case 'resource': {
      const r = (c.resource ?? {}) as Record<string, unknown>;
      const uri = str(r.uri) ?? 'unknown uri';
      if (typeof r.text === 'string') return `[resource ${uri}]\n${r.text}`;
      return `[resource ${uri} (${str(r.mimeType) ?? 'binary'}), ${base64Bytes(str(r.blob))} bytes, not shown]`;
    }
    default:
      return `[${typeof c.type === 'string' ? c.type : 'unknown'} content, not shown]`;
  }
}

function base64Bytes(data: string | undefined): number {
  if (!data) return 0;
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - pad;
}
