import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates the folder for full command outputs. It usually lives in the workspace (so the model can
 * read_file a spilled output), so it carries a .gitignore that ignores everything in it: spilled logs
 * must never end up in the user's commits.
 */
export function ensureSpillDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  try {
    writeFileSync(ignore, '# Full outputs of long commands, written by Agent Harness.\n*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Keeps the newest `keep` spilled outputs and deletes the rest, so the folder does not grow without bound. */
export function pruneSpillDir(dir: string, keep = 50): number {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^command-.*\.log$/.test(n));
  } catch {
    return 0;
  }
  const files = names
    .map((name) => {
      try {
        return { name, mtime: statSync(path.join(dir, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((f): f is { name: string; mtime: number } => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
  let removed = 0;
  for (const file of files.slice(keep)) {
    try {
      unlinkSync(path.join(dir, file.name));
      removed++;
    } catch {
      // Already gone.
    }
  }
  return removed;
}
