import { randomUUID } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IgnoreChain, SKIPPED_DIR_NAMES } from '../../core/tools/search/ignoreRules';
import type { FileListRequest } from '../../core/tools/search/fileLister';
import { clipMatchText, type TextMatch, type TextSearchRequest } from '../../core/tools/search/textSearcher';

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
  // `.git` is skipped whether folder or file; the other names only as folders (trailing slash).
  for (const name of SKIPPED_DIR_NAMES) args.push('--glob', name === '.git' ? '!.git' : `!${name}/`);
  const glob = scope.glob?.trim();
  if (glob && !glob.includes('/')) args.push('--type-add', `harnessglob:${glob}`, '--type', 'harnessglob');
  return args;
}

function startArg(scope: FileListRequest): string {
  const rel = path.relative(scope.root, scope.start);
  return rel === '' ? '.' : rel;
}

/**
 * The argv for a search of the whole start folder, either as --json records (`mode: 'json'`) or as
 * counts of matching lines per file (`mode: 'count'`, `path\0count` records).
 */
export function buildTreeArgs(req: TextSearchRequest, mode: 'json' | 'count', ignoreFile?: string): string[] {
  const output = mode === 'json' ? ['--json'] : ['--count', '--null', '--with-filename'];
  const args = [...output, ...treeFlags(req, ignoreFile)];
  if (req.caseInsensitive) args.push('--ignore-case');
  args.push('--regexp', req.pattern, '--', startArg(req));
  return args;
}

/** The argv that lists the files of the start folder (`--files`), NUL-separated. */
export function buildFilesArgs(req: FileListRequest, ignoreFile?: string): string[] {
  return ['--files', '--null', ...treeFlags(req, ignoreFile), '--', startArg(req)];
}

/** The argv for the matching lines of a few files a count pass chose, as --json. */
export function buildLinesArgs(req: TextSearchRequest, files: readonly string[]): string[] {
  const args = ['--json', '--no-config', '--max-count', String(Math.max(1, req.maxMatches))];
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

interface RgText {
  text?: string;
  bytes?: string;
}

function rgText(t: RgText | undefined): string | undefined {
  if (!t) return undefined;
  if (typeof t.text === 'string') return t.text;
  if (typeof t.bytes === 'string') return Buffer.from(t.bytes, 'base64').toString('utf8');
  return undefined;
}

/** Parses one `{"type":"match",...}` record of rg's --json output into a workspace-relative match. */
export function parseMatchRecord(line: string, root: string): TextMatch | undefined {
  let record: { type?: string; data?: { path?: RgText; line_number?: number; lines?: RgText } };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return undefined;
  }
  const data = record.data;
  const file = rgText(data?.path);
  if (record.type !== 'match' || !data || file === undefined || typeof data.line_number !== 'number') return undefined;
  const text = (rgText(data.lines) ?? '').replace(/\n$/, '');
  return { path: rgPathToRelative(file, root), line: data.line_number, text: clipMatchText(text) };
}
