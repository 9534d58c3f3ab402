import { z } from 'zod';
import type { JsonSchema, ToolSpec } from '../model/messages';

/**
 * How a tool touches the world. Approval rules key off this one classification, so a tool declares
 * it once here and never carries its own approval flags.
 */
export type ToolKind = 'read' | 'write' | 'command' | 'external' | 'interaction';

/** Per-call context. Long-lived dependencies (workspace, sandbox, change set) are closed over by the tool's factory. */
export interface ToolContext {
  runId: string;
  callId: string;
  signal: AbortSignal;
}

/** What a tool returns to the loop. `content` is what the model sees. */
export interface ToolOutput {
  content: string;
  isError?: boolean;
  /** Workspace-relative paths this call changed (or proposed to change). */
  filesChanged?: string[];
  /** Commands this call ran. */
  commandsRun?: string[];
}

/**
 * An error a tool throws on purpose: its message goes to the model as a tool error, without a stack.
 * Any other exception is reported the same way but marked as unexpected.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolDefinition<S extends z.ZodType> {
  name: string;
  description: string;
  kind: ToolKind;
  /** A tool flagged destructive is flagged for every profile, centrally (approval rules read it). */
  destructive?: boolean;
  schema: S;
  run(args: z.output<S>, ctx: ToolContext): Promise<ToolOutput | string>;
}

export interface Tool<S extends z.ZodType = z.ZodType> extends ToolDefinition<S> {
  /** The JSON Schema sent to the model, derived from `schema`. */
  readonly inputSchema: JsonSchema;
  readonly spec: ToolSpec;
}

export type AnyTool = Tool<z.ZodType>;

/** One zod schema gives the JSON Schema for the model, the runtime validation and the TypeScript type. */
export function defineTool<S extends z.ZodType>(def: ToolDefinition<S>): Tool<S> {
  const inputSchema = toJsonSchema(def.schema);
  return {
    ...def,
    inputSchema,
    spec: { name: def.name, description: def.description, inputSchema },
  };
}

export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}
