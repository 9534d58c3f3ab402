// Type-only imports: this file is loaded with the review command, and stays free of vscode so it is tested in plain Node.
import type { DiffSelection } from '../../core/codeReview/gitPort';
import type { ReviewProgress } from '../../core/codeReview/runReview';
import type { CheckedComment, ReviewResult, Severity } from '../../core/codeReview/reviewSchema';
import type { ReviewSummaryItem } from '../../shared/panelState';

/**
 * What the editor shows for a review, computed as plain data: the comment threads' labels and
 * bodies, the Problems view's entries, the side panel's summary card and the diff choices. The
 * vscode-facing code (reviewComments.ts, reviewCommand.ts) only places these.
 */

export const REVIEW_CONTROLLER_ID = 'agentHarness.codeReview';
export const REVIEW_CONTROLLER_LABEL = 'Agent Harness review';
export const DIAGNOSTIC_COLLECTION = 'agent-harness-review';
export const DIAGNOSTIC_SOURCE = 'Agent Harness review';

/** contextValue of a thread that can still be resolved; package.json's menus match on it. */
export const THREAD_OPEN = 'agentHarnessCodeReview.open';
export const THREAD_RESOLVED = 'agentHarnessCodeReview.resolved';
/** contextValue of a comment whose suggestion can be applied ("Apply Suggestion" shows only then). */
export const COMMENT_WITH_SUGGESTION = 'agentHarnessCodeReview.suggestion';
export const COMMENT_PLAIN = 'agentHarnessCodeReview.comment';

/** VS Code's DiagnosticSeverity values (Error 0, Warning 1, Information 2), kept here so the mapping is tested without vscode. */
export const DIAGNOSTIC_SEVERITY: Record<Severity, 0 | 1 | 2> = { error: 0, warning: 1, info: 2 };

export interface ThreadView {
  /** Zero-based inclusive lines the thread spans; a file-level comment sits on line 0. */
  startLine: number;
  endLine: number;
  fileLevel: boolean;
  /** The thread's label, shown in the thread header: "error: add() subtracts". */
  label: string;
  /** The comment's author line (plain text, no icons render there): severity first, so it stands out in the Comments view too. */
  author: string;
  /** Markdown (trusted: false); model text is never treated as command links. */
  body: string;
  commentContext: string;
  canApply: boolean;
}

export function threadView(c: CheckedComment, lines: { startLine: number; endLine: number } | undefined): ThreadView {
  const fileLevel = lines === undefined;
  const where = fileLevel ? 'file-level' : lines.startLine === lines.endLine ? `line ${lines.startLine + 1}` : `lines ${lines.startLine + 1}-${lines.endLine + 1}`;
  const canApply = !fileLevel && c.suggestion !== undefined;
  const parts = [c.body.trim() || '_(no details)_'];
  if (fileLevel && c.movedFrom !== undefined && c.movedFrom > 0) parts.push(`_The review named line ${c.movedFrom}, which is not part of the reviewed change, so the comment is shown on the file._`);
  if (c.suggestion !== undefined) parts.push(`**Suggested change**${canApply ? '' : ' (for the whole file; apply it by hand)'}:\n\n${fence(c.suggestion)}`);
  return {
    startLine: lines?.startLine ?? 0,
    endLine: lines?.endLine ?? 0,
    fileLevel,
    label: `${c.severity}: ${c.title}${fileLevel ? ' (file-level)' : ''}`,
    author: `${c.severity.toUpperCase()} · ${where}`,
    body: `**${escapeMarkdown(c.title)}**\n\n${parts.join('\n\n')}`,
    commentContext: canApply ? COMMENT_WITH_SUGGESTION : COMMENT_PLAIN,
    canApply,
  };
}

export interface DiagnosticView {
  startLine: number;
  endLine: number;
  severity: 0 | 1 | 2;
  message: string;
}

export function diagnosticView(c: CheckedComment, lines: { startLine: number; endLine: number } | undefined): DiagnosticView {
  return {
    startLine: lines?.startLine ?? 0,
    endLine: lines?.endLine ?? 0,
    severity: DIAGNOSTIC_SEVERITY[c.severity],
    message: lines ? c.title : `${c.title} (file-level review comment)`,
  };
}

