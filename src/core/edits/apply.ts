import { readFile } from 'node:fs/promises';
import type { PathGuard } from '../policy/pathGuard';
import { writeFileAtomic } from './atomicWrite';
import type { ChangeSet, FileChange } from './changeSet';
import { sha256 } from './textFormat';

export type ApplyStatus = 'applied' | 'unchanged' | 'conflict' | 'refused';

export interface ApplyResult {
  path: string;
  status: ApplyStatus;
  message: string;
}

export interface ApplyOptions {
  guard: Pick<PathGuard, 'check'>;
  /** Called before the first byte of a file changes; the checkpoint records the original here. */
  beforeWrite?: (relative: string, resolved: string) => Promise<void>;
  /** Called after a file was written, with what is now on disk. */
  afterWrite?: (relative: string, content: string) => Promise<void>;
}

/** The file's bytes, or null when it does not exist. Shared with the extension's WorkspaceEdit apply. */
export async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** How the disk differs from what a proposal was made against, for the conflict messages (called only when the hashes differ). */
export function staleChange(originalHash: string | null, currentHash: string | null): string {
  return originalHash === null ? 'was created' : currentHash === null ? 'was deleted' : 'changed';
}

/** Settles a file by its apply result: written or needing no write is `applied`, anything else a `conflict` with the reason. */
export function settleByResult(changeSet: ChangeSet, result: ApplyResult): void {
  const failed = result.status === 'conflict' || result.status === 'refused';
  changeSet.settle(result.path, result.status === 'applied' || result.status === 'unchanged' ? 'applied' : 'conflict', failed ? result.message : undefined);
}

/**
 * Writes one file's decided content. The path goes through the guard again right before the write,
 * so a symlink swapped in after the proposal is still caught; then the stale-write guard compares
 * the disk's sha256 with the hash taken when the proposal was made and refuses on any difference,
 * because the user's newer edit must never be overwritten by an older proposal.
 * `content` null means the file should not exist (a new file nothing was approved for): nothing is written.
 */
export async function applyFileChange(change: FileChange, content: string | null, options: ApplyOptions): Promise<ApplyResult> {
  const { path } = change;
  if (content === null) return { path, status: 'unchanged', message: `${path}: nothing approved, not created` };
  const verdict = await options.guard.check(path, 'write');
  if (verdict.verdict === 'deny' || (verdict.verdict === 'ask' && !change.needsHuman)) {
    return { path, status: 'refused', message: `${path}: not written: ${verdict.reason}` };
  }
  const current = await readIfExists(verdict.resolved);
  const currentHash = current === null ? null : sha256(current);
  if (currentHash !== change.originalHash) {
    const what = staleChange(change.originalHash, currentHash);
    return {
      path,
      status: 'conflict',
      message: `${path}: conflict: the file ${what} on disk after the edit was proposed; it was not overwritten. Read it again and propose the edit anew.`,
    };
  }
  if (current !== null && current.equals(Buffer.from(content, 'utf8'))) {
    return { path, status: 'unchanged', message: `${path}: no change to write` };
  }
  await options.beforeWrite?.(path, verdict.resolved);
  await writeFileAtomic(verdict.resolved, content);
  await options.afterWrite?.(path, content);
  return { path, status: 'applied', message: `${path}: written` };
}

/**
 * Applies every pending file of the set whose hunks are all decided (or only `paths`), and settles
 * each: a file with at least one approved hunk that was written (or needed no write) is `applied`,
 * a file with every hunk rejected is `rejected`, a stale or refused file is `conflict`. Files still
 * waiting for a decision are left pending.
 */
export async function applyDecided(changeSet: ChangeSet, options: ApplyOptions, paths?: readonly string[]): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const f of changeSet.pending()) {
    if (paths && !paths.includes(f.path)) continue;
    if (!changeSet.isDecided(f.path)) continue;
    const anyApproved = f.hunks.some((h) => h.status === 'approved');
    if (!anyApproved) {
      changeSet.settle(f.path, 'rejected');
      results.push({ path: f.path, status: 'unchanged', message: `${f.path}: rejected, not written` });
      continue;
    }
    let result: ApplyResult;
    try {
      result = await applyFileChange(f, changeSet.contentToWrite(f.path), options);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      result = { path: f.path, status: 'refused', message: `${f.path}: not written: ${why}` };
    }
    settleByResult(changeSet, result);
    results.push(result);
  }
  return results;
}
