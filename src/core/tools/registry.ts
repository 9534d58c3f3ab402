import { z } from 'zod';
import type { ToolSpec } from '../model/messages';
import { ToolError, type AnyTool, type ToolContext, type ToolOutput } from './defineTool';

export interface ToolCallOutcome extends ToolOutput {
  isError: boolean;
}

/** The set of tools one run may use. Names are unique; order is stable so the prompt prefix stays byte-stable. */
export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();

  constructor(tools: readonly AnyTool[] = []) {
    for (const t of tools) this.add(t);
  }

  add(tool: AnyTool): void {
    if (this.tools.has(tool.name)) throw new Error(`duplicate tool name: ${tool.name}`);
    this.tools.set(tool.name, tool);
  }

  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  list(): AnyTool[] {
    return [...this.tools.values()];
  }

  specs(): ToolSpec[] {
    return this.list().map((t) => t.spec);
  }

  /**
   * Parses and validates the model's raw arguments, then runs the tool. Every failure the model can
   * fix (unknown tool, arguments that are not JSON or do not match the schema, a ToolError) comes back
   * as an error result so the run continues and the model can retry.
   */
  async call(name: string, rawArguments: string, ctx: ToolContext): Promise<ToolCallOutcome> {
    const tool = this.tools.get(name);
    if (!tool) {
      const known = [...this.tools.keys()].join(', ');
      return { content: `Unknown tool "${name}". Available tools: ${known}.`, isError: true };
    }
    const parsed = parseArguments(tool, rawArguments);
    if (!parsed.ok) return { content: parsed.error, isError: true };
    try {
      const out = await tool.run(parsed.value, ctx);
      const result = typeof out === 'string' ? { content: out } : out;
      return { ...result, isError: result.isError ?? false };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      if (e instanceof ToolError) return { content: e.message, isError: true };
      const msg = e instanceof Error ? e.message : String(e);
      return { content: `Tool ${name} failed unexpectedly: ${msg}`, isError: true };
    }
  }
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseArguments(tool: AnyTool, raw: string): ParseResult {
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `Arguments for ${tool.name} are not valid JSON (${why}). Send a JSON object matching the tool's schema.` };
  }
  const res = tool.schema.safeParse(json);
  if (!res.success) {
    return { ok: false, error: `Invalid arguments for ${tool.name}: ${z.prettifyError(res.error)}` };
  }
  return { ok: true, value: res.data };
}
