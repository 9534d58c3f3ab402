import { readFile, stat } from 'node:fs/promises';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, type ToolOutput } from '../tools/defineTool';
import { applyDecided, type ApplyOptions } from './apply';
import { lineCounts, type ChangeSet, type FileChange } from './changeSet';
import { renderDecisionSummary, reviewAndApply, summarizeOutcomes, type ApplyPort, type ChangeReviewer, type FileOutcome } from './proposals';
import { decodeText } from './textFormat';

/** What write_file and edit_file share: where proposals go and who decides on them. */
export interface EditToolDeps {
  guard: Pick<PathGuard, 'check'>;
  changeSet: ChangeSet;
  /** True for paths whose edits apply at once (a profile's policy, the CLI's --yes). Never applies to protected paths. */
  autoApprove?: (path: string) => boolean;
  /** When set, each proposal is reviewed inside the tool call and the model gets the decision as the result. */
  reviewer?: ChangeReviewer;
  /** Checkpoint hooks passed to apply. */
  applyHooks?: Pick<ApplyOptions, 'beforeWrite' | 'afterWrite'>;
  /** Writes decided files the front end's way (the extension's WorkspaceEdit); the core's atomic writes when absent. */
  applyWith?: ApplyPort;
}

/** Files larger than this are not edited through the tools (a model cannot usefully rewrite them). */
export const MAX_EDIT_FILE_BYTES = 10 * 1024 * 1024;

export interface WriteTarget {
  /** Workspace-relative posix path: the change-set key. */
  path: string;
  resolved: string;
  needsHuman: boolean;
  reason: string;
}

/** Runs the path through the guard for a write; a denied path becomes a tool error with the guard's reason. */
export async function resolveForWrite(deps: EditToolDeps, input: string): Promise<WriteTarget> {
  const v = await deps.guard.check(input, 'write');
  if (v.verdict === 'deny') throw new ToolError(`Cannot write ${JSON.stringify(input)}: ${v.reason}.`);
  if (v.relative === '.' || v.relative === '') throw new ToolError(`Cannot write ${JSON.stringify(input)}: it is the workspace root, not a file.`);
  return { path: v.relative, resolved: v.resolved, needsHuman: v.verdict === 'ask', reason: v.reason };
}

/** The file's current text, or null when it does not exist. Folders, binary and huge files are tool errors. */
export async function readCurrentText(target: WriteTarget): Promise<string | null> {
  let size: number;
  try {
    const s = await stat(target.resolved);
    if (s.isDirectory()) throw new ToolError(`${target.path} is a directory, not a file.`);
    size = s.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (size > MAX_EDIT_FILE_BYTES) throw new ToolError(`${target.path} is ${size} bytes; files over ${MAX_EDIT_FILE_BYTES} bytes are not edited with this tool.`);
  const text = decodeText(await readFile(target.resolved));
  if (text === undefined) throw new ToolError(`${target.path} is binary or not valid UTF-8; it cannot be edited as text.`);
  return text;
}

function lineStats(f: FileChange): string {
  const { added, removed } = lineCounts(f);
  const hunks = `${f.hunks.length} hunk${f.hunks.length === 1 ? '' : 's'}`;
  return `${hunks}, +${added} -${removed} lines`;
}

/**
 * Adds the proposal to the change set, then settles it the way the run is configured: applied at
 * once when auto-approved (never for protected paths), reviewed inline when a reviewer is set, or
 * left pending. The tool result tells the model which of these happened.
 */
export async function proposeAndReport(deps: EditToolDeps, target: WriteTarget, current: string | null, proposed: string, what: string, signal?: AbortSignal): Promise<ToolOutput> {
  const base = deps.changeSet.pendingContent(target.path) ?? current;
  if (base === proposed) {
    return { content: `No change: ${target.path} already has this content${base === current ? '' : ' in the pending proposal'}.`, filesChanged: [] };
  }
  const change = deps.changeSet.propose({
    path: target.path,
    current,
    proposed,
    needsHuman: target.needsHuman,
    ...(target.needsHuman ? { needsHumanReason: target.reason } : {}),
  });
  const head = `${what} ${target.path} (${lineStats(change)}${change.edits > 1 ? `, ${change.edits} edits stacked` : ''}).`;
  const apply: ApplyOptions = { guard: deps.guard, ...deps.applyHooks };

  if (!target.needsHuman && deps.autoApprove?.(target.path) === true) {
    deps.changeSet.approveFile(target.path);
    const results = deps.applyWith ? await deps.applyWith(deps.changeSet, [target.path]) : await applyDecided(deps.changeSet, apply, [target.path]);
    return settled(head, target.path, summarizeOutcomes(deps.changeSet, [target.path], results));
  }
  if (deps.reviewer) {
    const outcomes = await reviewAndApply({ changeSet: deps.changeSet, reviewer: deps.reviewer, apply, paths: [target.path], ...(signal ? { signal } : {}), ...(deps.applyWith ? { applyWith: deps.applyWith } : {}) });
    return settled(head, target.path, outcomes);
  }
  const who = target.needsHuman ? `It is a protected file (${target.reason}): a human must approve it.` : 'It is pending review.';
  return {
    content: `${head} ${who} Nothing is written until it is approved; further edits to this file build on the proposed content.`,
    filesChanged: [target.path],
  };
}

/**
 * The tool result once a proposal was decided: what happened to it, every rejected hunk with its
 * reason. The call changed the file only if something was written: the run's "changed" list never
 * names a file that was rejected or conflicted.
 */
function settled(head: string, path: string, outcomes: readonly FileOutcome[]): ToolOutput {
  const conflict = outcomes.some((o) => o.outcome === 'conflict');
  const written = outcomes.some((o) => o.outcome === 'applied' || o.outcome === 'partially_applied');
  return { content: `${head}\n${renderDecisionSummary(outcomes)}`, filesChanged: written ? [path] : [], ...(conflict ? { isError: true } : {}) };
}
