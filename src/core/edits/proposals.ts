import { z } from 'zod';
import { applyDecided, type ApplyOptions, type ApplyResult } from './apply';
import { ChangeSetError, type ChangeSet, type FileChange } from './changeSet';
import { hunkHeader } from './hunks';

/**
 * Review is a port: the core hands the pending files to a `ChangeReviewer` and gets decisions back.
 * The extension implements it with diff editors, the CLI with `--yes` (approve everything that is not
 * protected) or not at all (print the pending diff and write nothing), a test with a scripted list.
 */
export const HunkDecisionSchema = z.object({
  index: z.number().int().nonnegative(),
  approved: z.boolean(),
  reason: z.string().optional(),
});
export type HunkDecision = z.infer<typeof HunkDecisionSchema>;

export const FileDecisionSchema = z.object({
  path: z.string(),
  /** Approve or reject the whole file, or decide hunk by hunk (hunks not listed are rejected). */
  decision: z.enum(['approve', 'reject', 'hunks']),
  reason: z.string().optional(),
  hunks: z.array(HunkDecisionSchema).optional(),
});
export type FileDecision = z.infer<typeof FileDecisionSchema>;

export interface ReviewRequest {
  /** The pending files to decide, as plain data (copies). */
  files: FileChange[];
  /** The same files as one unified diff. */
  diff: string;
  /** The run's signal: a stopped run ends the review with no decision (the proposal stays pending). */
  signal?: AbortSignal;
}

/**
 * Writes what was decided for `paths` and settles those files: the core's atomic writes (applyDecided)
 * unless a front end writes its own way (the extension: a WorkspaceEdit, so the editor's Undo works).
 */
export type ApplyPort = (changeSet: ChangeSet, paths: readonly string[]) => Promise<ApplyResult[]>;

/** Returns a decision per file it decided; a file left out stays pending. */
export type ChangeReviewer = (request: ReviewRequest) => Promise<FileDecision[]>;

/**
 * The `--yes` reviewer: approves every file, except protected ones unless `includeProtected` is set,
 * because protected files (hooks, editor and agent configuration) need a human each time.
 */
export function approveAllReviewer(options: { includeProtected?: boolean } = {}): ChangeReviewer {
  return async (request) =>
    request.files.filter((f) => options.includeProtected === true || !f.needsHuman).map((f) => ({ path: f.path, decision: 'approve' as const }));
}

/** Records decisions in the set. Throws ChangeSetError for a path or hunk that is not pending. */
export function recordDecisions(changeSet: ChangeSet, decisions: readonly FileDecision[]): void {
  for (const raw of decisions) {
    const d = FileDecisionSchema.parse(raw);
    if (d.decision === 'approve') changeSet.approveFile(d.path);
    else if (d.decision === 'reject') changeSet.rejectFile(d.path, d.reason);
    else {
      const file = changeSet.get(d.path);
      if (!file) throw new ChangeSetError(`no proposed change for ${d.path}`);
      const given = new Map((d.hunks ?? []).map((h) => [h.index, h]));
      for (const idx of given.keys()) {
        if (!file.hunks[idx]) throw new ChangeSetError(`${d.path} has no hunk ${idx} (it has ${file.hunks.length})`);
      }
      for (const h of file.hunks) {
        const choice = given.get(h.index);
        // Fail closed: a hunk the reviewer did not approve is not written.
        if (choice?.approved === true) changeSet.setHunk(d.path, h.index, 'approved');
        else changeSet.setHunk(d.path, h.index, 'rejected', choice?.reason ?? d.reason);
      }
    }
  }
}

export type FileOutcomeKind = 'applied' | 'partially_applied' | 'rejected' | 'conflict' | 'pending';

export interface RejectedHunk {
  index: number;
  header: string;
  reason?: string;
  lines: string[];
}

export interface FileOutcome {
  path: string;
  outcome: FileOutcomeKind;
  approvedHunks: number;
  totalHunks: number;
  rejected: RejectedHunk[];
  /** The file-level rejection reason, or the conflict / pending explanation. */
  note?: string;
  needsHuman: boolean;
}

