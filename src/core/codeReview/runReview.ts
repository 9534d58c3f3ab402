import type { EventSink } from '../agent/events';
import { complete, StructuredOutputError } from '../agent/complete';
import { runAgent } from '../agent/loop';
import type { ModelClient } from '../model/modelClient';
import type { Pricing } from '../model/pricing';
import { addUsage, CostSum, emptyUsage, withTotals, type Usage, type UsageTotals } from '../model/usage';
import type { TextSearcher } from '../tools/search/textSearcher';
import { anchorComments } from './anchorComments';
import { DEFAULT_DIFF_BUDGET, planDiff, type DiffBudget, type RenderedFile } from './diffBudget';
import type { DiffSelection, GitPort, ReviewDiff } from './gitPort';
import { EXPLORE_INSTRUCTIONS, finalInstructions, renderDiffPrompt, reviewSetup, type ReviewSetup } from './reviewPrompt';
import { ReviewOutputSchema, type CheckedComment, type Recommendation, type ReviewResult } from './reviewSchema';

/** Model turns of the read-only exploration before the structured answer; 0 skips it. */
export const DEFAULT_EXPLORE_TURNS = 6;

export type ReviewProgress =
  | { type: 'diff'; description: string; files: number; parts: number; skipped: number }
  | { type: 'exploring'; part: number; parts: number }
  | { type: 'writing'; part: number; parts: number };

export interface RunReviewOptions {
  root: string;
  git: GitPort;
  selection: DiffSelection;
  /** The diff when the caller already read it (the CLI does, to skip the gateway for an empty diff). */
  diff?: ReviewDiff;
  model: ModelClient;
  builtinSkillsDir: string;
  profileName?: string;
  searcher?: TextSearcher;
  budget?: Partial<DiffBudget>;
  exploreTurns?: number;
  signal?: AbortSignal;
  /** The exploration's agent events (tool calls, usage), for progress displays and traces. */
  sinks?: readonly EventSink[];
  onProgress?: (p: ReviewProgress) => void;
  pricing?: Pricing;
  maxOutputTokens?: number;
}

