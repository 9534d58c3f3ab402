import { z } from 'zod';
import { AssistantMessageSchema, MessageSchema, ToolCallSchema } from '../model/messages';
import { UsageSchema } from '../model/usage';
import { RunLimitsSchema } from '../agent/limits';
import { RunResultSchema, SkillUseSchema } from '../agent/runResult';

/**
 * The run journal's records, version 1. A journal is append-only JSON lines, one record per line, each
 * carrying the format version and a checksum (see journalCodec.ts). A record is written before the
 * loop acts on what it describes, so after a crash the journal says exactly how far the run got.
 *
 * Compatibility rule: a released version is never changed. A new format adds a new version and
 * `decodeJournal` keeps reading every older one (a fixture of each version lives in test/fixtures/journal).
 */
export const JOURNAL_VERSION = 1;

const base = {
  v: z.literal(1),
  time: z.string(),
};

/** Everything needed to continue the run in another process. `resume` is opaque to the core: the caller's settings (workspace, gateway without key, flags). */
export const RunStartRecordSchema = z.object({
  ...base,
  kind: z.literal('run_started'),
  runId: z.string(),
  task: z.string(),
  profile: z.string(),
  model: z.string(),
  protocol: z.string(),
  /** sha256 of the system prompt, to tell whether a resumed session rebuilt the same prompt. */
  systemHash: z.string(),
  history: z.array(MessageSchema),
  limits: RunLimitsSchema,
  tools: z.array(z.string()),
  skills: z.array(SkillUseSchema),
  resume: z.record(z.string(), z.unknown()),
});

export const ModelResponseRecordSchema = z.object({
  message: AssistantMessageSchema,
  stopReason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'refusal', 'other']),
  usage: UsageSchema,
  model: z.string(),
  /** null when the model's price was unknown (see ModelResponse.costUsd). */
  costUsd: z.number().nonnegative().nullable().optional(),
});

/** One model call's complete response, keyed by the loop's stable step id (`<runId>:m<turn>`). */
export const ModelCallRecordSchema = z.object({
  ...base,
  kind: z.literal('model_call'),
  step: z.string(),
  response: ModelResponseRecordSchema,
  costUsd: z.number().nonnegative(),
  /** Requests made for this step, retries included. */
  attempts: z.number().int().nonnegative(),
});

/** A compaction's summary, keyed by its step id (`<runId>:c<turn>`), so a resume does not summarise again. */
export const CompactionRecordSchema = z.object({
  ...base,
  kind: z.literal('compaction'),
  step: z.string(),
  summary: z.string(),
  usage: UsageSchema,
  costUsd: z.number().nonnegative(),
});

/** Written before a tool runs: if the result record is missing, the call may have had its effect. */
export const ToolIntentRecordSchema = z.object({
  ...base,
  kind: z.literal('tool_intent'),
  step: z.string(),
  call: ToolCallSchema,
  toolKind: z.string(),
});

export const ToolResultRecordSchema = z.object({
  ...base,
  kind: z.literal('tool_result'),
  step: z.string(),
  callId: z.string(),
  name: z.string(),
  /** What the model saw (after spilling a large output to a file). */
  content: z.string(),
  isError: z.boolean(),
  filesChanged: z.array(z.string()),
  commandsRun: z.array(z.string()),
});

/** A question put to the person (`asked`) and its answer (`decided`), for one tool call. */
export const ApprovalRecordSchema = z.object({
  ...base,
  kind: z.literal('approval'),
  callId: z.string(),
  state: z.enum(['asked', 'decided']),
  /** What was asked, for the person who resumes. */
  summary: z.string(),
  /** For `decided`: approved, rejected, or a tool-specific answer. */
  decision: z.string().optional(),
});

export const RunResumedRecordSchema = z.object({
  ...base,
  kind: z.literal('run_resumed'),
  pid: z.number().int(),
});

export const RunEndRecordSchema = z.object({
  ...base,
  kind: z.literal('run_ended'),
  result: RunResultSchema,
});

export const JournalRecordSchema = z.discriminatedUnion('kind', [
  RunStartRecordSchema,
  ModelCallRecordSchema,
  CompactionRecordSchema,
  ToolIntentRecordSchema,
  ToolResultRecordSchema,
  ApprovalRecordSchema,
  RunResumedRecordSchema,
  RunEndRecordSchema,
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
export type RunStartRecord = z.infer<typeof RunStartRecordSchema>;
export type ModelCallRecord = z.infer<typeof ModelCallRecordSchema>;
export type CompactionRecord = z.infer<typeof CompactionRecordSchema>;
export type ToolIntentRecord = z.infer<typeof ToolIntentRecordSchema>;
export type ToolResultRecord = z.infer<typeof ToolResultRecordSchema>;
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;
export type RunEndRecord = z.infer<typeof RunEndRecordSchema>;

/** A record as a writer builds it; the journal stamps version and time. */
type Unstamped<R> = R extends unknown ? Omit<R, 'v' | 'time'> : never;
export type JournalRecordInput = Unstamped<JournalRecord>;

/**
 * Where the loop writes its records. `append` returns only once the record is durable (on disk), and
 * throws when it cannot be: a run that cannot be journaled stops instead of going on unrecorded.
 */
export interface RunJournal {
  append(record: JournalRecordInput): void;
}
