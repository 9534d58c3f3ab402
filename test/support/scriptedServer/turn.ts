import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * What the scripted server answers to one model request. A turn is either a reply (text, tool calls,
 * a structured-output object) or a fault (an HTTP error, a stream cut, a stall, a malformed chunk...).
 * Every object is strict so a typo in a scenario file is reported instead of silently ignored.
 */

/** A tool call to emit. `arguments` as a string is sent verbatim, which lets a scenario send broken JSON. */
export const ScriptedToolCallSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
});
export type ScriptedToolCall = z.infer<typeof ScriptedToolCallSchema>;

/** Overrides for the usage the server reports; fields left out are computed from the request. */
export const ScriptedUsageSchema = z.strictObject({
  input: z.number().int().nonnegative().optional(),
  output: z.number().int().nonnegative().optional(),
  cacheRead: z.number().int().nonnegative().optional(),
  cacheWrite: z.number().int().nonnegative().optional(),
});
export type ScriptedUsage = z.infer<typeof ScriptedUsageSchema>;

/**
 * Stop reasons in the neutral vocabulary; each protocol maps them to its own
 * (OpenAI: stop / tool_calls / length / content_filter; Anthropic: end_turn / tool_use / max_tokens / refusal).
 */
export const ScriptedStopReasonSchema = z.enum(['end_turn', 'tool_use', 'max_tokens', 'refusal']);
export type ScriptedStopReason = z.infer<typeof ScriptedStopReasonSchema>;

const replyShape = {
  text: z.string().optional(),
  toolCalls: z.array(ScriptedToolCallSchema).optional(),
  /** A structured-output answer: OpenAI message text, or Anthropic input of the forced tool. */
  json: z.unknown().optional(),
  usage: ScriptedUsageSchema.optional(),
  /** Defaults to `tool_use` when there are tool calls (or a forced-tool json answer), else `end_turn`. */
  stopReason: ScriptedStopReasonSchema.optional(),
  /** Milliseconds to wait before each streamed event after the first (benchmarks, UI realism). */
  delayMs: z.number().int().nonnegative().optional(),
};

export const ReplyTurnSchema = z.strictObject(replyShape);
export type ReplyTurn = z.infer<typeof ReplyTurnSchema>;

/** Answer with an HTTP error status. `body` replaces the provider-shaped error body when given. */
export const StatusFaultSchema = z.strictObject({
  fault: z.literal('status'),
  status: z.number().int().min(400).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  message: z.string().optional(),
  /** `context_length_exceeded` makes a 400 read as "prompt too long" in each provider's words. */
  code: z.string().optional(),
});

const afterEvents = z.number().int().nonnegative();

/**
 * Destroy the socket after `afterEvents` streamed events. With `inToolArguments` the cut happens right
 * after the first argument fragment of the first tool call instead, so the call is never complete.
 * A non-streaming request gets half of its JSON body and then the cut.
 */
export const CutFaultSchema = z.strictObject({
  ...replyShape,
  fault: z.literal('cut'),
  afterEvents: afterEvents.optional(),
  inToolArguments: z.boolean().optional(),
});

/** Send `afterEvents` events, then go quiet: forever (until the client gives up) or for `ms`, then finish normally. */
export const StallFaultSchema = z.strictObject({
  ...replyShape,
  fault: z.literal('stall'),
  afterEvents: afterEvents.optional(),
  ms: z.number().int().nonnegative().optional(),
});

/** Send `afterEvents` events, then one data line that is not valid JSON, then end the response. */
export const MalformedFaultSchema = z.strictObject({
  ...replyShape,
  fault: z.literal('malformed'),
  afterEvents: afterEvents.optional(),
});

/** A 200 text/html page, as a misconfigured proxy or captive portal answers. */
export const HtmlFaultSchema = z.strictObject({
  fault: z.literal('html'),
  html: z.string().optional(),
});

/**
 * Send `afterEvents` events, then an in-stream error (Anthropic `event: error`, an OpenAI chunk with
 * `error`). A non-streaming request gets the same error as an HTTP status instead (529 or 500).
 */
export const SseErrorFaultSchema = z.strictObject({
  ...replyShape,
  fault: z.literal('sse_error'),
  afterEvents: afterEvents.optional(),
  errorType: z.string().optional(),
  message: z.string().optional(),
});

export const FaultTurnSchema = z.discriminatedUnion('fault', [
  StatusFaultSchema,
  CutFaultSchema,
  StallFaultSchema,
  MalformedFaultSchema,
  HtmlFaultSchema,
  SseErrorFaultSchema,
]);
export type FaultTurn = z.infer<typeof FaultTurnSchema>;

export const TurnSchema = z.union([FaultTurnSchema, ReplyTurnSchema]);
export type Turn = z.infer<typeof TurnSchema>;

/** A fault turn that streams (part of) a reply before failing. */
export type StreamFaultTurn = Extract<FaultTurn, { fault: 'cut' | 'stall' | 'malformed' | 'sse_error' }>;

export function isFaultTurn(turn: Turn): turn is FaultTurn {
  return 'fault' in turn && typeof turn.fault === 'string';
}

/** The file format of a scenario. Turns are checked one by one by `parseTurn` for precise errors. */
const ScenarioFileSchema = z.strictObject({
  description: z.string().optional(),
  turns: z.array(z.unknown()).default([]),
  /** Per-conversation scripts (see conversations.ts), answered when no queued turn is left. */
  conversations: z.array(z.strictObject({ match: z.string().min(1), turns: z.array(z.unknown()).min(1) })).optional(),
});

export interface Scenario {
  description?: string;
  turns: Turn[];
  conversations?: Array<{ match: string; turns: Turn[] }>;
}

/** Turns a zod failure into one readable line per problem, naming where in the input it is. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates one turn. The schema is chosen by the presence of `fault`, so an error names the field
 * that is wrong instead of saying that no member of a union matched.
 */
export function parseTurn(value: unknown, where = 'turn'): { turn: Turn } | { error: string } {
  const isFault = value !== null && typeof value === 'object' && 'fault' in value;
  const parsed = isFault ? FaultTurnSchema.safeParse(value) : ReplyTurnSchema.safeParse(value);
  return parsed.success ? { turn: parsed.data } : { error: describeIssues(parsed.error, where) };
}

/** Validates turns given in code; throws a clear error naming the bad field. */
export function parseTurns(turns: readonly unknown[]): Turn[] {
  return turns.map((value, i) => {
    const result = parseTurn(value, `turns.${i}`);
    if ('error' in result) throw new Error(`invalid scripted turn: ${result.error}`);
    return result.turn;
  });
}

/** Reads and validates a scenario file: `{"description"?: string, "turns": Turn[], "conversations"?: [{match, turns}]}`. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`scenario ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (raw !== null && typeof raw === 'object' && !('turns' in raw) && !('conversations' in raw)) {
    throw new Error(`scenario ${path} is invalid: turns: a scenario needs "turns" (or "conversations")`);
  }
  const file = ScenarioFileSchema.safeParse(raw);
  if (!file.success) throw new Error(`scenario ${path} is invalid: ${describeIssues(file.error)}`);
  try {
    const conversations = file.data.conversations?.map((c) => ({ match: c.match, turns: parseTurns(c.turns) }));
    return { ...(file.data.description !== undefined ? { description: file.data.description } : {}), turns: parseTurns(file.data.turns), ...(conversations ? { conversations } : {}) };
  } catch (e) {
    throw new Error(`scenario ${path} is invalid: ${(e as Error).message.replace(/^invalid scripted turn: /, '')}`);
  }
}
