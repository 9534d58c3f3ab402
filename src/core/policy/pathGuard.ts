import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_DIR_NAME, gitDirMarkersOf, isGitInternalPath, isSecretFileName, looksLikeGitDir, protectedReason } from './protectedPaths';

/**
 * The one gate every workspace path goes through before a tool reads or writes it.
 *
 * Invariants callers rely on:
 * - `verdict.resolved` is the path to do I/O on; the raw input is never used after the check (it may
 *   contain `..` through a symlink, which the OS and `path.resolve` interpret differently).
 * - `deny` means outside the workspace or invalid input; `ask` means inside but protected (a write
 *   that needs a human); `allow` means go ahead.
 * - The check is a point-in-time answer. A writer should call `check` again right before it writes,
 *   so a symlink swapped in after the proposal was made is still caught.
 *
 * Decisions:
 * - What is protected is one list, shared with the command policy, the sandbox and the audit
 *   (protectedPaths.ts); writing there asks. So does a write that would make a folder look like a git
 *   directory (HEAD, objects/, refs/, config side by side): git would run that folder's config.
 * - Reading a protected file is allowed (the model may need to see .vscode/settings.json or
 *   AGENTS.md), except inside `.git`: nothing a tool does needs git internals, and .git/config can
 *   hold credentials in remote URLs. Git information comes through git commands instead.
 * - Reading a file that holds credentials (.env, .netrc, a private key) asks first.
 * - A regular file with more than one hard link may be refused for writing only: its other links
 *   cannot be found cheaply and may lie outside the workspace, and a write would change them too.
 *   Reads stay allowed: package managers (pnpm) hard-link whole dependency trees, and reading through
 *   a hard link needs someone to have planted it, which the agent's own tools cannot do.
 */
export type PathAccess = 'read' | 'write';

export interface PathVerdict {
  verdict: 'allow' | 'ask' | 'deny';
  /** Absolute; realpath'd where the path (or its deepest existing ancestor) exists. '' when the input was invalid. */
  resolved: string;
  /** Posix, relative to the real workspace root ('.' for the root itself). '' when the input was invalid. */
  relative: string;
  reason: string;
}

export interface PathGuardOptions {
  /** The product's own configuration folder, protected like `.vscode`. */
  configDirName?: string;
}

export { DEFAULT_CONFIG_DIR_NAME };

const MAX_LINK_HOPS = 40;

class Denied extends Error {}

/** Containment by path segments: `/work/rootX` is not inside `/work/root`. */
function relativeInside(root: string, candidate: string): string | undefined {
  const rel = path.relative(root, candidate);
  if (rel === '') return '';
  if (path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0];
  return first === '..' ? undefined : rel;
}

