import { chmod, cp, lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalSegment, GIT_DIR_DIR_MARKERS, GIT_DIR_FILE_MARKERS } from '../../core/policy/protectedPaths';
import type { WorkspaceScan } from './workspaceScan';

/**
 * What a command changed that nobody approved, found by comparing a scan before it with a scan after
 * it, and put back: a protected file that changed or vanished is restored from the copy taken before;
 * a protected entry that appeared, and the markers of a folder that became a git directory, are moved
 * to a quarantine folder outside the workspace (where a person can look at them); new executable
 * files are reported. Every finding is one sentence for the model and the person.
 */
export interface AuditChange {
  path: string;
  what: 'created' | 'modified' | 'removed' | 'git-dir' | 'executable';
  action: 'quarantined' | 'restored' | 'reported' | 'failed';
  detail: string;
}

export interface AuditOutcome {
  changes: AuditChange[];
  /** Manifests (package.json, Makefile, conftest.py …) the command created or changed. */
  manifestsChanged: string[];
  /** True when protected entries or git-directory shapes changed (host actions must ask a person). */
  protectedChanged: boolean;
}

export interface AuditActions {
  workspaceRoot: string;
  /** Where entries a command created are moved, one folder per audit. */
  quarantineDir: string;
}

const MAX_REPORTED_EXECUTABLES = 20;

export async function auditCommand(before: WorkspaceScan, after: WorkspaceScan, actions: AuditActions): Promise<AuditOutcome> {
  const changes: AuditChange[] = [];
  const quarantined = new Set<string>();
  const underQuarantined = (rel: string) => [...quarantined].some((q) => rel === q || rel.startsWith(`${q}/`));

  // Created protected entries: move the top-most new one (its content goes with it).
  for (const rel of [...after.protected.keys()].sort()) {
    if (before.protected.has(rel) || underQuarantined(rel)) continue;
    changes.push(await quarantine(rel, 'created', 'a protected entry the command created', actions));
    quarantined.add(rel);
  }
  // Changed or removed protected files (and links): put back what was there.
  for (const [rel, was] of before.protected) {
    if (was.kind === 'dir') continue;
    const now = after.protected.get(rel);
    if (now && now.kind === was.kind && now.hash === was.hash && now.mode === was.mode) continue;
    if (now === undefined && !before.truncated && after.truncated) continue;
    changes.push(await restore(rel, now ? 'modified' : 'removed', was, actions.workspaceRoot));
  }
  // Folders that became git directories: quarantine the markers that are new.
  for (const dir of [...after.gitDirShapes].sort()) {
    if (before.gitDirShapes.has(dir)) continue;
    const names = await readdir(path.join(actions.workspaceRoot, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const marker = canonicalSegment(name);
      if (!GIT_DIR_FILE_MARKERS.includes(marker) && !GIT_DIR_DIR_MARKERS.includes(marker)) continue;
      const rel = dir === '.' ? name : `${dir}/${name}`;
      if (before.files.has(rel) || before.dirs.has(rel) || before.protected.has(rel) || underQuarantined(rel)) continue;
      changes.push(await quarantine(rel, 'git-dir', `it made ${dir === '.' ? 'the workspace root' : dir} look like a git directory`, actions));
      quarantined.add(rel);
    }
  }
  // New executable files are legitimate build output as often as not: say so, do not touch.
  let reported = 0;
  for (const rel of after.files) {
    if (before.files.has(rel) || before.truncated) continue;
    const info = await lstat(path.join(actions.workspaceRoot, rel)).catch(() => undefined);
    if (!info || !info.isFile() || (info.mode & 0o111) === 0) continue;
    if (++reported > MAX_REPORTED_EXECUTABLES) break;
    changes.push({ path: rel, what: 'executable', action: 'reported', detail: `${rel} is a new executable file` });
  }
  const manifestsChanged = [...after.manifests].filter(([rel, hash]) => before.manifests.get(rel) !== hash && !(before.truncated && !before.manifests.has(rel))).map(([rel]) => rel);
  return { changes, manifestsChanged, protectedChanged: changes.some((c) => c.what !== 'executable') };
}

async function quarantine(rel: string, what: AuditChange['what'], why: string, actions: AuditActions): Promise<AuditChange> {
  const from = path.join(actions.workspaceRoot, rel);
  const to = path.join(actions.quarantineDir, rel);
  try {
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await rename(from, to);
    } catch (error) {
      // The quarantine is usually on another file system than the workspace.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await cp(from, to, { recursive: true, verbatimSymlinks: true });
      await rm(from, { recursive: true, force: true });
    }
    return { path: rel, what, action: 'quarantined', detail: `${rel}: ${why}; moved out of the workspace to ${to}` };
  } catch (error) {
    await rm(from, { recursive: true, force: true }).catch(() => undefined);
    const gone = !(await lstat(from).then(() => true, () => false));
    return { path: rel, what, action: gone ? 'quarantined' : 'failed', detail: `${rel}: ${why}; ${gone ? 'deleted' : 'could not be removed'} (${(error as Error).message})` };
  }
}

async function restore(rel: string, what: 'modified' | 'removed', was: { kind: string; mode: number; content?: Buffer }, root: string): Promise<AuditChange> {
  const abs = path.join(root, rel);
  if (was.kind !== 'file' || was.content === undefined) {
    return { path: rel, what, action: 'failed', detail: `${rel}: a protected ${was.kind} was ${what} by the command and cannot be restored automatically` };
  }
  try {
    await rm(abs, { recursive: true, force: true });
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, was.content, { mode: was.mode & 0o7777 });
    await chmod(abs, was.mode & 0o7777);
    return { path: rel, what, action: 'restored', detail: `${rel}: a protected file the command ${what === 'modified' ? 'changed' : 'deleted'}; restored to what it was before` };
  } catch (error) {
    return { path: rel, what, action: 'failed', detail: `${rel}: a protected file the command ${what === 'modified' ? 'changed' : 'deleted'}; restoring it failed (${(error as Error).message})` };
  }
}
