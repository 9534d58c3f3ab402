import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { JsSearcher } from '../../core/tools/search/jsSearcher';
import {
  MatchCollector,
  compareMatches,
  createGlobFilter,
  type TextSearchRequest,
  type TextSearchResult,
  type TextSearcher,
} from '../../core/tools/search/textSearcher';
import { CountParser, buildCountArgs, buildLinesArgs, parseMatchRecord, rgPathToRelative, writeAncestorIgnoreFile } from './ripgrepArgs';

/**
 * Searches with ripgrep, always run with an argv (never a shell), in two passes:
 * 1. `rg --count --null` over the tree (multi-threaded, a few bytes per file): the total and which
 *    files match, from which the files holding the first `maxMatches` matches in path order are known;
 * 2. `rg --json` on just those files, for the lines themselves.
 * A single --json pass over everything costs far more when a pattern matches thousands of lines
 * (rg writes ~300 bytes of JSON per match and Node parses all of it to keep 50); the two passes keep
 * the grep tool close to the cost of running rg directly. See bench/grep.bench.mjs.
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
    if (req.signal?.aborted) throw req.signal.reason;
    const filter = createGlobFilter(req.glob);
    const files: Array<{ raw: string; rel: string; count: number }> = [];
    const ignoreFile = await writeAncestorIgnoreFile(req);
    let counted: RgRun;
    try {
      const parser = new CountParser((raw, count) => {
        const rel = rgPathToRelative(raw, req.root);
        if (!filter || filter(rel)) files.push({ raw, rel, count });
      });
      counted = await runRg(this.rgPath, buildCountArgs(req, ignoreFile), req, (chunk) => parser.push(chunk));
    } finally {
      if (ignoreFile) await rm(ignoreFile, { force: true });
    }
    // 0: matches, 1: none. 2 is an error: with output a partial one (an unreadable file), without any
    // a bad pattern or a broken rg, which the JS searcher handles.
    const usable = counted.code === 0 || counted.code === 1 || (counted.code === 2 && files.length > 0 && !/regex|parse error/i.test(counted.stderr));
    if (!usable) return this.fallback.search(req);

    files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const total = files.reduce((sum, f) => sum + f.count, 0);
    const chosen: string[] = [];
    let covered = 0;
    for (const f of files) {
      if (covered >= req.maxMatches) break;
      chosen.push(f.raw);
      covered += f.count;
    }
    if (chosen.length === 0) return { matches: [], total, engine: this.engine };

    const collector = new MatchCollector(req.maxMatches);
    const handleLine = (line: string): void => {
      // Only match records matter; the prefix check skips parsing begin/end/summary records.
      if (!line.startsWith('{"type":"match"')) return;
      const match = parseMatchRecord(line, req.root);
      if (match) collector.add(match);
    };
    // Batches keep each command line short (Windows allows about 32,000 characters).
    for (const batch of batchByLength(chosen, ARGV_BUDGET)) {
      let pending = '';
      const lines = await runRg(this.rgPath, buildLinesArgs(req, batch), req, (chunk) => {
        pending += chunk;
        let from = 0;
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
          handleLine(pending.slice(from, nl));
          from = nl + 1;
        }
        pending = pending.slice(from);
      });
      if (pending !== '') handleLine(pending);
      if (lines.code !== 0 && lines.code !== 1 && collector.total === 0) return this.fallback.search(req);
    }
    const result = collector.result(this.engine);
    result.matches.sort(compareMatches);
    return { ...result, total: Math.max(total, result.matches.length) };
  }
}

const ARGV_BUDGET = 24_000;

export function batchByLength(items: readonly string[], budget: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const item of items) {
    if (current.length > 0 && length + item.length + 1 > budget) {
      batches.push(current);
      current = [];
      length = 0;
    }
    current.push(item);
    length += item.length + 1;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

interface RgRun {
  code: number | null;
  stderr: string;
}

/** Runs rg in the workspace root, streaming stdout to `onStdout`; a spawn failure is exit code null. */
function runRg(rgPath: string, args: string[], req: TextSearchRequest, onStdout: (chunk: string) => void): Promise<RgRun> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(req.signal.reason);
      return;
    }
    const child = spawn(rgPath, args, { cwd: req.root, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let settled = false;
    const onAbort = (): void => {
      child.kill();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (run: RgRun): void => {
      if (settled) return;
      settled = true;
      req.signal?.removeEventListener('abort', onAbort);
      if (req.signal?.aborted) reject(req.signal.reason);
      else resolve(run);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onStdout);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.on('error', (e) => finish({ code: null, stderr: e.message }));
    child.on('close', (code) => finish({ code, stderr }));
  });
}