/** Turns the set's state (after apply) into one outcome per file. */
export function summarizeOutcomes(changeSet: ChangeSet, paths: readonly string[], results: readonly ApplyResult[] = []): FileOutcome[] {
  return paths.map((path) => {
    const f = changeSet.get(path);
    if (!f) throw new ChangeSetError(`no proposed change for ${path}`);
    const approved = f.hunks.filter((h) => h.status === 'approved').length;
    const rejected = f.hunks
      .filter((h) => h.status === 'rejected')
      .map((h) => ({ index: h.index, header: hunkHeader(h), lines: h.lines, ...(h.reason !== undefined ? { reason: h.reason } : {}) }));
    const result = results.find((r) => r.path === path);
    let outcome: FileOutcomeKind;
    if (f.state === 'pending') outcome = 'pending';
    else if (f.state === 'conflict') outcome = 'conflict';
    else if (f.state === 'rejected') outcome = 'rejected';
    else outcome = approved === f.hunks.length ? 'applied' : 'partially_applied';
    const note = f.state === 'conflict' ? result?.message ?? f.note : f.state === 'pending' ? pendingNote(f) : f.note;
    return { path, outcome, approvedHunks: approved, totalHunks: f.hunks.length, rejected, needsHuman: f.needsHuman, ...(note !== undefined ? { note } : {}) };
  });
}

function pendingNote(f: FileChange): string {
  return f.needsHuman ? `waiting for a human to review (${f.needsHumanReason ?? 'protected file'})` : 'waiting for review';
}

/**
 * Asks the reviewer about the pending files (all, or `paths`), records the decisions, applies what
 * was approved and returns one outcome per file asked about.
 */
export async function reviewAndApply(args: { changeSet: ChangeSet; reviewer: ChangeReviewer; apply: ApplyOptions; paths?: readonly string[]; signal?: AbortSignal; applyWith?: ApplyPort }): Promise<FileOutcome[]> {
  const { changeSet } = args;
  const files = changeSet.pending().filter((f) => !args.paths || args.paths.includes(f.path));
  if (files.length === 0) return [];
  const asked = files.map((f) => f.path);
  const decisions = await args.reviewer({ files, diff: changeSet.unifiedDiff({ paths: asked }), ...(args.signal ? { signal: args.signal } : {}) });
  recordDecisions(changeSet, decisions.filter((d) => asked.includes(d.path)));
  // Only files now fully decided are written; one left undecided (a cancelled review) stays pending.
  const decided = asked.filter((p) => changeSet.get(p)?.state === 'pending' && changeSet.isDecided(p));
  const results = decided.length === 0 ? [] : args.applyWith ? await args.applyWith(changeSet, decided) : await applyDecided(changeSet, args.apply, decided);
  return summarizeOutcomes(changeSet, asked, results);
}

const MAX_HUNK_LINES_SHOWN = 30;

/**
 * The text the model gets back about review decisions. Rejected hunks are quoted with the reviewer's
 * reason, because the model has to know exactly which part of its edit did not land to work on.
 */
export function renderDecisionSummary(outcomes: readonly FileOutcome[]): string {
  const out: string[] = [];
  for (const o of outcomes) {
    switch (o.outcome) {
      case 'applied':
        out.push(`${o.path}: approved and written.`);
        break;
      case 'pending':
        out.push(`${o.path}: proposed, pending review (${o.note ?? 'waiting for review'}); nothing is written until it is approved.`);
        break;
      case 'conflict':
        out.push(`${o.path}: ${o.note ?? 'conflict: not written'}`);
        break;
      case 'rejected':
        out.push(`${o.path}: rejected; nothing was written.${o.note ? ` Reason: ${o.note}` : ''}`);
        break;
      case 'partially_applied':
        out.push(`${o.path}: partially written: ${o.approvedHunks} of ${o.totalHunks} hunks approved; the rejected hunks below were not written.`);
        break;
    }
    if (o.outcome === 'partially_applied' || (o.outcome === 'rejected' && o.rejected.some((r) => r.reason !== undefined && r.reason !== o.note))) {
      for (const r of o.rejected) {
        out.push(`  Rejected hunk ${r.index + 1} ${r.header}${r.reason ? ` (reason: ${r.reason})` : ''}:`);
        const shown = r.lines.slice(0, MAX_HUNK_LINES_SHOWN).map((l) => `    ${l}`);
        if (r.lines.length > MAX_HUNK_LINES_SHOWN) shown.push(`    … ${r.lines.length - MAX_HUNK_LINES_SHOWN} more lines`);
        out.push(...shown);
      }
    }
  }
  return out.join('\n');
}
