import { ChangeSet } from '../../core/edits/changeSet';
import { recordDecisions, summarizeOutcomes, type ApplyPort, type FileDecision, type FileOutcome } from '../../core/edits/proposals';
import type { FileChange } from '../../core/edits/changeSet';
import type { PathVerdict } from '../../core/policy/pathGuard';
import { applySuggestion } from '../../core/codeReview/commentLocation';
import type { CheckedComment } from '../../core/codeReview/reviewSchema';

/** The same ports a run's edits use (runSession.ts): the diff view decides, the editor writes. */
export interface SuggestionEditPorts {
  reviewFile(file: FileChange, signal: AbortSignal | undefined): Promise<FileDecision[]>;
  applyWith: ApplyPort;
  /** The file's text on disk (the caller refuses a file with unsaved editor changes first), or null when it does not exist. */
  readText(path: string): Promise<string | null>;
  /** The workspace path guard's verdict for writing the file. */
  checkWrite(path: string): Promise<PathVerdict>;
}

export type SuggestionOutcome = { status: 'refused'; message: string } | { status: 'decided'; applied: boolean; message: string };

/**
 * Apply Suggestion as an ordinary edit proposal: the suggestion replaces the comment's lines in the
 * current text, the result becomes a pending file in a one-file ChangeSet, and the person approves
 * or rejects it (or single hunks) in the same diff review as the agent's edits, which also writes it
 * through the same WorkspaceEdit apply. Nothing is written without that approval.
 */
export async function proposeSuggestion(comment: CheckedComment, ports: SuggestionEditPorts, signal: AbortSignal): Promise<SuggestionOutcome> {
  const verdict = await ports.checkWrite(comment.path);
  if (verdict.verdict === 'deny') return { status: 'refused', message: `${comment.path}: the suggestion cannot be applied: ${verdict.reason}` };
  const current = await ports.readText(comment.path);
  if (current === null) return { status: 'refused', message: `${comment.path} no longer exists, so the suggestion cannot be applied.` };
  const next = applySuggestion(current, comment);
  if (!next.ok) return { status: 'refused', message: `${comment.path}: the suggestion cannot be applied: ${next.reason}.` };
  if (next.text === current) return { status: 'refused', message: `${comment.path} already has the suggested text; nothing to change.` };
  const changeSet = new ChangeSet();
  const file = changeSet.propose({
    path: comment.path,
    current,
    proposed: next.text,
    // A protected path (hooks, agent configuration) is still offered, but only a person may approve it, which is the case here.
    ...(verdict.verdict === 'ask' ? { needsHuman: true, needsHumanReason: verdict.reason } : {}),
  });
  const decisions = await ports.reviewFile(file, signal);
  if (decisions.length === 0) return { status: 'decided', applied: false, message: `${comment.path}: the suggestion was not applied (the review was closed without a decision).` };
  recordDecisions(
    changeSet,
    decisions.filter((d) => d.path === comment.path),
  );
  const results = changeSet.get(comment.path)?.state === 'pending' && changeSet.isDecided(comment.path) ? await ports.applyWith(changeSet, [comment.path]) : [];
  const outcomes = summarizeOutcomes(changeSet, [comment.path], results);
  const applied = outcomes.some((o) => o.outcome === 'applied' || o.outcome === 'partially_applied');
  return { status: 'decided', applied, message: outcomes.map(outcomeLine).join(' ') };
}

/** One sentence for a person (renderDecisionSummary speaks to the model). */
export function outcomeLine(o: FileOutcome): string {
  switch (o.outcome) {
    case 'applied':
      return `${o.path}: suggestion applied.`;
    case 'partially_applied':
      return `${o.path}: suggestion partly applied (${o.approvedHunks} of ${o.totalHunks} hunks).`;
    case 'rejected':
      return `${o.path}: suggestion rejected, nothing written.`;
    case 'conflict':
      return o.note ?? `${o.path}: the file changed during the review; the suggestion was not written.`;
    case 'pending':
      return `${o.path}: the suggestion is still waiting for a decision.`;
  }
}
