import { z } from 'zod';
import { ToolCallSchema, MessageSchema } from '../model/messages';
import { UsageSchema } from '../model/usage';
import { RunLimitsSchema } from './limits';
import { RunResultSchema, SkillUseSchema } from './runResult';

/**
 * The typed event stream every front end consumes (CLI, side panel, journal, traces).
 * Invariants: events are plain JSON; `seq` increases by one per run starting at 0; a run emits exactly
 * one of run_finished / run_failed / run_cancelled, and it is the last event. A model step's id
 * (`step`) is stable (`<runId>:m<turn>`) so a journal can key the complete response by it.
 */
const base = {
  runId: z.string(),
  seq: z.number().int().nonnegative(),
  time: z.string(),
  /** Set on events of a resumed run that retell a step from the journal instead of doing it again. */
  replayed: z.boolean().optional(),
};

export const RunStartedSchema = z.object({
  ...base,
  type: z.literal('run_started'),
  task: z.string(),
  model: z.string(),
  protocol: z.string(),
  profile: z.string(),
  limits: RunLimitsSchema,
  tools: z.array(z.string()),
  skills: z.array(SkillUseSchema),
});

export const ModelCallStartedSchema = z.object({
  ...base,
  type: z.literal('model_call_started'),
  step: z.string(),
  turn: z.number().int().nonnegative(),
  /** The messages sent, excluding the system prompt (journaled for resume and traces). */
  messageCount: z.number().int().nonnegative(),
});

export const TextDeltaSchema = z.object({
  ...base,
  type: z.literal('text_delta'),
  step: z.string(),
  text: z.string(),
});

/** The model call is being re-issued; consumers drop the text streamed so far for this step. */
export const ModelCallRetriedSchema = z.object({
  ...base,
  type: z.literal('model_call_retried'),
  step: z.string(),
  attempt: z.number().int().positive(),
  reason: z.string(),
  delayMs: z.number().nonnegative(),
  model: z.string(),
});

export const ModelCallFinishedSchema = z.object({
  ...base,
  type: z.literal('model_call_finished'),
  step: z.string(),
  /** The complete assistant message of this step: enough to replay it without calling the model. */
  message: MessageSchema,
  stopReason: z.string(),
  model: z.string(),
  latencyMs: z.number().nonnegative(),
});

export const UsageEventSchema = z.object({
  ...base,
  type: z.literal('usage'),
  step: z.string(),
  model: z.string(),
  usage: UsageSchema,
  costUsd: z.number().nonnegative(),
  /** false when the model's price is unknown: `costUsd` is then 0 and means unknown, not free. */
  costKnown: z.boolean().optional(),
  /** Totals for the run so far, so a consumer does not have to add up. */
  runUsage: UsageSchema,
  runCostUsd: z.number().nonnegative(),
  /** Some call of the run so far had no known price: `runCostUsd` is a lower bound. */
  runCostUnknown: z.boolean().optional(),
  /**
   * Tokens in the context after this call (the provider's count for this call's prompt and output),
   * and the model's window, for a context meter.
   */
  contextTokens: z.number().int().nonnegative().optional(),
  contextWindow: z.number().int().positive().optional(),
});

/** Older turns were replaced by a summary written by a model call (costed in `usage`). */
export const ContextCompactedSchema = z.object({
  ...base,
  type: z.literal('context_compacted'),
  step: z.string(),
  messagesBefore: z.number().int().nonnegative(),
  messagesAfter: z.number().int().nonnegative(),
  /** Estimated context tokens before and after. */
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative(),
  contextWindow: z.number().int().positive(),
  summary: z.string(),
  usage: UsageSchema,
  costUsd: z.number().nonnegative(),
  runUsage: UsageSchema,
  runCostUsd: z.number().nonnegative(),
});

export const ToolCallProposedSchema = z.object({
  ...base,
  type: z.literal('tool_call_proposed'),
  step: z.string(),
  call: ToolCallSchema,
});

export const ToolCallStartedSchema = z.object({
  ...base,
  type: z.literal('tool_call_started'),
  step: z.string(),
  callId: z.string(),
  name: z.string(),
  arguments: z.string(),
});

export const ToolCallFinishedSchema = z.object({
  ...base,
  type: z.literal('tool_call_finished'),
  step: z.string(),
  callId: z.string(),
  name: z.string(),
  content: z.string(),
  isError: z.boolean(),
  durationMs: z.number().nonnegative(),
  filesChanged: z.array(z.string()),
  commandsRun: z.array(z.string()),
});

export const RunFinishedSchema = z.object({
  ...base,
  type: z.literal('run_finished'),
  result: RunResultSchema,
});

export const RunFailedSchema = z.object({
  ...base,
  type: z.literal('run_failed'),
  /** A ModelErrorKind, or `internal`. */
  errorKind: z.string(),
  message: z.string(),
  result: RunResultSchema,
});

export const RunCancelledSchema = z.object({
  ...base,
  type: z.literal('run_cancelled'),
  result: RunResultSchema,
});

export const AgentEventSchema = z.discriminatedUnion('type', [
  RunStartedSchema,
  ModelCallStartedSchema,
  TextDeltaSchema,
  ModelCallRetriedSchema,
  ModelCallFinishedSchema,
  UsageEventSchema,
  ContextCompactedSchema,
  ToolCallProposedSchema,
  ToolCallStartedSchema,
  ToolCallFinishedSchema,
  RunFinishedSchema,
  RunFailedSchema,
  RunCancelledSchema,
]);
export type AgentEvent = z.infer<typeof AgentEventSchema>;
export type AgentEventType = AgentEvent['type'];

/** An event as the loop builds it, before the emitter stamps run id, sequence number and time. */
type Unstamped<E> = E extends unknown ? Omit<E, 'runId' | 'seq' | 'time'> : never;
export type AgentEventInput = Unstamped<AgentEvent>;

export type EventSink = (event: AgentEvent) => void;

/** Stamps events with run id, a dense sequence number and the clock's time, then hands them to every sink. */
export class EventEmitter {
  private seq = 0;
  constructor(
    private readonly runId: string,
    private readonly sinks: readonly EventSink[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  emit(event: AgentEventInput): AgentEvent {
    const stamped = { ...event, runId: this.runId, seq: this.seq++, time: this.now().toISOString() } as AgentEvent;
    for (const sink of this.sinks) {
      // A consumer that throws must not break the run or the other consumers.
      try {
        sink(stamped);
      } catch {
        /* ignored on purpose */
      }
    }
    return stamped;
  }
}
