import { z } from 'zod';
import { complete } from '../agent/complete';
import type { Message } from '../model/messages';
import type { ModelClient } from '../model/modelClient';
import type { Pricing } from '../model/pricing';
import type { UsageTotals } from '../model/usage';
import { estimateTokens } from './contextMeter';

/**
 * Compaction: when the context passes a share of the model's window, the older turns are replaced by
 * a structured summary written by a model call. The system prompt is not part of the messages and is
 * never touched; the last turns stay verbatim. The cut is always placed right before an assistant
 * message, so a tool call and its result always stay on the same side.
 */
export const CompactionSummarySchema = z.object({
  task: z.string().describe('The task as the user gave it, with any refinements they made since.'),
  progress: z.string().describe('Where the work stands now, in a few sentences.'),
  decisions: z.array(z.string()).describe('Decisions made and why, including approaches that were rejected.'),
  filesTouched: z.array(z.string()).describe('Workspace-relative paths read, created or changed, each with a few words on what.'),
  commandsRun: z.array(z.string()).describe('Commands run and what they showed.'),
  openItems: z.array(z.string()).describe('What is still to do, unresolved errors, and questions still open.'),
});
export type CompactionSummary = z.infer<typeof CompactionSummarySchema>;

export interface CompactionSettings {
  /** Compact when the context passes this share of the window. Default 0.8. */
  threshold?: number;
  /** Assistant turns kept verbatim (fewer when they alone would fill half the window). Default 4. */
  keepTurns?: number;
}

export const DEFAULT_COMPACTION_THRESHOLD = 0.8;
export const DEFAULT_KEEP_TURNS = 4;

export interface CompactionPlan {
  older: Message[];
  kept: Message[];
}

/** Where to cut: before the assistant message that starts the last `keep` turns, shrinking `keep` until the kept part fits in half the window. */
export function planCompaction(messages: readonly Message[], window: number, keepTurns = DEFAULT_KEEP_TURNS): CompactionPlan | undefined {
  const starts = messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
  for (let keep = Math.min(keepTurns, starts.length - 1); keep >= 0; keep--) {
    const cut = keep === 0 ? messages.length : (starts[starts.length - keep] ?? messages.length);
    if (cut <= 0) continue;
    const kept = messages.slice(cut);
    if (keep > 0 && kept.reduce((n, m) => n + estimateTokens(m), 0) > window / 2) continue;
    // A trailing assistant message with tool calls must keep its results; cutting after it is not allowed.
    if (keep === 0 && messages.at(-1)?.role === 'assistant') continue;
    return { older: messages.slice(0, cut), kept };
  }
  return undefined;
}

const SUMMARISER_SYSTEM = `You compact the history of a coding agent's run so it can continue with less context.
Summarise the transcript into the JSON schema. Be specific: keep file paths, function names, commands, error messages and numbers exactly.
Keep every file touched, every command run, every decision and every open item; drop chatter and repeated tool output.`;

export interface CompactInput {
  model: ModelClient;
  task: string;
  plan: CompactionPlan;
  /** Facts the harness knows for certain; they are merged into the summary whatever the model writes. */
  filesChanged: readonly string[];
  commandsRun: readonly string[];
  window: number;
  pricing?: Pricing;
  signal?: AbortSignal;
}

export async function summarise(input: CompactInput): Promise<{ summary: CompactionSummary; usage: UsageTotals }> {
  const budgetChars = Math.max(8_000, Math.floor(input.window * 4 * 0.5));
  const transcript = renderTranscript(input.plan.older, budgetChars);
  const res = await complete({
    model: input.model,
    system: SUMMARISER_SYSTEM,
    user: `The task: ${input.task}\n\nFiles changed so far: ${input.filesChanged.join(', ') || 'none'}\nCommands run so far: ${input.commandsRun.join(' | ') || 'none'}\n\nTranscript of the turns to summarise:\n${transcript}`,
    outputSchema: CompactionSummarySchema,
    outputName: 'context_summary',
    pricing: input.pricing,
    signal: input.signal,
  });
  const summary = res.output;
  return {
    summary: {
      ...summary,
      filesTouched: mergeMentions(summary.filesTouched, input.filesChanged),
      commandsRun: mergeMentions(summary.commandsRun, input.commandsRun),
    },
    usage: res.usage,
  };
}

/** Adds each known fact the model's list does not mention. */
function mergeMentions(listed: readonly string[], known: readonly string[]): string[] {
  const out = [...listed];
  for (const k of known) if (!listed.some((l) => l.includes(k))) out.push(k);
  return out;
}

/** The summary as the user message that replaces the older turns. */
export function renderSummary(task: string, s: CompactionSummary): string {
  const list = (items: readonly string[]) => (items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : '- none');
  return [
    'Earlier turns of this run were compacted into this summary to save context. Continue the task from here.',
    `## Task\n${task}${s.task && s.task !== task ? `\n(as understood so far: ${s.task})` : ''}`,
    `## Progress\n${s.progress}`,
    `## Decisions\n${list(s.decisions)}`,
    `## Files touched\n${list(s.filesTouched)}`,
    `## Commands run\n${list(s.commandsRun)}`,
    `## Open items\n${list(s.openItems)}`,
  ].join('\n\n');
}

/** The messages after compaction: the summary (a user message), then the kept turns verbatim. */
export function applyCompaction(summaryText: string, plan: CompactionPlan): Message[] {
  return [{ role: 'user', content: summaryText }, ...plan.kept];
}

/** A plain-text transcript for the summariser, each tool result capped and the whole kept within a budget (start and end kept). */
export function renderTranscript(messages: readonly Message[], budgetChars: number): string {
  const parts = messages.map((m) => {
    if (m.role === 'user') return `USER: ${m.content}`;
    if (m.role === 'tool') return `TOOL RESULT (${m.toolName}${m.isError ? ', error' : ''}): ${cap(m.content, 2_000)}`;
    const calls = m.toolCalls.map((c) => `CALL ${c.name} ${cap(c.arguments, 1_000)}`).join('\n');
    return `ASSISTANT: ${m.text}${calls ? `\n${calls}` : ''}`;
  });
  const text = parts.join('\n\n');
  if (text.length <= budgetChars) return text;
  const half = Math.floor(budgetChars / 2);
  return `${text.slice(0, half)}\n\n[… ${text.length - 2 * half} characters of transcript omitted …]\n\n${text.slice(text.length - half)}`;
}

function cap(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)} […${s.length - n} more characters]`;
}