/** A code block fence longer than any backtick run inside, so suggested code cannot close it early. */
function fence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}\n${code.replace(/\r?\n$/, '')}\n${f}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

/** The side panel's card for a finished review. */
export function reviewSummaryItem(result: ReviewResult, id: string): ReviewSummaryItem {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const c of result.comments) counts[c.severity]++;
  return {
    kind: 'review',
    id,
    description: result.diff.description,
    summary: result.summary,
    recommendation: result.recommendation,
    counts,
    fileLevel: result.comments.filter((c) => c.fileLevel).length,
    files: result.diff.files.length,
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    notes: [...result.notes],
    usage: { input: result.usage.inputTokens, output: result.usage.outputTokens, cacheRead: result.usage.cacheReadTokens, cacheWrite: result.usage.cacheWriteTokens, costUsd: result.usage.costUsd, ...(result.usage.costUnknown ? { costUnknown: true } : {}) },
    model: result.model,
  };
}

export type DiffChoice = 'uncommitted' | 'staged' | 'branch';

export interface DiffChoiceItem {
  choice: DiffChoice;
  label: string;
  description: string;
}

/** The quick pick's entries, the default first. */
export const DIFF_CHOICES: readonly DiffChoiceItem[] = [
  { choice: 'uncommitted', label: 'Uncommitted changes', description: 'staged, unstaged and untracked files against HEAD' },
  { choice: 'staged', label: 'Staged changes only', description: 'the index against HEAD' },
  { choice: 'branch', label: 'Current branch against a base…', description: 'the working tree against the merge-base with a branch, tag or commit' },
];

/**
 * The selection for a choice; a branch review needs a non-empty base, and a base that looks like an
 * option is refused here too (GitCli refuses it again), so the person gets the message in the input box.
 */
export function selectionFor(choice: DiffChoice, base?: string): DiffSelection {
  if (choice === 'uncommitted') return { kind: 'uncommitted' };
  if (choice === 'staged') return { kind: 'staged' };
  const ref = base?.trim() ?? '';
  const problem = baseRefProblem(ref);
  if (problem) throw new Error(problem);
  return { kind: 'branch', base: ref };
}

/** Why a typed base ref cannot be used, or undefined when it can (shown live in the input box). */
export function baseRefProblem(ref: string): string | undefined {
  const r = ref.trim();
  if (r === '') return 'Type a branch, tag or commit to compare with.';
  if (r.startsWith('-')) return 'A base ref cannot start with "-".';
  if (/\s/.test(r)) return 'A base ref has no spaces.';
  return undefined;
}

/** The base the input box proposes: the branch's upstream when git knows it, else `main`. */
export function defaultBaseRef(upstream: { remote?: string; name?: string } | undefined): string {
  if (upstream?.name) return upstream.remote ? `${upstream.remote}/${upstream.name}` : upstream.name;
  return 'main';
}

/** The progress notification's message for each step of the runbook. */
export function progressMessage(p: ReviewProgress): string {
  if (p.type === 'diff') return `${p.description}: ${p.files} file(s)${p.parts > 1 ? ` in ${p.parts} parts` : ''}${p.skipped ? `, ${p.skipped} skipped` : ''}`;
  const part = p.parts > 1 ? ` (part ${p.part} of ${p.parts})` : '';
  return p.type === 'exploring' ? `reading the workspace${part}…` : `writing the review${part}…`;
}

/** The one line shown in a notification when the review is done. */
export function doneMessage(result: ReviewResult): string {
  const n = result.comments.length;
  const rec = result.recommendation === 'request_changes' ? 'changes requested' : result.recommendation === 'approve' ? 'approved' : 'comments';
  return `Review ${rec}: ${n === 0 ? 'no comments' : `${n} comment${n === 1 ? '' : 's'}`}${result.skipped.length ? `, ${result.skipped.length} file(s) not reviewed` : ''}.`;
}
