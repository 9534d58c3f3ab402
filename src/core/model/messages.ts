import { z } from 'zod';

/**
 * The provider-neutral conversation. Adapters translate it to each wire format at the edge; the loop,
 * the journal and the UI only ever see these shapes. Every shape is plain JSON so it can be journaled.
 */

/** A tool call as the model produced it. `arguments` is the raw JSON text, validated only when run. */
export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const UserMessageSchema = z.object({
  role: z.literal('user'),
  content: z.string(),
});
export type UserMessage = z.infer<typeof UserMessageSchema>;

export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  text: z.string(),
  toolCalls: z.array(ToolCallSchema),
});
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;

/** The result of one tool call, sent back to the model in the next turn. */
export const ToolResultMessageSchema = z.object({
  role: z.literal('tool'),
  callId: z.string(),
  toolName: z.string(),
  content: z.string(),
  isError: z.boolean(),
});
export type ToolResultMessage = z.infer<typeof ToolResultMessageSchema>;

export const MessageSchema = z.discriminatedUnion('role', [
  UserMessageSchema,
  AssistantMessageSchema,
  ToolResultMessageSchema,
]);
export type Message = z.infer<typeof MessageSchema>;

export type JsonSchema = Record<string, unknown>;

/** What the model is told about one tool. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}
