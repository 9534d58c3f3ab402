import { lstat, mkdir, realpath, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { canonicalSegment, DEFAULT_CONFIG_DIR_NAME, PLACEHOLDER_DIR_NAMES } from '../../core/policy/protectedPaths';
import type { WorkspaceScan } from './workspaceScan';

/**
 * What the container sees read-only over its read-write workspace mount: every protected entry that
 * exists, at any depth (from the shared list in core/policy/protectedPaths.ts), and, for the protected
 * folders at the root that do not exist, an empty placeholder folder, so a command can neither change
 * a protected file nor create one of those folders. Protected names that cannot have a placeholder (a
 * root `.npmrc`, `AGENTS.md` in a sub-folder, git-directory shapes) are caught by the audit after
 * every command instead (commandAudit.ts).
 */
export interface ProtectedMount {
  /** Absolute host path (the real path, after following a symlink that stays inside the workspace). */
  source: string;
  /** Path relative to the workspace root, POSIX separators. */
  relative: string;
}

export interface ProtectedLayout {
  mounts: ProtectedMount[];
  /** Root folders that had to be created as placeholders (relative names); remove them when done if still empty. */
  placeholders: string[];
}

/** More read-only mounts than this is a workspace the sandbox refuses to guess about: the walk says so. */
export const MAX_PROTECTED_MOUNTS = 256;

/**
 * Decides the read-only mounts from a scan, creating the missing root placeholders on the host (as
 * the user running the agent, so they stay the user's to delete). A symlinked protected entry is
 * followed only when its target stays inside the workspace; a link leading outside is not mounted,
 * because Docker would follow it and show a host folder to the container.
 */
export async function protectedLayout(workspaceRoot: string, scan: WorkspaceScan, configDirName = DEFAULT_CONFIG_DIR_NAME): Promise<ProtectedLayout> {
  const root = await realpath(workspaceRoot);
  const mounts = new Map<string, ProtectedMount>();
  for (const rel of scan.protectedRoots) {
    if (mounts.size >= MAX_PROTECTED_MOUNTS) break;
    const full = path.join(root, rel);
    const entry = scan.protected.get(rel);
    if (entry?.kind !== 'link') {
      mounts.set(full, { source: full, relative: rel });
      continue;
    }
    const target = await realpath(full).catch(() => undefined);
    if (!target || !isInside(root, target)) continue;
    mounts.set(target, { source: target, relative: path.relative(root, target).split(path.sep).join('/') });
  }

  const placeholders: string[] = [];
  const existing = new Set(scan.protectedRoots.filter((r) => !r.includes('/')).map(canonicalSegment));
  for (const name of [...PLACEHOLDER_DIR_NAMES, configDirName]) {
    if (existing.has(canonicalSegment(name))) continue;
    const full = path.join(root, name);
    try {
      await mkdir(full);
      placeholders.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A placeholder from earlier (scans leave those out), or a folder a person just made: either
      // way a real folder that is protected, so it is mounted read-only. Anything else (a file, a link)
      // the next scan sees as it is.
      const info = await lstat(full).catch(() => undefined);
      if (!info?.isDirectory()) continue;
    }
    mounts.set(full, { source: full, relative: name });
  }
  return { mounts: [...mounts.values()].sort((a, b) => a.relative.localeCompare(b.relative)), placeholders };
}

/** Removes the placeholders that are still empty (a person may have put something there meanwhile). */
export async function removePlaceholders(workspaceRoot: string, placeholders: readonly string[]): Promise<void> {
  for (const name of placeholders) await rmdir(path.join(workspaceRoot, name)).catch(() => undefined);
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A stable key for comparing the protected set between commands. */
export function protectedKey(mounts: readonly ProtectedMount[]): string {
  return mounts.map((m) => `${m.relative}\u0000${m.source}`).join('\n');
}
