import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Names at the workspace root that configure the agent, the editor, git or package managers. They are
 * mounted read-only over the workspace mount, so a command in the container cannot plant a git hook or
 * change the agent's settings even though the rest of the workspace is writable. Matched without regard
 * to case, as the path guard does.
 */
export const defaultProtectedNames = ['.git', '.vscode', '.devcontainer', '.agent-harness', '.gitmodules', '.mcp.json', '.npmrc', 'agents.md'];

export interface ProtectedMount {
  /** Absolute host path (the real path, after following a symlink that stays inside the workspace). */
  source: string;
  /** Path relative to the workspace root, POSIX separators. */
  relative: string;
}

/**
 * The protected entries that exist right now. A symlink is followed only when its target stays inside
 * the workspace (then the target is protected too); a link leading outside is not mounted, because
 * Docker would follow it and show a host folder to the container, and inside the container the link
 * points nowhere anyway.
 */
export async function findProtectedMounts(workspaceRoot: string, names: readonly string[] = defaultProtectedNames): Promise<ProtectedMount[]> {
  const root = await realpath(workspaceRoot);
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const mounts = new Map<string, ProtectedMount>();
  for (const name of entries.sort()) {
    const lower = name.toLowerCase();
    if (!wanted.has(lower) && !lower.endsWith('.code-workspace')) continue;
    const full = path.join(root, name);
    const info = await lstat(full).catch(() => undefined);
    if (!info) continue;
    if (!info.isSymbolicLink()) {
      mounts.set(full, { source: full, relative: name });
      continue;
    }
    const target = await realpath(full).catch(() => undefined);
    if (!target || !isInside(root, target)) continue;
    const relative = path.relative(root, target).split(path.sep).join('/');
    mounts.set(target, { source: target, relative });
  }
  return [...mounts.values()];
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A stable key for comparing the protected set between commands. */
export function protectedKey(mounts: readonly ProtectedMount[]): string {
  return mounts.map((m) => `${m.relative}\u0000${m.source}`).join('\n');
}
