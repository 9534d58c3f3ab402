import { execFile } from 'node:child_process';
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { DST_PREFIX, parseGitDiff, SRC_PREFIX } from '../../core/codeReview/parseDiff';
import { GitError, type DiffSelection, type FileDiff, type GitPort, type ReviewDiff } from '../../core/codeReview/gitPort';

export interface GitCliOptions {
  /** The workspace folder; it may be a sub-folder of the repository, and the diff is limited to it. */
  cwd: string;
  /** The git executable (default `git` on PATH). */
  git?: string;
  /** Untracked files past this many are listed in the notes instead of being diffed (default 500). */
  maxUntracked?: number;
}

export const DEFAULT_MAX_UNTRACKED = 500;
/** An untracked file larger than this is listed without being read: it is far past any review budget anyway. */
export const MAX_UNTRACKED_BYTES = 1024 * 1024;
/** A diff larger than this is refused rather than held in memory; splitting by token budget happens later. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const UNTRACKED_CONCURRENCY = 8;

/**
 * Flags every diff gets, so the user's git configuration cannot change what the parser sees: fixed
 * prefixes, no colour, no external diff driver or textconv filter (which could also run programs),
 * rename detection on, and paths relative to (and limited to) the workspace folder.
 */
const DIFF_FLAGS = [`--src-prefix=${SRC_PREFIX}`, `--dst-prefix=${DST_PREFIX}`, '--no-color', '--no-ext-diff', '--no-textconv', '-M'];

/**
 * Configuration every git call on the host gets, ahead of the repository's own: the repository is
 * workspace content, and an agent (or a cloned repository) may have written its config. Each of these
 * keys is one way a repository makes git run a program or reach out: a filesystem monitor, hooks, ssh,
 * an external diff, pagers and editors, credential helpers, transports, implicit bare repositories
 * (a workspace folder shaped like a git directory). Filter drivers are switched off by name (they have
 * no global switch), see filterOverrides. `-c` on the command line wins over every config file and
 * counts as protected configuration (safe.bareRepository is honoured only there).
 */
export const HARDENED_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'core.hooksPath=/dev/null',
  'core.sshCommand=false',
  'core.askPass=',
  'core.pager=cat',
  'core.editor=false',
  'core.alternateRefsCommand=',
  'sequence.editor=false',
  'credential.helper=',
  'diff.external=',
  'diff.noprefix=false',
  'log.showSignature=false',
  'gpg.program=false',
  'protocol.allow=never',
  'safe.bareRepository=explicit',
  'submodule.recurse=false',
];

/** Environment variables that would point git at programs; removed from every host git call. */
const UNSAFE_ENV = ['GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'PAGER', 'GIT_EDITOR', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND', 'GIT_EXEC_PATH', 'GIT_DIR', 'GIT_WORK_TREE'];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The git port over the git CLI: always `execFile` with an argument vector, never a shell. */
export class GitCli implements GitPort {
  private readonly git: string;
  private readonly maxUntracked: number;

  constructor(private readonly opts: GitCliOptions) {
    this.git = opts.git ?? 'git';
    this.maxUntracked = opts.maxUntracked ?? DEFAULT_MAX_UNTRACKED;
  }

