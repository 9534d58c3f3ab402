import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HARDENED_CONFIG } from '../adapters/git/gitCli';
import { TeamError } from '../adapters/team/teamDatabase';

/**
 * A team run's repository: a local path or a URL (https, http, file), checked out per run into the
 * worker's temporary directory at the commit the ref named when the run was submitted. Git runs with
 * the same hardened configuration as every host git call (no hooks, helpers, filters or external
 * programs from the repository); only the clone transports are allowed.
 */
const CHECKOUT_CONFIG = [...HARDENED_CONFIG.filter((c) => !c.startsWith('protocol.allow')), 'protocol.allow=never', 'protocol.file.allow=always', 'protocol.https.allow=always', 'protocol.http.allow=always'];

function git(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [...CHECKOUT_CONFIG.flatMap((c) => ['-c', c]), ...args];
  return new Promise((resolve) => {
    execFile('git', argv, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const firstLine = (s: string) => s.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).find(Boolean) ?? 'git failed';

/**
 * The repository as a run definition stores it: an absolute path for a local folder, the URL
 * otherwise. A URL with credentials in it is refused: run definitions never carry secrets (a worker
 * reaches a private repository with its own git credentials).
 */
export async function normalizeRepo(repo: string, cwd: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) {
    const u = new URL(repo);
    if (u.username || u.password) throw new TeamError('the repository URL carries credentials: give it without them (workers use their own git credentials); run definitions never hold secrets');
    if (!['https:', 'http:', 'file:'].includes(u.protocol)) throw new TeamError(`the repository URL must be https://, http:// or file://, got ${u.protocol}//`);
    return repo;
  }
  if (/^[\w.-]+@[\w.-]+:/.test(repo)) throw new TeamError('ssh repository addresses (user@host:path) are not supported: give an https:// URL or a local path');
  const abs = path.resolve(cwd, repo);
  const s = await stat(abs).catch(() => undefined);
  if (!s?.isDirectory()) throw new TeamError(`the repository ${abs} does not exist (give a local path or an https:// URL)`);
  return abs;
}

/** The commit a ref names in the repository now (default: its HEAD); a clear error when it cannot be read or has no such ref. */
export async function resolveCommit(repo: string, ref: string | undefined): Promise<string> {
  if (ref !== undefined && ref.startsWith('-')) throw new TeamError(`"${ref}" is not a branch, tag or commit`);
  const r = await git(['ls-remote', '--', repo, ...(ref ? [ref, `${ref}^{}`] : ['HEAD'])]);
  if (r.code !== 0) throw new TeamError(`cannot read the repository ${repo}: ${firstLine(r.stderr)}`);
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]);
  // A peeled tag (ref^{}) names the commit; otherwise the exact ref, a branch, or a tag.
  const pick = lines.find(([, name]) => name.endsWith('^{}')) ?? lines.find(([, name]) => name === ref) ?? lines.find(([, name]) => name === `refs/heads/${ref}`) ?? lines.find(([, name]) => name === `refs/tags/${ref}`) ?? lines[0];
  if (pick) return pick[0];
  if (ref && /^[0-9a-f]{7,40}$/i.test(ref)) return ref.toLowerCase();
  throw new TeamError(ref ? `the ref "${ref}" does not exist in ${repo}` : `the repository ${repo} has no commits`);
}

/** Clones into `dir` and checks out `commit` detached; a missing commit is a clear error. */
export async function checkout(repo: string, commit: string, dir: string): Promise<void> {
  const c = await git(['clone', '--quiet', '--no-checkout', '--', repo, dir]);
  if (c.code !== 0) throw new TeamError(`cannot clone ${repo}: ${firstLine(c.stderr)}`);
  const co = await git(['checkout', '--quiet', '--detach', commit], dir);
  if (co.code !== 0) throw new TeamError(`the commit ${commit} does not exist in ${repo}: ${firstLine(co.stderr)}`);
}

/**
 * The working tree's changes against `commit`, untracked files included, as one binary-safe patch
 * (a scratch index, so the checkout's own index is untouched).
 */
export async function workspacePatch(dir: string, commit: string, scratchIndex: string): Promise<string> {
  const env = { GIT_INDEX_FILE: scratchIndex };
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('git', [...CHECKOUT_CONFIG.flatMap((c) => ['-c', c]), ...args], { cwd: dir, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args[0]}: ${firstLine(String(stderr))}`)) : resolve(String(stdout)),
      );
    });
  await run(['read-tree', commit]);
  await run(['add', '-A', '--', '.']);
  return run(['diff', '--cached', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', commit, '--']);
}

/** Puts the working tree back to `commit` plus `patch` (a recovered run's workspace, rebuilt on another worker). */
export async function restoreWorkspace(dir: string, commit: string, patch: string): Promise<void> {
  const reset = await git(['reset', '--quiet', '--hard', commit], dir);
  if (reset.code !== 0) throw new Error(`cannot reset the workspace: ${firstLine(reset.stderr)}`);
  const clean = await git(['clean', '-q', '-f', '-d', '-x'], dir);
  if (clean.code !== 0) throw new Error(`cannot clean the workspace: ${firstLine(clean.stderr)}`);
  if (!patch) return;
  await new Promise<void>((resolve, reject) => {
    const child = execFile('git', [...CHECKOUT_CONFIG.flatMap((c) => ['-c', c]), 'apply', '--binary', '--whitespace=nowarn', '-'], { cwd: dir }, (err, _o, stderr) =>
      err ? reject(new Error(`cannot restore the workspace: ${firstLine(String(stderr))}`)) : resolve(),
    );
    child.stdin?.end(patch);
  });
}
