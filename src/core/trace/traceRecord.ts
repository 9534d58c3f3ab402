import { z } from 'zod';

/**
 * One per-step trace record, in the flat dotted shape of the design seed (agent.run_id,
 * agent.step.type, tokens.input, ...) so it reads the same in a JSON-lines file and as OpenTelemetry
 * span attributes. A run is the ordered set of records under one run id.
 */
/** `run` is the whole run (written when it ends): the parent of its steps in OpenTelemetry. */
export const TraceStepTypeSchema = z.enum(['run', 'model_call', 'tool_call', 'approval', 'sandbox_command']);
export type TraceStepType = z.infer<typeof TraceStepTypeSchema>;

export const TraceRecordSchema = z.object({
  /** When the step started (ISO 8601); it ended `latency_ms` later. */
  time: z.string(),
  'agent.run_id': z.string(),
  /** The profile that ran. */
  'agent.name': z.string().optional(),
  /** The kind of run when it is not a task run (`review`, `eval`), and its labels (an eval's suite and case). */
  'agent.kind': z.string().optional(),
  'agent.tags': z.record(z.string(), z.string()).optional(),
  'agent.step.id': z.string().optional(),
  'agent.step.type': TraceStepTypeSchema,
  'agent.step.name': z.string(),
  /** The model that answered (or was asked, when none answered). */
  model: z.string().optional(),
  /** The model asked for, when it differs from the one that answered (an alias, a dated snapshot). */
  'model.requested': z.string().optional(),
  tool: z.string().optional(),
  'approval.required': z.boolean().optional(),
  'approval.status': z.string().optional(),
  'sandbox.session_id': z.string().optional(),
  'tokens.input': z.number().int().nonnegative().optional(),
  'tokens.output': z.number().int().nonnegative().optional(),
  'tokens.cache_read': z.number().int().nonnegative().optional(),
  'tokens.cache_write': z.number().int().nonnegative().optional(),
  latency_ms: z.number().nonnegative(),
  cost_usd: z.number().nonnegative().optional(),
  /** The protocol of a model call (`openai` | `anthropic`): the GenAI provider name in OpenTelemetry. */
  provider: z.string().optional(),
  /** `ok`, `error`, or a model failure kind. */
  outcome: z.string(),
  error: z.string().optional(),
});
export type TraceRecord = z.infer<typeof TraceRecordSchema>;

export type TraceWrite = (record: TraceRecord) => void;
