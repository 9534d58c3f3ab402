/**
 * The one list of what in a workspace must not change without a person, because something acts on it
 * by itself: git (its directory, hooks, attributes), editors (tasks, settings, workspaces), dev
 * containers, package managers (.npmrc, .pnpmfile.cjs), shells (.envrc), and agents (their settings,
 * instructions and skills, this product's own configuration folder included).
 *
 * It is data, read by every enforcement point alike: the path guard (the agent's file tools), the
 * command policy (redirections and the output operands of programs), the sandbox (read-only mounts and
 * placeholders) and the audit after every command. Adding a name here protects it everywhere.
 *
 * Matching is by path segment and ignores case, and a segment is compared with what Windows ignores
 * when it opens a file dropped (trailing dots and spaces, an NTFS stream suffix): case-insensitive file
 * systems open `.VSCode/settings.json` as `.vscode/settings.json`. On POSIX this can only make more
 * names protected, which errs on the side of asking.
 */

/** Folders whose whole content is protected, wherever they appear. The product's own folder is added by the caller. */
export const PROTECTED_DIR_NAMES: readonly string[] = ['.git', '.vscode', '.devcontainer', '.claude', '.cursor', '.husky'];

/** Skills folders of other agents (their SKILL.md files can grant tools); `.claude/skills` is inside `.claude`. */
export const PROTECTED_DIR_PATHS: readonly (readonly string[])[] = [
  ['.agents', 'skills'],
  ['.github', 'skills'],
];

/** File names protected wherever they appear: tools, package managers, shells and agents read them and act on them. */
export const PROTECTED_FILE_NAMES: readonly string[] = [
  '.git', // a `gitdir:` link makes the folder a work tree of another repository
  '.gitmodules',
  '.gitattributes', // selects filter and diff drivers that run programs
  '.mcp.json',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  '.devcontainer.json',
  '.envrc',
  // Instructions other agents (and this one) follow without asking.
  'agents.md',
  'claude.md',
  'gemini.md',
  '.cursorrules',
  '.clinerules',
  '.windsurfrules',
  'copilot-instructions.md',
];

export const PROTECTED_FILE_SUFFIXES: readonly string[] = ['.code-workspace'];

/**
 * Folders that are created, as empty read-only placeholders, in a container sandbox when they do not
 * exist, so a command cannot create them (a `.git` planted at the root is what host git would run).
 */
export const PLACEHOLDER_DIR_NAMES: readonly string[] = ['.git', '.vscode', '.devcontainer', '.claude', '.cursor'];

/**
 * What makes a folder a git directory. Git takes a folder as a repository when it holds HEAD, objects/
 * and refs/ (plus config, which is where core.fsmonitor and hooks live), so any two of them side by
 * side are treated as a git directory in the making.
 */
export const GIT_DIR_FILE_MARKERS: readonly string[] = ['head', 'config', 'packed-refs', 'commondir', 'gitdir'];
export const GIT_DIR_DIR_MARKERS: readonly string[] = ['objects', 'refs', 'hooks', 'info', 'worktrees'];
/** The markers that count towards the shape (the others only matter once it exists). */
const SHAPE_MARKERS = new Set(['head', 'config', 'objects', 'refs']);

export const DEFAULT_CONFIG_DIR_NAME = '.agent-harness';

/** Lower-cases a segment and drops what Windows ignores when it opens a file (see the file comment). */
export function canonicalSegment(segment: string): string {
  const colon = segment.indexOf(':');
  const base = colon >= 0 ? segment.slice(0, colon) : segment;
  return base.toLowerCase().replace(/[. ]+$/, '');
}

export function pathSegments(relativePosixPath: string): string[] {
  return relativePosixPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').map(canonicalSegment);
}

/**
 * Why writing this workspace-relative path needs a person, whether or not it exists yet, or undefined.
 * This is the static part (names); git-directory shapes depend on what is next to the path and are
 * checked by gitDirShapeReason.
 */
export function protectedReason(relativePosixPath: string, configDirName: string = DEFAULT_CONFIG_DIR_NAME): string | undefined {
  const segments = pathSegments(relativePosixPath);
  if (segments.length === 0) return undefined;
  const dirs = [...PROTECTED_DIR_NAMES, canonicalSegment(configDirName)];
  const dir = segments.slice(0, -1).find((s) => dirs.includes(s)) ?? (dirs.includes(segments[segments.length - 1]!) ? segments[segments.length - 1] : undefined);
  if (dir !== undefined) return `it is inside ${dir}, which configures ${describeDir(dir, configDirName)}`;
  for (const p of PROTECTED_DIR_PATHS) {
    for (let i = 0; i + p.length <= segments.length; i++) {
      if (p.every((s, j) => segments[i + j] === s)) return `it is inside ${p.join('/')}, a skills folder (skills can grant the agent tools and commands)`;
    }
  }
  const name = segments[segments.length - 1]!;
  if (PROTECTED_FILE_NAMES.includes(name)) return `${name} is read and acted on by git, an editor, a package manager, a shell or an agent`;
  const suffix = PROTECTED_FILE_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `${suffix} files configure the editor`;
  return undefined;
}

