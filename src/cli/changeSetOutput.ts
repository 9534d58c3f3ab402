import { lineCounts, type ChangeSet, type FileChange } from '../core/edits/changeSet';
import type { FileOutcome } from '../core/edits/proposals';

/**
 * How the CLI shows a run's change set. Without --yes nothing is written and the pending diff goes
 * to the terminal (or a patch file); with --yes the outcomes of applying are listed. Text output is
 * for people; `changeSetJson` is the stable shape for --json.
 */

export interface FileSummary {
  path: string;
  /** `added` when the file did not exist before the run. */
  change: 'added' | 'modified';
  state: FileChange['state'];
  hunks: number;
  added: number;
  removed: number;
  needsHuman: boolean;
}

export function summarizeFile(f: FileChange): FileSummary {
  const { added, removed } = lineCounts(f);
  return { path: f.path, change: f.originalContent === null ? 'added' : 'modified', state: f.state, hunks: f.hunks.length, added, removed, needsHuman: f.needsHuman };
}

/** The --json view: every file of the set, sorted by path, plus the pending patch. */
export function changeSetJson(changeSet: ChangeSet): { files: FileSummary[]; pendingPatch: string } {
  const files = changeSet
    .list()
    .map(summarizeFile)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, pendingPatch: renderPatch(changeSet) };
}

/** One line per file: `A src/new.ts  +12 -0  pending (protected: needs a person)`. */
export function formatFileList(files: readonly FileChange[]): string {
  return files
    .map(summarizeFile)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((s) => `${s.change === 'added' ? 'A' : 'M'} ${s.path}  +${s.added} -${s.removed}  ${s.state}${s.needsHuman ? ' (protected: needs a person)' : ''}`)
    .join('\n');
}

/** The pending files as a git-style patch (`git apply` accepts it), '' when nothing is pending. */
export function renderPatch(changeSet: ChangeSet): string {
  const diff = changeSet.unifiedDiff({ states: ['pending'] });
  return diff === '' || diff.endsWith('\n') ? diff : `${diff}\n`;
}

const ANSI = { red: '\u001b[31m', green: '\u001b[32m', cyan: '\u001b[36m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** Colours a unified diff for a terminal: additions green, removals red, hunk headers cyan. */
export function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git')) return `${ANSI.bold}${line}${ANSI.reset}`;
      if (line.startsWith('@@')) return `${ANSI.cyan}${line}${ANSI.reset}`;
      if (line.startsWith('+')) return `${ANSI.green}${line}${ANSI.reset}`;
      if (line.startsWith('-')) return `${ANSI.red}${line}${ANSI.reset}`;
      return line;
    })
    .join('\n');
}

/**
 * The end-of-run report for pending changes: a header that says nothing was written and why, the file
 * list and the diff. Returns '' when nothing is pending. `yes` changes the explanation: with --yes
 * only protected files can still be pending.
 */
export function formatPendingChanges(changeSet: ChangeSet, options: { yes: boolean; color?: boolean }): string {
  const pending = changeSet.pending();
  if (pending.length === 0) return '';
  const why = options.yes
    ? 'protected files always need a person; review the diff and apply it yourself if it is right'
    : 'run again with --yes to apply them, or apply the patch below';
  const head = `${pending.length} proposed file change${pending.length === 1 ? ' was' : 's were'} not written (${why}):`;
  const patch = renderPatch(changeSet);
  return `${head}\n${formatFileList(pending)}\n\n${options.color ? colorDiff(patch) : patch}`;
}

/** What applying did, one line per file, for --yes runs and interactive review. */
export function formatOutcomes(outcomes: readonly FileOutcome[]): string {
  return outcomes
    .map((o) => {
      switch (o.outcome) {
        case 'applied':
          return `written   ${o.path}`;
        case 'partially_applied':
          return `written   ${o.path} (${o.approvedHunks} of ${o.totalHunks} hunks)`;
        case 'rejected':
          return `rejected  ${o.path}${o.note ? `: ${o.note}` : ''}`;
        case 'conflict':
          return `conflict  ${o.path}: ${o.note ?? 'not written'}`;
        case 'pending':
          return `pending   ${o.path}${o.needsHuman ? ' (protected: needs a person)' : ''}`;
      }
    })
    .join('\n');
}
