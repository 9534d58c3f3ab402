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
  /** The file's patterns, blank lines and comments removed. */
  patterns: string[];
}

/**
 * The .gitignore files that apply inside one folder, outermost first.
 *
 * Only .gitignore files inside the workspace count: a workspace that lives in an ignored folder of a
 * bigger repository still sees its own files. Every .gitignore from the workspace root down applies,
 * with or without a git repository; a folder holding a `.git` entry (a nested repository) starts
 * afresh. The deepest rule that says anything wins, as in git. `.git/info/exclude`, the global
 * excludes file and `.ignore` files are not read. The ripgrep adapter runs rg with flags that give
 * the same rules (see ripgrepSearcher.ts), and a test compares the two searchers on one tree.
 */
export class IgnoreChain {
  private constructor(private readonly levels: readonly IgnoreLevel[]) {}

  static empty(): IgnoreChain {
    return new IgnoreChain([]);
  }

  /** The chain for `dir` (inside `root`): the .gitignore files from the root, or the nearest nested repository, down to `dir`. */
  static async forDirectory(dir: string, root: string): Promise<IgnoreChain> {
    const rel = path.relative(root, dir);
    const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    const dirs = [inside ? root : dir];
    if (inside && rel !== '') {
      let current = root;
      for (const segment of rel.split(path.sep)) {
        current = path.join(current, segment);
        dirs.push(current);
      }
    }
    let from = 0;
    for (let i = dirs.length - 1; i > 0; i--) {
      if (await hasGitEntry(dirs[i] ?? '')) {
        from = i;
        break;
      }
    }
    const levels: IgnoreLevel[] = [];
    for (const d of dirs.slice(from)) {
      const level = await loadGitignore(d);
      if (level) levels.push(level);
    }
    return new IgnoreChain(levels);
  }

  /**
   * The chain for a child folder met while walking. `hasGit` says whether the child holds a `.git`
   * entry (the walker already listed it, so no extra stat is needed).
   */
  async descend(childDir: string, hasGit: boolean): Promise<IgnoreChain> {
    const level = await loadGitignore(childDir);
    const base = hasGit ? [] : this.levels;
    if (!level) return hasGit ? IgnoreChain.empty() : this;
    return new IgnoreChain([...base, level]);
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

  /**
   * `ignores` for the direct children of `dir` by name, with each level's relative prefix worked out
   * once: listing a folder of 20,000 entries then costs one rule test per entry, not two path
   * resolutions as well.
   */
  childMatcher(dir: string): (name: string, isDir: boolean) => boolean {
    const levels = this.levels.flatMap((level) => {
      const rel = path.relative(level.dir, dir);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
      return [{ rules: level.rules, prefix: rel === '' ? '' : `${rel.split(path.sep).join('/')}/` }];
    });
    levels.reverse();
    return (name, isDir) => {
      for (const level of levels) {
        const res = level.rules.test(isDir ? `${level.prefix}${name}/` : `${level.prefix}${name}`);
        if (res.ignored) return true;
        if (res.unignored) return false;
      }
      return false;
    };
  }

  /**
   * All patterns of the chain rewritten to be relative to `root`, outermost first, so one ignore file
   * read from `root` means the same (rg's --ignore-file, when rg starts below the root). A pattern
   * with a slash inside is anchored to its folder; one without matches at any depth below it.
   */
  rebasedPatterns(root: string): string[] {
    const out: string[] = [];
    for (const level of this.levels) {
      const prefix = path.relative(root, level.dir).split(path.sep).join('/');
      for (const raw of level.patterns) out.push(prefix === '' ? raw : rebasePattern(raw, prefix));
    }
    return out;
  }

  get size(): number {
    return this.levels.length;
  }
}

export function rebasePattern(raw: string, prefix: string): string {
  const negated = raw.startsWith('!');
  let body = negated ? raw.slice(1) : raw;
  const dirOnly = body.endsWith('/');
  if (dirOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const rebased = anchored ? `${prefix}/${body}` : `${prefix}/**/${body}`;
  return `${negated ? '!' : ''}${rebased}${dirOnly ? '/' : ''}`;
}

async function hasGitEntry(dir: string): Promise<boolean> {
  try {
    await stat(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}

async function loadGitignore(dir: string): Promise<IgnoreLevel | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) return undefined;
  return { dir, rules: ignore().add(lines), patterns: lines };
}