export function isProtectedPath(relativePosixPath: string, configDirName: string = DEFAULT_CONFIG_DIR_NAME): boolean {
  return protectedReason(relativePosixPath, configDirName) !== undefined;
}

function describeDir(dir: string, configDirName: string): string {
  if (dir === '.git') return 'git (hooks and config run programs)';
  if (dir === '.vscode') return 'the editor (tasks, launch and settings can run programs)';
  if (dir === '.devcontainer') return 'the dev container';
  if (dir === '.husky') return 'git hooks';
  if (dir === canonicalSegment(configDirName)) return 'this agent (profiles, MCP servers, skills)';
  return 'another agent (settings, hooks, skills)';
}

/** True when the path is inside a `.git` folder (or is a `.git` file or folder) at any depth. */
export function isGitInternalPath(relativePosixPath: string): boolean {
  return pathSegments(relativePosixPath).includes('.git');
}

/**
 * The git-directory markers this path is or lies under (`HEAD`, `config`, `objects/…`, `refs/…`), each
 * with the folder that holds it and whether git expects it to be a folder. Whether writing it is
 * protected depends on what else that folder holds (looksLikeGitDir); the path guard and the audit look.
 */
export function gitDirMarkersOf(relativePosixPath: string): { dir: string; marker: string; isDir: boolean }[] {
  const raw = relativePosixPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const segments = raw.map(canonicalSegment);
  const out: { dir: string; marker: string; isDir: boolean }[] = [];
  segments.forEach((s, i) => {
    const isLast = i === segments.length - 1;
    if (isLast && GIT_DIR_FILE_MARKERS.includes(s)) out.push({ dir: raw.slice(0, i).join('/') || '.', marker: s, isDir: false });
    else if (!isLast && GIT_DIR_DIR_MARKERS.includes(s)) out.push({ dir: raw.slice(0, i).join('/') || '.', marker: s, isDir: true });
  });
  return out;
}

/** One entry of a folder, as the shape check sees it. */
export interface DirEntryKind {
  name: string;
  isDir: boolean;
}

/**
 * True when these entries of one folder make it a git directory, or nearly one: any two of the HEAD
 * and config files and the objects/ and refs/ folders (a folder named config, as in Rails, is not git's).
 */
export function looksLikeGitDir(entries: Iterable<DirEntryKind>): boolean {
  const found = new Set<string>();
  for (const e of entries) {
    const n = canonicalSegment(e.name);
    if (!SHAPE_MARKERS.has(n)) continue;
    if (GIT_DIR_DIR_MARKERS.includes(n) === e.isDir) found.add(n);
  }
  return found.size >= 2;
}

/**
 * Files whose content is a credential: reading them asks first, and searches skip them. Examples and
 * templates of .env files are ordinary files.
 */
const SECRET_FILE_NAMES = new Set(['.netrc', '_netrc', '.pgpass', '.pypirc', '.git-credentials', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', '.htpasswd']);
const ENV_TEMPLATE_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.defaults', '.schema'];

export function isSecretFileName(name: string): boolean {
  const n = canonicalSegment(name);
  if (SECRET_FILE_NAMES.has(n)) return true;
  if (n === '.env' || n.startsWith('.env.')) return !ENV_TEMPLATE_SUFFIXES.some((s) => n.endsWith(s));
  if (n.startsWith('.') && n.endsWith('.env')) return true; // .local.env, .production.env
  return n.endsWith('.pem') || n.endsWith('.p12') || n.endsWith('.pfx');
}

/**
 * The glob patterns (for ripgrep and the JS searcher alike) that keep secret files out of searches.
 * Coarser than isSecretFileName (a `.env.example` is skipped too), because ripgrep cannot exclude a
 * glob and re-include a narrower one without turning the search into an allowlist.
 */
export const SECRET_FILE_GLOBS: readonly string[] = ['.env', '.env.*', '*.pem', '*.p12', '*.pfx', '.netrc', '.pgpass', '.pypirc', '.git-credentials', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'];

/** True when a file name matches SECRET_FILE_GLOBS (the same test the JS searcher applies as ripgrep's globs). */
export function isSearchExcluded(name: string): boolean {
  return SECRET_FILE_GLOBS.some((g) => (g.startsWith('*.') ? name.endsWith(g.slice(1)) : g.endsWith('.*') ? name.startsWith(g.slice(0, -1)) : name === g));
}
