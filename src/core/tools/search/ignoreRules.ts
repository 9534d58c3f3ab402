import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Folder names the workspace tools never descend into, at any depth: they are large, generated or
 * private, and the model almost never needs them. An explicit path into one still works.
 * `.git` is skipped whether it is a folder or a file (a worktree's gitlink).
 */
export const SKIPPED_DIR_NAMES: readonly string[] = ['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', 'dist', 'build'];

export function isSkippedEntry(name: string, isDir: boolean): boolean {
  if (name === '.git') return true;
  return isDir && SKIPPED_DIR_NAMES.includes(name);
}

/** The rules of one .gitignore file and the folder they are relative to. */
interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

/**
 * The .gitignore files that apply inside one folder, outermost first.
 *
 * The semantics follow ripgrep's (so the JS fallback and rg agree): every .gitignore in the folder's
 * ancestors applies, up to and including the nearest folder that holds a `.git` entry (a repository
 * root); a nested repository starts afresh. The deepest rule that says anything wins, as in git.
 * `.git/info/exclude`, the global excludes file and `.ignore` files are not read (rg is run with the
 * matching --no-ignore-* flags).
 */
export class IgnoreChain {
  private constructor(private readonly levels: readonly IgnoreLevel[]) {}

  static empty(): IgnoreChain {
    return new IgnoreChain([]);
  }

  /** Builds the chain for `dir` by looking upwards, as rg does for the folder it starts in. */
  static async forDirectory(dir: string): Promise<IgnoreChain> {
    const ancestors: string[] = [];
    let current = path.resolve(dir);
    for (;;) {
      ancestors.push(current);
      if (await hasGitEntry(current)) break;
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    const levels: IgnoreLevel[] = [];
    for (const d of ancestors.reverse()) {
      const rules = await loadGitignore(d);
      if (rules) levels.push({ dir: d, rules });
    }
    return new IgnoreChain(levels);
  }

  /**
   * The chain for a child folder met while walking. `hasGit` says whether the child holds a `.git`
   * entry (the walker already listed it, so no extra stat is needed).
   */
  async descend(childDir: string, hasGit: boolean): Promise<IgnoreChain> {
    const rules = await loadGitignore(childDir);
    const base = hasGit ? [] : this.levels;
    if (!rules) return hasGit ? IgnoreChain.empty() : this;
    return new IgnoreChain([...base, { dir: childDir, rules }]);
  }

  /** Whether an entry (absolute path) is ignored. The deepest .gitignore with a matching rule decides. */
  ignores(absPath: string, isDir: boolean): boolean {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const level = this.levels[i];
      if (!level) continue;
      const rel = path.relative(level.dir, absPath);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const posix = rel.split(path.sep).join('/');
      const res = level.rules.test(isDir ? `${posix}/` : posix);
      if (res.ignored) return true;
      if (res.unignored) return false;
    }
    return false;
  }

  get size(): number {
    return this.levels.length;
  }
}

async function hasGitEntry(dir: string): Promise<boolean> {
  try {
    await stat(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}

async function loadGitignore(dir: string): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) return undefined;
  return ignore().add(lines);
}
