import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { IgnoreChain, isSkippedEntry } from './ignoreRules';

export interface WalkedFile {
  /** Absolute path. */
  abs: string;
  /** Posix path relative to the walk's root. */
  rel: string;
}

export interface WalkOptions {
  /** Paths in results are relative to this folder (the workspace root). */
  root: string;
  /** Where the walk starts (a folder inside root). */
  start: string;
  signal?: AbortSignal;
  /** False searches an explicitly named ignored folder: .gitignore is not read, skipped names still are. */
  respectGitignore?: boolean;
}

/**
 * Lists every file under `start`, depth first, skipping the fixed folder names, whatever .gitignore
 * ignores, and symbolic links (they are not followed, as rg does not follow them, so a link can never
 * lead a search outside the workspace).
 */
export async function* walkFiles(opts: WalkOptions): AsyncGenerator<WalkedFile> {
  const start = path.resolve(opts.start);
  const startEntries = await readdir(start, { withFileTypes: true });
  const chain = opts.respectGitignore === false ? IgnoreChain.empty() : await IgnoreChain.forDirectory(start, path.resolve(opts.root));
  yield* visit(start, startEntries, chain, opts);
}

async function* visit(dir: string, entries: Dirent[], chain: IgnoreChain, opts: WalkOptions): AsyncGenerator<WalkedFile> {
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (entry.isSymbolicLink()) continue;
    const isDir = entry.isDirectory();
    if (isSkippedEntry(entry.name, isDir)) continue;
    const abs = path.join(dir, entry.name);
    if (chain.ignores(abs, isDir)) continue;
    if (isDir) {
      let children: Dirent[];
      try {
        children = await readdir(abs, { withFileTypes: true });
      } catch {
        continue; // Unreadable folders are skipped, as rg skips them.
      }
      const childChain = opts.respectGitignore === false ? chain : await chain.descend(abs, children.some((c) => c.name === '.git'));
      yield* visit(abs, children, childChain, opts);
    } else if (entry.isFile()) {
      yield { abs, rel: toPosixRelative(opts.root, abs) };
    }
  }
}

export function toPosixRelative(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

/**
 * Whether `abs` (inside root) lies in an area the walk would not enter: a skipped folder name or a
 * .gitignore match on any segment between the root and it. Tools use this to notice that a path the
 * model named explicitly is ignored, and then search it without ignore rules instead of finding nothing.
 */
export async function isPathIgnored(root: string, abs: string, isDir: boolean): Promise<boolean> {
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const segments = rel.split(path.sep);
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const next = path.join(current, segment);
    const segmentIsDir = i < segments.length - 1 || isDir;
    if (isSkippedEntry(segment, segmentIsDir)) return true;
    const chain = await IgnoreChain.forDirectory(current, root);
    if (chain.ignores(next, segmentIsDir)) return true;
    current = next;
  }
  return false;
}
