import { randomUUID } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IgnoreChain, SKIPPED_DIR_NAMES } from '../../core/tools/search/ignoreRules';
import type { FileListRequest } from '../../core/tools/search/fileLister';
import { clipMatchText, MAX_MATCH_TEXT, type TextMatch, type TextSearchRequest } from '../../core/tools/search/textSearcher';
import { SECRET_FILE_GLOBS } from '../../core/policy/protectedPaths';
import { globPrefilter } from './globPrefilter';

/**
 * Matching lines are printed as text, `path\0LINE:TEXT`, with long lines cut by rg itself at this many
 * bytes (more than MAX_MATCH_TEXT characters can take, so the kept text never reaches the cut). JSON
 * output cannot be bounded: rg lists every submatch of a line, so a 1 MB minified line matching
 * everywhere became 50 MB of JSON to parse.
 */
export const MAX_COLUMNS = 4 * MAX_MATCH_TEXT + 64;
const LINE_OUTPUT = ['--no-heading', '--with-filename', '--line-number', '--null', '--color', 'never', '--max-columns', String(MAX_COLUMNS), '--max-columns-preview'];

/**
 * The flags that make rg walk a tree by exactly the rules of the JS walker (ignoreRules.ts):
 * .gitignore at every level with or without a git repository, none above the workspace root
 * (--no-ignore-parent), no global/exclude/.ignore files, hidden files included, symlinks not followed
 * (rg's default), the fixed folder names skipped. When the walk starts below the root, the .gitignore
 * files between the root and the start come in as one --ignore-file, rebased to the root (rg reads
 * such a file relative to its cwd, the root, with the lowest precedence, which is right for the
 * outermost rules). A glob on the file name goes to rg as a file type: types are applied after
 * .gitignore, whereas --glob would override it. Callers still apply the glob to rg's output with the
 * JS matcher, so both implementations agree exactly.
 */
function treeFlags(scope: FileListRequest, ignoreFile: string | undefined): string[] {
  const args = ['--no-config', '--hidden', '--no-require-git', '--no-ignore-global', '--no-ignore-exclude', '--no-ignore-dot', '--no-ignore-parent'];
  if (!scope.respectGitignore) args.push('--no-ignore-vcs');
  if (ignoreFile) args.push('--ignore-file', ignoreFile);
  // `.git` is skipped whether folder or file; the other names only as folders (trailing slash), in one
  // glob: rg tests every entry against each --glob, and one alternation costs a fraction of seven.
  const folders = SKIPPED_DIR_NAMES.filter((name) => name !== '.git');
  args.push('--glob', '!.git', '--glob', `!{${folders.join(',')}}/`);
  const { nameGlob } = globPrefilter(scope.glob, startRel(scope));
  if (nameGlob) args.push('--type-add', `harnessglob:${nameGlob}`, '--type', 'harnessglob');
  return args;
}

function startArg(scope: FileListRequest): string {
  return startRel(scope) || '.';
}

/** The start folder relative to the root, posix ('' for the root). */
function startRel(scope: FileListRequest): string {
  return path.relative(scope.root, scope.start).split(path.sep).join('/');
}

/**
 * The argv for a search of the whole start folder, either as --json records (`mode: 'json'`) or as
 * counts of matching lines per file (`mode: 'count'`, `path\0count` records).
 */
export function buildTreeArgs(req: TextSearchRequest, mode: 'lines' | 'count', ignoreFile?: string): string[] {
  const output = mode === 'lines' ? LINE_OUTPUT : ['--count', '--null', '--with-filename'];
  // Files of credentials are never searched (reading one asks first; a search must not go around that).
  const args = [...output, ...treeFlags(req, ignoreFile), ...SECRET_FILE_GLOBS.map((g) => `--glob=!${g}`)];
  if (req.caseInsensitive) args.push('--ignore-case');
  args.push('--regexp', req.pattern, '--', startArg(req));
  return args;
}

/** The argv that lists the files of the start folder (`--files`), NUL-separated; `pruneFile` holds the glob's prune rules. */
export function buildFilesArgs(req: FileListRequest, ignoreFile?: string, pruneFile?: string): string[] {
  return ['--files', '--null', ...treeFlags(req, ignoreFile), ...(pruneFile ? ['--ignore-file', pruneFile] : []), '--', startArg(req)];
}

/** The glob's prune rules (globPrefilter.ts) in a temporary ignore file, or undefined when there are none. */
export async function writeGlobPruneFile(req: FileListRequest): Promise<string | undefined> {
  const { pruneRules } = globPrefilter(req.glob, startRel(req));
  if (pruneRules.length === 0) return undefined;
  const file = path.join(tmpdir(), `agent-harness-rg-${randomUUID()}.prune`);
  await writeFile(file, `${pruneRules.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/** The argv for the matching lines of a few files a count pass chose, as --json. */
export function buildLinesArgs(req: TextSearchRequest, files: readonly string[]): string[] {
  const args = [...LINE_OUTPUT, '--no-config', '--max-count', String(Math.max(1, req.maxMatches))];
  if (req.caseInsensitive) args.push('--ignore-case');
  args.push('--regexp', req.pattern, '--', ...files);
  return args;
}

/**
 * The rebased .gitignore rules between the root and a start folder below it, written to a private
 * temporary file; undefined when there are none. The caller removes the file.
 */
export async function writeAncestorIgnoreFile(req: FileListRequest): Promise<string | undefined> {
  if (!req.respectGitignore || path.relative(req.root, req.start) === '') return undefined;
  const info = await stat(req.start).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const patterns = (await IgnoreChain.forDirectory(req.start, req.root)).rebasedPatterns(req.root);
  if (patterns.length === 0) return undefined;
  const file = path.join(tmpdir(), `agent-harness-rg-${randomUUID()}.ignore`);
  await writeFile(file, `${patterns.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/** rg prints paths as given (`./src/a.ts` under `.`); this makes them posix and relative to the root. */
export function rgPathToRelative(raw: string, root: string): string {
  if (path.sep === '/' && !raw.startsWith('/')) {
    const trimmed = raw.startsWith('./') ? raw.slice(2) : raw;
    if (!trimmed.includes('/../') && !trimmed.startsWith('../')) return trimmed;
  }
  return path.relative(root, path.resolve(root, raw)).split(path.sep).join('/');
}

/**
 * Reads `path\0count\n` records from rg's `--count --null` output as it streams in. The NUL ends the
 * path, so a file name with a newline or a colon is still read correctly.
 */
export class CountParser {
  private pending = '';

  constructor(private readonly onFile: (rawPath: string, count: number) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let from = 0;
    for (;;) {
      const nul = this.pending.indexOf('\0', from);
      if (nul < 0) break;
      const nl = this.pending.indexOf('\n', nul);
      if (nl < 0) break;
      const count = Number(this.pending.slice(nul + 1, nl));
      if (Number.isFinite(count)) this.onFile(this.pending.slice(from, nul), count);
      from = nl + 1;
    }
    this.pending = this.pending.slice(from);
  }
}

/**
 * Parses one `path\0LINE:TEXT` line of rg's output into a workspace-relative match; anything else (a
 * "binary file matches" notice has no NUL) is not a match.
 */
export function parseMatchLine(line: string, root: string): TextMatch | undefined {
  const nul = line.indexOf('\0');
  if (nul < 0) return undefined;
  const rest = line.slice(nul + 1);
  const m = /^(\d+):/.exec(rest);
  if (!m) return undefined;
  return { path: rgPathToRelative(line.slice(0, nul), root), line: Number(m[1]), text: clipMatchText(rest.slice(m[0].length)) };
}