function toPosix(rel: string): string {
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export class PathGuard {
  readonly root: string;
  readonly configDirName: string;
  private realRootPromise: Promise<string> | undefined;

  constructor(root: string, options: PathGuardOptions = {}) {
    this.root = path.resolve(root);
    const dirName = options.configDirName ?? DEFAULT_CONFIG_DIR_NAME;
    if (dirName === '' || /[\\/]/.test(dirName) || dirName === '.' || dirName === '..') {
      throw new Error(`configDirName must be a single folder name, got "${dirName}"`);
    }
    this.configDirName = dirName;
  }

  /** The workspace root with symlinks resolved; computed once. */
  realRoot(): Promise<string> {
    this.realRootPromise ??= realpath(this.root);
    return this.realRootPromise;
  }

  async check(input: string, access: PathAccess): Promise<PathVerdict> {
    const invalid = validateInput(input);
    if (invalid) return deny(invalid);

    let realRoot: string;
    try {
      realRoot = await this.realRoot();
    } catch {
      this.realRootPromise = undefined;
      return deny(`the workspace root ${this.root} does not exist or cannot be read`);
    }

    // Lexical containment first: `..` that climbs out is refused before touching the file system.
    // An absolute path may name the root either as given or as its realpath.
    const lexical = path.isAbsolute(input) ? path.resolve(input) : path.resolve(this.root, input);
    const lexicalRel = relativeInside(this.root, lexical) ?? relativeInside(realRoot, lexical);
    if (lexicalRel === undefined) {
      return deny(`${JSON.stringify(input)} is outside the workspace ${this.root}`, lexical);
    }

    let resolved: string;
    try {
      resolved = await resolveReal(lexical, 0);
    } catch (e) {
      const why = e instanceof Denied ? e.message : `it cannot be resolved (${errorCode(e) ?? String(e)})`;
      return deny(`${JSON.stringify(input)} is refused: ${why}`, lexical);
    }

    const realRel = relativeInside(realRoot, resolved);
    if (realRel === undefined) {
      return deny(`${JSON.stringify(input)} leads outside the workspace through a symbolic link (to ${resolved})`, resolved);
    }
    const relative = toPosix(realRel);
    const requestedRel = toPosix(lexicalRel);

    // Both spellings are checked: a link named `notes` pointing at `.git/config` is as protected as the target.
    if (isGitInternalPath(relative) || isGitInternalPath(requestedRel)) {
      if (access === 'read') {
        return { verdict: 'deny', resolved, relative, reason: `${relative} is inside .git; tools do not read git internals (they can hold credentials), use git commands instead` };
      }
    }
    if (access === 'read' && (isSecretFileName(path.basename(relative)) || isSecretFileName(path.basename(requestedRel)))) {
      return { verdict: 'ask', resolved, relative, reason: `${relative} looks like a file of credentials (.env, .netrc, a private key); reading it needs a person` };
    }

    if (access === 'write') {
      const links = await hardLinkCount(resolved);
      if (links > 1) {
        return {
          verdict: 'deny',
          resolved,
          relative,
          reason: `${relative} has ${links} hard links; another link may be outside the workspace and writing would change it too, so the write is refused (copy the file to break the link first)`,
        };
      }
      const why = protectedReason(relative, this.configDirName) ?? protectedReason(requestedRel, this.configDirName);
      if (why) return { verdict: 'ask', resolved, relative, reason: `${relative} is protected (${why}); writing it needs a person` };
      const shape = await gitDirShapeReason(realRoot, relative);
      if (shape) return { verdict: 'ask', resolved, relative, reason: shape };
      return { verdict: 'allow', resolved, relative, reason: `${relative} is inside the workspace` };
    }
    return { verdict: 'allow', resolved, relative, reason: `${relative} is inside the workspace` };
  }
}

/**
 * Why writing `relative` would make its folder a git directory in the making (it adds HEAD, config,
 * objects/ or refs/ next to another of them), or undefined.
 */
async function gitDirShapeReason(realRoot: string, relative: string): Promise<string | undefined> {
  for (const marker of gitDirMarkersOf(relative)) {
    const entries = await readdir(path.join(realRoot, marker.dir), { withFileTypes: true }).catch(() => []);
    const kinds = [...entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })), { name: marker.marker, isDir: marker.isDir }];
    if (!looksLikeGitDir(kinds)) continue;
    const where = marker.dir === '.' ? 'the workspace root' : marker.dir;
    return `writing ${relative} would make ${where} look like a git directory (HEAD, config, objects/ and refs/ side by side), and git runs the configuration it finds there; it needs a person`;
  }
  return undefined;
}

function deny(reason: string, resolved = ''): PathVerdict {
  return { verdict: 'deny', resolved, relative: '', reason };
}

const WINDOWS_DRIVE = /^[a-zA-Z]:([\\/]|$)/;
const URI_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** Returns why the raw input is refused before any resolution, or undefined when it is well-formed. */
function validateInput(input: string): string | undefined {
  if (typeof input !== 'string' || input === '') return 'the path is empty';
  if (input.includes('\0')) return 'the path contains a NUL byte';
  if (input.startsWith('~')) return `${JSON.stringify(input)} starts with "~"; home-directory paths are not expanded, use a path relative to the workspace root (write "./${input}" if the name really starts with ~)`;
  if (WINDOWS_DRIVE.test(input)) {
    return process.platform === 'win32' ? undefined : `${JSON.stringify(input)} is a Windows drive path; use a path relative to the workspace root`;
  }
  if (URI_SCHEME.test(input)) {
    return `${JSON.stringify(input)} looks like a URI; give a file path relative to the workspace root (write "./${input}" if the name really has a colon)`;
  }
  return undefined;
}

/**
 * Resolves every symlink on the way, including a dangling one (whose target does not exist yet and
 * which a write would follow), by realpath'ing the deepest existing ancestor and re-resolving link
 * targets by hand. Throws Denied for loops and long chains.
 */
async function resolveReal(abs: string, hops: number): Promise<string> {
  if (hops > MAX_LINK_HOPS) throw new Denied('too many symbolic links (a loop?)');
  try {
    return await realpath(abs);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ELOOP') throw new Denied('it is part of a symbolic link loop');
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  const realParent = await resolveReal(parent, hops);
  const base = path.basename(abs);
  const here = path.join(realParent, base);
  let isLink = false;
  try {
    isLink = (await lstat(here)).isSymbolicLink();
  } catch (e) {
    const code = errorCode(e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  if (!isLink) return here;
  // A dangling link: follow its target as a write would, then resolve that. The target is joined by
  // hand, not normalised, so realpath resolves any `link/..` in it physically, as the OS would.
  const target = await readlink(here);
  const next = path.isAbsolute(target) ? target : `${realParent}${path.sep}${target}`;
  return resolveReal(next, hops + 1);
}

async function hardLinkCount(resolved: string): Promise<number> {
  try {
    const s = await stat(resolved);
    return s.isFile() ? s.nlink : 1;
  } catch {
    return 1;
  }
}
