import { rm } from 'node:fs/promises';
import { JsSearcher } from '../../core/tools/search/jsSearcher';
import {
  MatchCollector,
  createGlobFilter,
  type TextSearchRequest,
  type TextSearchResult,
  type TextSearcher,
} from '../../core/tools/search/textSearcher';
import { CountParser, buildLinesArgs, buildTreeArgs, parseMatchLine, rgPathToRelative, writeAncestorIgnoreFile } from './ripgrepArgs';
import { LineSplitter, runRipgrep, type RgRun } from './ripgrepProcess';

/** Past this many matching lines a single pass stops and the count strategy takes over. */
export const SINGLE_PASS_LIMIT = 500;
const ARGV_BUDGET = 24_000;

/**
 * Searches with ripgrep, always run with an argv (never a shell).
 *
 * Most searches find a few matches: one `rg --json` pass over the tree answers them, at the cost of
 * running rg directly. A pattern that matches thousands of lines would make rg write ~300 bytes of
 * JSON per match and Node parse all of it to keep 50, so once the first pass passes
 * SINGLE_PASS_LIMIT matches it is stopped and two cheaper passes run instead:
 * 1. `rg --count --null` over the tree: the total, and which files hold the first `maxMatches`
 *    matches in path order;
 * 2. `rg --json` on just those files, for the lines themselves.
 * See bench/grep.bench.mjs for the figures.
 *
 * When rg cannot run, or rejects a pattern that JS accepts (lookaround, backreferences), the search
 * falls back to the JS searcher rather than failing.
 */
export class RipgrepSearcher implements TextSearcher {
  readonly engine = 'ripgrep';
  private readonly fallback: TextSearcher;
  private readonly singlePassLimit: number;

  constructor(
    readonly rgPath: string,
    options: { fallback?: TextSearcher; singlePassLimit?: number } = {},
  ) {
    this.fallback = options.fallback ?? new JsSearcher();
    this.singlePassLimit = options.singlePassLimit ?? SINGLE_PASS_LIMIT;
  }

  async search(req: TextSearchRequest): Promise<TextSearchResult> {
    if (req.signal?.aborted) throw req.signal.reason;
    const ignoreFile = await writeAncestorIgnoreFile(req);
    try {
      const single = await this.singlePass(req, ignoreFile);
      if (single !== 'too-many') return single ?? (await this.fallback.search(req));
      return (await this.countThenLines(req, ignoreFile)) ?? (await this.fallback.search(req));
    } finally {
      if (ignoreFile) await rm(ignoreFile, { force: true });
    }
  }

  /** One pass; 'too-many' when it was stopped at the limit, undefined when rg failed. */
  private async singlePass(req: TextSearchRequest, ignoreFile: string | undefined): Promise<TextSearchResult | 'too-many' | undefined> {
    const filter = createGlobFilter(req.glob);
    const collector = new MatchCollector(req.maxMatches);
    let records = 0;
    const splitter = new LineSplitter((line) => {
      const match = parseMatchLine(line, req.root);
      if (!match) return true;
      if (++records > this.singlePassLimit) return false;
      if (!filter || filter(match.path)) collector.add(match);
      return true;
    });
    const run = await runRipgrep(this.rgPath, buildTreeArgs(req, 'lines', ignoreFile), { cwd: req.root, signal: req.signal, onChunk: (c) => splitter.push(c) });
    if (run.stopped) return 'too-many';
    splitter.end();
    return usable(run, records > 0) ? collector.result(this.engine) : undefined;
  }

  private async countThenLines(req: TextSearchRequest, ignoreFile: string | undefined): Promise<TextSearchResult | undefined> {
    const filter = createGlobFilter(req.glob);
    const files: Array<{ raw: string; rel: string; count: number }> = [];
    const parser = new CountParser((raw, count) => {
      const rel = rgPathToRelative(raw, req.root);
      if (!filter || filter(rel)) files.push({ raw, rel, count });
    });
    const counted = await runRipgrep(this.rgPath, buildTreeArgs(req, 'count', ignoreFile), { cwd: req.root, signal: req.signal, onChunk: (c) => parser.push(c) });
    if (!usable(counted, files.length > 0)) return undefined;

    files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const total = files.reduce((sum, f) => sum + f.count, 0);
    const chosen: string[] = [];
    let covered = 0;
    for (const f of files) {
      if (covered >= req.maxMatches) break;
      chosen.push(f.raw);
      covered += f.count;
    }
    const collector = new MatchCollector(req.maxMatches);
    // Batches keep each command line short (Windows allows about 32,000 characters).
    for (const batch of batchByLength(chosen, ARGV_BUDGET)) {
      const splitter = new LineSplitter((line) => {
        const match = parseMatchLine(line, req.root);
        if (match) collector.add(match);
      });
      const run = await runRipgrep(this.rgPath, buildLinesArgs(req, batch), { cwd: req.root, signal: req.signal, onChunk: (c) => splitter.push(c) });
      splitter.end();
      if (run.code !== 0 && run.code !== 1 && collector.total === 0) return undefined;
    }
    const result = collector.result(this.engine);
    // The lines pass may see a file that changed since it was counted; the count stays the reference.
    return { ...result, total: Math.max(total, result.matches.length) };
  }
}

/**
 * Exit 0 means matches, 1 none. 2 is an error: with output it is a partial one (an unreadable file),
 * without any it is a bad pattern or a broken rg, which the JS searcher handles.
 */
function usable(run: RgRun, hadOutput: boolean): boolean {
  if (run.code === 0 || run.code === 1) return true;
  return run.code === 2 && hadOutput && !/regex|parse error/i.test(run.stderr);
}

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
