import { spawn } from 'node:child_process';
import path from 'node:path';
import { SKIPPED_DIR_NAMES } from '../../core/tools/search/ignoreRules';
import { JsSearcher } from '../../core/tools/search/jsSearcher';
import {
  MatchCollector,
  clipMatchText,
  createGlobFilter,
  type TextSearchRequest,
  type TextSearchResult,
  type TextSearcher,
} from '../../core/tools/search/textSearcher';

/**
 * Searches with ripgrep, run with an argv (never a shell) and its --json output parsed line by line.
 *
 * The flags make rg apply exactly the rules the JS searcher applies (ignoreRules.ts): .gitignore at
 * every level with or without a git repository, no global/exclude/.ignore files, hidden files
 * searched, symlinks not followed, the fixed folder names skipped. A glob on the file name goes to rg
 * as a file type (types are applied after .gitignore, whereas --glob would override it); every glob is
 * also applied to rg's results with the same matcher the JS searcher uses, so both agree exactly.
 *
 * When rg cannot run, or rejects a pattern that JS accepts (lookaround, backreferences), the search
 * falls back to the JS searcher rather than failing.
 */
export class RipgrepSearcher implements TextSearcher {
  readonly engine = 'ripgrep';
  private readonly fallback: TextSearcher;

  constructor(
    readonly rgPath: string,
    options: { fallback?: TextSearcher } = {},
  ) {
    this.fallback = options.fallback ?? new JsSearcher();
  }

  async search(req: TextSearchRequest): Promise<TextSearchResult> {
    const outcome = await this.runRg(req);
    if (outcome.kind === 'ok') return outcome.result;
    return this.fallback.search(req);
  }

  private runRg(req: TextSearchRequest): Promise<{ kind: 'ok'; result: TextSearchResult } | { kind: 'fallback'; why: string }> {
    const args = buildRipgrepArgs(req);
    const filter = createGlobFilter(req.glob);
    const collector = new MatchCollector(req.maxMatches);
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(req.signal.reason);
        return;
      }
      const child = spawn(this.rgPath, args, { cwd: req.root, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let pending = '';
      let stderr = '';
      let settled = false;
      const onAbort = (): void => {
        child.kill();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (value: { kind: 'ok'; result: TextSearchResult } | { kind: 'fallback'; why: string }): void => {
        if (settled) return;
        settled = true;
        req.signal?.removeEventListener('abort', onAbort);
        if (req.signal?.aborted) reject(req.signal.reason);
        else resolve(value);
      };
      const handleLine = (line: string): void => {
        // Only match records matter; checking the prefix skips parsing begin/end/context/summary records.
        if (!line.startsWith('{"type":"match"')) return;
        const match = parseMatchRecord(line, req.root);
        if (!match) return;
        if (filter && !filter(match.path)) return;
        collector.add(match);
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        let nl = pending.indexOf('\n');
        let from = 0;
        while (nl >= 0) {
          handleLine(pending.slice(from, nl));
          from = nl + 1;
          nl = pending.indexOf('\n', from);
        }
        pending = pending.slice(from);
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 8192) stderr += chunk;
      });
      child.on('error', (e) => finish({ kind: 'fallback', why: e.message }));
      child.on('close', (code) => {
        if (pending !== '') handleLine(pending);
        // 0: matches, 1: none. 2 is an error; with output it is a partial error (an unreadable file),
        // without any it is a bad pattern or a broken rg, which the JS searcher handles.
        if (code === 0 || code === 1 || (code === 2 && collector.total > 0 && !/regex|parse error/i.test(stderr))) {
          finish({ kind: 'ok', result: collector.result(this.engine) });
        } else {
          finish({ kind: 'fallback', why: stderr.trim() || `rg exited with ${String(code)}` });
        }
      });
    });
  }
}

export function buildRipgrepArgs(req: TextSearchRequest): string[] {
  const args = [
    '--json',
    '--no-config',
    '--hidden',
    '--no-require-git',
    '--no-ignore-global',
    '--no-ignore-exclude',
    '--no-ignore-dot',
  ];
  if (!req.respectGitignore) args.push('--no-ignore-vcs');
  // `.git` is skipped whether folder or file; the other names only as folders (trailing slash).
  for (const name of SKIPPED_DIR_NAMES) args.push('--glob', name === '.git' ? '!.git' : `!${name}/`);
  if (req.caseInsensitive) args.push('--ignore-case');
  const glob = req.glob?.trim();
  if (glob && !glob.includes('/')) args.push('--type-add', `harnessglob:${glob}`, '--type', 'harnessglob');
  const rel = path.relative(req.root, req.start);
  args.push('--regexp', req.pattern, '--', rel === '' ? '.' : rel);
  return args;
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

/** Parses one `{"type":"match",...}` record into a workspace-relative match. */
export function parseMatchRecord(line: string, root: string): { path: string; line: number; text: string } | undefined {
  let record: { type?: string; data?: { path?: RgText; line_number?: number; lines?: RgText } };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return undefined;
  }
  const data = record.data;
  const file = rgText(data?.path);
  if (record.type !== 'match' || !data || file === undefined || typeof data.line_number !== 'number') return undefined;
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  const text = (rgText(data.lines) ?? '').replace(/\n$/, '');
  return { path: rel, line: data.line_number, text: clipMatchText(text) };
}
