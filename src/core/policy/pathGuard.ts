import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

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
 * - Reading a protected file is allowed (the model may need to see .vscode/settings.json or
 *   AGENTS.md), except inside `.git`: nothing a tool does needs git internals, and .git/config can
 *   hold credentials in remote URLs. Git information comes through git commands instead.
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

export const DEFAULT_CONFIG_DIR_NAME = '.agent-harness';

/** Folders whose whole content is protected, at any depth: they hold settings, hooks or tasks that run code on their own. */
const PROTECTED_DIRS = ['.vscode', '.devcontainer', '.git'];
/** File names that are protected at any depth: tools, package managers and agents read them and act on them. */
const PROTECTED_FILES = ['.gitmodules', '.mcp.json', '.npmrc', 'agents.md'];
const MAX_LINK_HOPS = 40;

/**
 * Lower-cases a segment and drops what Windows ignores when it opens a file (trailing dots and spaces,
 * an NTFS stream suffix), so `AGENTS.MD.`, `.VSCode` and `.npmrc::$DATA` are all recognised.
 * On POSIX this can only make more names protected, which errs on the side of asking.
 */
function canonicalSegment(segment: string): string {
  const colon = segment.indexOf(':');
  const base = colon >= 0 ? segment.slice(0, colon) : segment;
  return base.toLowerCase().replace(/[. ]+$/, '');
}

/**
 * True when writing this workspace-relative posix path needs a human, whether or not it exists yet.
 * Matching is by path segment and ignores case, because case-insensitive file systems (macOS, Windows)
 * open `.VSCode/settings.json` as `.vscode/settings.json`.
 */
export function isProtectedPath(relativePosixPath: string, configDirName: string = DEFAULT_CONFIG_DIR_NAME): boolean {
  const segments = relativePosixPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').map(canonicalSegment);
  if (segments.length === 0) return false;
  const dirs = [...PROTECTED_DIRS, canonicalSegment(configDirName)];
  if (segments.some((s) => dirs.includes(s))) return true;
  const name = segments[segments.length - 1] ?? '';
  return PROTECTED_FILES.includes(name) || name.endsWith('.code-workspace');
}

/** True when the path is inside a `.git` folder (or is a `.git` file or folder) at any depth. */
export function isGitInternalPath(relativePosixPath: string): boolean {
  return relativePosixPath.split(/[\\/]+/).some((s) => canonicalSegment(s) === '.git');
}

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
      if (isProtectedPath(relative, this.configDirName) || isProtectedPath(requestedRel, this.configDirName)) {
        return { verdict: 'ask', resolved, relative, reason: `${relative} is protected (it configures the editor, git or the agent, or runs code on its own); writing it needs a human` };
      }
      return { verdict: 'allow', resolved, relative, reason: `${relative} is inside the workspace` };
    }
    return { verdict: 'allow', resolved, relative, reason: `${relative} is inside the workspace` };
  }
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