  async diff(selection: DiffSelection): Promise<ReviewDiff> {
    await this.ensureRepository();
    const head = await this.revision('HEAD');
    const notes: string[] = [];
    let base: string;
    let description: string;
    let args: string[];
    if (selection.kind === 'branch') {
      if (selection.base.startsWith('-')) throw new GitError('unknown_ref', `the base ref "${selection.base}" is not a branch, tag or commit`);
      const baseRev = await this.revision(selection.base);
      if (!baseRev) throw new GitError('unknown_ref', `unknown base ref "${selection.base}": no branch, tag or commit has that name in this repository`);
      if (!head) throw new GitError('unknown_ref', 'the repository has no commits yet, so there is no branch to compare with a base ref');
      const mb = await this.run(['merge-base', head, baseRev]);
      if (mb.code !== 0) {
        // CI checkouts are often shallow, which hides the merge-base; say how to fix that rather than just "no history".
        const shallow = (await this.run(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
        const hint = shallow ? '; this is a shallow clone, so fetch more history first (git fetch --unshallow, or a checkout with full depth)' : '';
        throw new GitError('unknown_ref', `the current branch and "${selection.base}" have no common history (no merge-base)${hint}`);
      }
      base = mb.stdout.trim();
      description = `the working tree against ${selection.base} (merge-base ${short(base)})`;
      args = ['diff', ...DIFF_FLAGS, '--relative', base, '--'];
    } else {
      base = head ?? (await this.emptyTree());
      const against = head ? `HEAD (${short(head)})` : 'an empty repository (no commits yet)';
      description = selection.kind === 'staged' ? `staged changes against ${against}` : `uncommitted changes against ${against}`;
      args = selection.kind === 'staged' ? ['diff', ...DIFF_FLAGS, '--relative', '--cached', base, '--'] : ['diff', ...DIFF_FLAGS, '--relative', base, '--'];
    }
    const tracked = await this.run(args);
    if (tracked.code !== 0) throw this.failure(args, tracked);
    const files = parseGitDiff(tracked.stdout);
    if (selection.kind !== 'staged') files.push(...(await this.untrackedFiles(notes)));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { selection, description, ...(head || selection.kind === 'branch' ? { baseCommit: base } : {}), files, notes };
  }

  private async ensureRepository(): Promise<void> {
    try {
      if (!(await stat(this.opts.cwd)).isDirectory()) throw new GitError('not_a_repository', `${this.opts.cwd} is not a folder`);
    } catch (e) {
      if (e instanceof GitError) throw e;
      throw new GitError('not_a_repository', `${this.opts.cwd} does not exist`);
    }
    const r = await this.run(['rev-parse', '--is-inside-work-tree']);
    if (r.code !== 0 || r.stdout.trim() !== 'true') {
      throw new GitError('not_a_repository', `${this.opts.cwd} is not inside a git repository (git: ${firstLine(r.stderr) || 'not a work tree'})`);
    }
  }

  /** The commit a ref names, or undefined when it names none. `--end-of-options` keeps a ref from being read as a flag. */
  private async revision(ref: string): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** In a repository without commits everything is compared with the empty tree (its id depends on the hash algorithm). */
  private async emptyTree(): Promise<string> {
    const r = await this.run(['hash-object', '-t', 'tree', '/dev/null']);
    if (r.code !== 0) throw this.failure(['hash-object'], r);
    return r.stdout.trim();
  }

  private async untrackedFiles(notes: string[]): Promise<FileDiff[]> {
    const listed = await this.run(['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
    if (listed.code !== 0) throw this.failure(['ls-files'], listed);
    const paths = listed.stdout.split('\0').filter((p) => p !== '');
    if (paths.length > this.maxUntracked) {
      const left = paths.slice(this.maxUntracked);
      notes.push(`${left.length} untracked file(s) were left out (more than ${this.maxUntracked}): ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}`);
    }
    const chosen = paths.slice(0, this.maxUntracked);
    const out: FileDiff[] = [];
    for (let i = 0; i < chosen.length; i += UNTRACKED_CONCURRENCY) {
      const batch = await Promise.all(chosen.slice(i, i + UNTRACKED_CONCURRENCY).map((p) => this.untrackedFile(p)));
      out.push(...batch);
    }
    return out;
  }

  private async untrackedFile(rel: string): Promise<FileDiff> {
    const size = await lstat(path.join(this.opts.cwd, rel)).then((s) => (s.isFile() ? s.size : 0), () => 0);
    if (size > MAX_UNTRACKED_BYTES) {
      return { path: rel, status: 'added', binary: false, untracked: true, hunks: [], omitted: `untracked file of ${size} bytes, over the ${MAX_UNTRACKED_BYTES}-byte limit for untracked files` };
    }
    const args = ['diff', ...DIFF_FLAGS, '--no-index', '--', '/dev/null', rel];
    const r = await this.run(args);
    // With --no-index, exit code 1 means "the files differ", which is the point.
    if (r.code !== 0 && r.code !== 1) throw this.failure(args, r);
    const parsed = parseGitDiff(r.stdout, { untracked: true });
    // An empty new file has no hunks and, depending on the git version, no diff at all.
    return parsed[0] ? { ...parsed[0], path: rel, status: 'added' } : { path: rel, status: 'added', binary: false, untracked: true, hunks: [] };
  }

  private failure(args: string[], r: Ran): GitError {
    return new GitError('git_failed', `git ${args[0] ?? ''} failed (exit ${r.code}): ${firstLine(r.stderr) || 'no message'}`);
  }

  private filters: Promise<string[]> | undefined;

  /**
   * `-c filter.<name>.clean=` (and smudge, process) for every filter driver any config defines: an
   * empty command means no filter, and diffing a work-tree file would otherwise run the clean filter.
   * Reading config runs nothing.
   */
  private filterOverrides(): Promise<string[]> {
    this.filters ??= this.exec([...hardened(), 'config', '--null', '--name-only', '--get-regexp', '^filter\\.']).then((r) => {
      const names = new Set(r.stdout.split('\0').map((k) => /^filter\.(.+)\.[^.]+$/.exec(k)?.[1]).filter((n): n is string => n !== undefined));
      return [...names].flatMap((n) => ['-c', `filter.${n}.clean=`, '-c', `filter.${n}.smudge=`, '-c', `filter.${n}.process=`, '-c', `filter.${n}.required=false`]);
    });
    return this.filters;
  }

  private async run(args: string[]): Promise<Ran> {
    return this.exec([...hardened(), ...(await this.filterOverrides()), ...args]);
  }

  private exec(args: string[]): Promise<Ran> {
    // GIT_OPTIONAL_LOCKS=0: a review only reads, so it must not take the index lock a concurrent git command needs.
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    for (const k of UNSAFE_ENV) delete env[k];
    return new Promise((resolve, reject) => {
      execFile(this.git, args, { cwd: this.opts.cwd, env, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (e.code === 'ENOENT') return reject(new GitError('git_missing', `git is not installed or not on PATH (tried "${this.git}")`));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new GitError('git_failed', `the diff is larger than ${MAX_OUTPUT_BYTES / (1024 * 1024)} MiB`));
        resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr });
      });
    });
  }
}

function hardened(): string[] {
  return HARDENED_CONFIG.flatMap((kv) => ['-c', kv]);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