/** The review could not be made (the model failed, or its answer never matched the schema); `usage` is what it cost so far. */
export class ReviewError extends Error {
  constructor(
    message: string,
    readonly usage: UsageTotals,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

/**
 * The code-review runbook: read the diff through the git port, split it per file within the token
 * budget, let the reviewer explore the workspace read-only for a few turns, take its answer through
 * complete() with the review schema, and check every comment against the diff.
 * An empty diff costs no model call.
 */
export async function runReview(opts: RunReviewOptions): Promise<ReviewResult> {
  const diff = opts.diff ?? (await opts.git.diff(opts.selection));
  const plan = planDiff(diff.files, { ...DEFAULT_DIFF_BUDGET, ...opts.budget });
  const parts = plan.chunks.length;
  opts.onProgress?.({ type: 'diff', description: diff.description, files: diff.files.length, parts, skipped: plan.skipped.length });
  if (parts === 0) return unreviewedResult(diff, plan.skipped, opts.model.model);
  const base = {
    diff: { selection: diff.selection, description: diff.description, files: diff.files.map((f) => f.path) },
    skipped: plan.skipped,
    model: opts.model.model,
  };

  const setup = await reviewSetup({ root: opts.root, builtinSkillsDir: opts.builtinSkillsDir, profileName: opts.profileName, searcher: opts.searcher });
  const spent = { usage: emptyUsage(), cost: new CostSum() };
  const notes: string[] = [...diff.notes, ...setup.problems.map((p) => `Skipped a broken skill or profile: ${p}`)];
  const summaries: string[] = [];
  const recommendations: Recommendation[] = [];
  const comments: CheckedComment[] = [];
  const anchorNotes: string[] = [];
  // Files listed by name only (binary, too large) may get a file-level comment in any part.
  // Their hunks are dropped for the check, since the model never saw those lines.
  const listedOnly = diff.files.filter((f) => !plan.chunks.some((c) => c.some((r) => r.file.path === f.path))).map((f) => ({ ...f, hunks: [] }));
  for (let i = 0; i < parts; i++) {
    const chunk = plan.chunks[i] as RenderedFile[];
    const part = await reviewPart(opts, setup, diff, chunk, i + 1, parts, plan.skipped, spent, notes);
    summaries.push(parts > 1 ? `Part ${i + 1} of ${parts} (${chunk.map((r) => r.file.path).join(', ')}): ${part.summary}` : part.summary);
    recommendations.push(part.recommendation);
    // Each part is checked against the files it showed: a comment on a file the model did not see in this part is a guess.
    const anchored = anchorComments(part.comments, [...chunk.map((r) => r.file), ...listedOnly], opts.root);
    comments.push(...anchored.comments);
    anchorNotes.push(...anchored.notes);
  }
  comments.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return {
    ...base,
    summary: summaries.join('\n\n'),
    recommendation: combine(recommendations),
    comments,
    usage: withTotals(spent.usage, spent.cost.usd, spent.cost.unknown),
    notes: [...notes, ...anchorNotes],
  };
}

async function reviewPart(
  opts: RunReviewOptions,
  setup: ReviewSetup,
  diff: ReviewDiff,
  chunk: RenderedFile[],
  index: number,
  total: number,
  skipped: ReviewResult['skipped'],
  spent: { usage: Usage; cost: CostSum },
  notes: string[],
) {
  const diffText = renderDiffPrompt({ diff, chunk, index, total, skipped });
  const turns = opts.exploreTurns ?? DEFAULT_EXPLORE_TURNS;
  let explored: string | undefined;
  if (turns > 0 && setup.tools.list().length > 0) {
    opts.onProgress?.({ type: 'exploring', part: index, parts: total });
    const reads = readLog();
    const run = await runAgent({
      task: `${diffText}\n\n${EXPLORE_INSTRUCTIONS}`,
      system: setup.system,
      model: opts.model,
      tools: setup.tools,
      profile: setup.profile,
      skillsUsed: setup.skills,
      limits: { maxTurns: turns, maxToolCalls: turns * 4 },
      signal: opts.signal,
      sinks: [...(opts.sinks ?? []), reads.sink],
      pricing: opts.pricing,
      maxOutputTokens: opts.maxOutputTokens,
    });
    spent.usage = addUsage(spent.usage, run.usage);
    spent.cost.addTotals(run.usage);
    // A spent budget stops the review: writing it would be one more call the budget forbids.
    if (run.status === 'failed' || run.status === 'cancelled' || run.status === 'budget_exceeded') {
      throw new ReviewError(`the review failed while reading the workspace: ${run.error ?? run.status}`, withTotals(spent.usage, spent.cost.usd, spent.cost.unknown));
    }
    if (run.status !== 'completed') notes.push(`Part ${index}: the exploration stopped early (${run.error ?? run.status}); the review is based on what was read by then.`);
    // A run stopped by its limit never wrote its notes; what it read is passed on instead, so the reading is not wasted.
    explored = run.status === 'completed' ? run.output : [run.output, reads.render()].filter((x) => x.trim()).join('\n\n');
  }
  opts.onProgress?.({ type: 'writing', part: index, parts: total });
  try {
    const res = await complete({
      model: opts.model,
      system: setup.system,
      user: `${diffText}\n\n${finalInstructions(explored)}`,
      outputSchema: ReviewOutputSchema,
      outputName: 'submit_review',
      signal: opts.signal,
      pricing: opts.pricing,
      maxOutputTokens: opts.maxOutputTokens,
    });
    spent.usage = addUsage(spent.usage, res.usage);
    spent.cost.addTotals(res.usage);
    if (res.attempts > 1) notes.push(`Part ${index}: the model's first answer did not match the review schema; the retry did.`);
    return res.output;
  } catch (e) {
    if (e instanceof StructuredOutputError) {
      spent.usage = addUsage(spent.usage, e.usage);
      spent.cost.addTotals(e.usage);
      throw new ReviewError(`the review could not be read: ${e.message}`, withTotals(spent.usage, spent.cost.usd, spent.cost.unknown));
    }
    if (e instanceof Error && !(e instanceof ReviewError)) throw new ReviewError(`the review failed: ${e.message}`, withTotals(spent.usage, spent.cost.usd, spent.cost.unknown));
    throw e;
  }
}

/** Results of the exploration's tool calls, cut to a budget, for an exploration that ran out of turns. */
export const MAX_READ_LOG_CHARS = 24_000;

function readLog() {
  const calls: string[] = [];
  const sink: EventSink = (ev) => {
    if (ev.type === 'tool_call_finished' && !ev.isError) calls.push(`${ev.name} ${ev.content.length > 4000 ? `${ev.content.slice(0, 4000)}\n[cut]` : ev.content}`);
  };
  const render = (): string => {
    if (calls.length === 0) return '';
    let out = 'What you read before the turn limit:';
    for (const c of calls) {
      if (out.length + c.length > MAX_READ_LOG_CHARS) {
        out += '\n[more results left out]';
        break;
      }
      out += `\n---\n${c}`;
    }
    return out;
  };
  return { sink, render };
}

/**
 * The result when no model call is made: an empty diff (approve, nothing to say) or a diff whose
 * every file was skipped (comment: a person has to look at it).
 */
export function unreviewedResult(diff: ReviewDiff, skipped: ReviewResult['skipped'] = [], model = 'none'): ReviewResult {
  const empty = diff.files.length === 0;
  const summary = empty
    ? `Nothing to review: there are no ${diff.description}.`
    : `Nothing could be reviewed: every file in the change was skipped (${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}).`;
  return {
    summary,
    recommendation: empty ? 'approve' : 'comment',
    comments: [],
    usage: withTotals(emptyUsage(), 0),
    diff: { selection: diff.selection, description: diff.description, files: diff.files.map((f) => f.path) },
    skipped,
    notes: [...diff.notes],
    model,
  };
}

/** The strictest part wins: any part asking for changes asks for them all. */
function combine(recs: readonly Recommendation[]): Recommendation {
  if (recs.includes('request_changes')) return 'request_changes';
  if (recs.includes('comment')) return 'comment';
  return 'approve';
}
