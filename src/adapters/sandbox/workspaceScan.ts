import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isManifest } from '../../core/policy/manifests';
import { canonicalSegment, DEFAULT_CONFIG_DIR_NAME, looksLikeGitDir, protectedReason } from '../../core/policy/protectedPaths';

/**
 * One pass over a workspace that finds what the protected list names (protectedPaths.ts) and every
 * folder shaped like a git directory, and lists the regular files, so the sandbox can mount the
 * protected entries read-only and the audit can tell what a command changed.
 *
 * Bounds: `node_modules` is not entered (nothing there configures the editor, git or an agent), inside
 * a `.git` folder only what runs programs is read (config, hooks, info, modules' config and hooks; not
 * objects or refs, which every git command rewrites), and the walk stops after `maxEntries`, saying so.
 */

/** A protected file or folder, with what the audit needs to put it back. */
export interface ProtectedEntry {
  rel: string;
  kind: 'file' | 'dir' | 'link';
  mode: number;
  /** sha256 of a file's content (files up to MAX_PROTECTED_FILE_BYTES), or of a link's target. */
  hash?: string;
  /** The content itself, to restore it (same bound). */
  content?: Buffer;
}

export interface WorkspaceScan {
  /** Protected entries by workspace-relative posix path: every file and folder below a protected name too. */
  protected: Map<string, ProtectedEntry>;
  /** The top-most protected paths that exist (what the sandbox mounts read-only). */
  protectedRoots: string[];
  /** Folders (relative, '.' for the root) that hold at least two of HEAD, config, objects/, refs/, outside any .git. */
  gitDirShapes: Set<string>;
  /** Every regular file seen outside node_modules and .git (relative posix paths). */
  files: Set<string>;
  /** Every folder seen outside node_modules and .git (relative posix paths). */
  dirs: Set<string>;
  /** Files that decide what a runner executes (core/policy/manifests.ts), with a hash of their content. */
  manifests: Map<string, string>;
  /** True when the walk stopped at maxEntries; what it did not reach is unknown. */
  truncated: boolean;
}

export interface ScanOptions {
  configDirName?: string;
  maxEntries?: number;
  /** Workspace-relative folders the walk leaves out (the sandbox's own spill folder). */
  exclude?: readonly string[];
}

export const MAX_PROTECTED_FILE_BYTES = 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 200_000;
const SKIPPED_DIRS = new Set(['node_modules']);
/** Inside a .git folder: the entries whose change can make git run a program. */
const GIT_EXEC_ENTRIES = new Set(['config', 'config.worktree', 'hooks', 'info', 'commondir', 'modules', 'worktrees']);

export async function scanWorkspace(root: string, options: ScanOptions = {}): Promise<WorkspaceScan> {
  const configDirName = options.configDirName ?? DEFAULT_CONFIG_DIR_NAME;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const exclude = new Set(options.exclude ?? []);
  const scan: WorkspaceScan = { protected: new Map(), protectedRoots: [], gitDirShapes: new Set(), files: new Set(), dirs: new Set(), manifests: new Map(), truncated: false };
  let seen = 0;

  // Breadth first, so a truncated walk has still seen everything near the root.
  // gitLevel: -1 outside a git directory, 0 for the git directory itself (a .git folder, or a submodule's
  // folder under .git/modules), 1 and more below it.
  const queue: { rel: string; gitLevel: number; protectedAbove: boolean }[] = [{ rel: '', gitLevel: -1, protectedAbove: false }];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await readdir(path.join(root, dir.rel), { withFileTypes: true });
    } catch {
      continue;
    }
    if (dir.gitLevel < 0 && looksLikeGitDir(entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })))) scan.gitDirShapes.add(dir.rel || '.');
    for (const e of entries) {
      if (++seen > maxEntries) {
        scan.truncated = true;
        return scan;
      }
      const rel = dir.rel ? `${dir.rel}/${e.name}` : e.name;
      if (exclude.has(rel)) continue;
      const name = canonicalSegment(e.name);
      if (dir.gitLevel === 0 && !GIT_EXEC_ENTRIES.has(name)) continue;
      const isProtected = dir.protectedAbove || protectedReason(rel, configDirName) !== undefined;
      if (isProtected) {
        if (!dir.protectedAbove) scan.protectedRoots.push(rel);
        scan.protected.set(rel, await describe(root, rel, e.isDirectory(), e.isSymbolicLink()));
      } else if (e.isFile()) {
        scan.files.add(rel);
        if (isManifest(rel)) scan.manifests.set(rel, await fileHash(path.join(root, rel)));
      } else if (e.isDirectory()) {
        scan.dirs.add(rel);
      }
      if (e.isDirectory() && !SKIPPED_DIRS.has(name)) {
        queue.push({ rel, gitLevel: childGitLevel(dir.rel, dir.gitLevel, name), protectedAbove: isProtected });
      }
    }
  }
  return scan;
}

function childGitLevel(parentRel: string, parentLevel: number, name: string): number {
  if (parentLevel < 0) return name === '.git' ? 0 : -1;
  // .git/modules/<name> is a submodule's own git directory, read like .git itself.
  if (parentLevel === 1 && canonicalSegment(path.posix.basename(parentRel)) === 'modules') return 0;
  return parentLevel + 1;
}

async function describe(root: string, rel: string, isDir: boolean, isLink: boolean): Promise<ProtectedEntry> {
  const abs = path.join(root, rel);
  const info = await lstat(abs).catch(() => undefined);
  const mode = info?.mode ?? 0;
  if (isLink) {
    const target = await readlink(abs).catch(() => '');
    return { rel, kind: 'link', mode, hash: sha256(Buffer.from(target)) };
  }
  if (isDir) return { rel, kind: 'dir', mode };
  if (!info || info.size > MAX_PROTECTED_FILE_BYTES) return { rel, kind: 'file', mode, hash: `size:${info?.size ?? -1}:${info?.mtimeMs ?? 0}` };
  const content = await readFile(abs).catch(() => undefined);
  return content ? { rel, kind: 'file', mode, hash: sha256(content), content } : { rel, kind: 'file', mode };
}

async function fileHash(abs: string): Promise<string> {
  const info = await lstat(abs).catch(() => undefined);
  if (!info || info.size > MAX_PROTECTED_FILE_BYTES) return `size:${info?.size ?? -1}:${info?.mtimeMs ?? 0}`;
  const content = await readFile(abs).catch(() => undefined);
  return content ? sha256(content) : 'unreadable';
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
