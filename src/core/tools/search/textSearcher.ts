import type { FileListRequest } from './fileLister';

export { createGlobFilter } from './globFilter';

/**
 * The port grep searches through. The core ships a JS implementation (jsSearcher.ts); the adapters
 * ship one that runs ripgrep. Both must return the same matches for the same request: the ignore
 * rules are described in ignoreRules.ts, matches are whole lines, sorted by path then line.
 */
export interface TextSearchRequest extends FileListRequest {
  /** Regular expression source, already checked to compile as a JS RegExp (see compileSearchPattern). */
  pattern: string;
  caseInsensitive: boolean;
  /** How many matches to return; the rest are only counted. */
  maxMatches: number;
}

export interface TextMatch {
  /** Posix, relative to the workspace root. */
  path: string;
  /** 1-based. */
  line: number;
  /** The line without its terminator, cut to MAX_MATCH_TEXT characters. */
  text: string;
}

export interface TextSearchResult {
  /** The first `maxMatches` matches in (path, line) order. */
  matches: TextMatch[];
  /** Every matching line found, including those not returned. */
  total: number;
  /** Which implementation answered ('ripgrep' or 'js'), for logs and the benchmark. */
  engine: string;
}

export interface TextSearcher {
  readonly engine: string;
  search(request: TextSearchRequest): Promise<TextSearchResult>;
}

/** A matched line longer than this is cut: minified files would otherwise flood the model's context. */
export const MAX_MATCH_TEXT = 400;

export function compareMatches(a: TextMatch, b: TextMatch): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line;
}

/**
 * Keeps the first `limit` matches in (path, line) order while counting all of them, without holding
 * every match in memory: the buffer is trimmed whenever it grows past a few times the limit.
 */
export class MatchCollector {
  private buffer: TextMatch[] = [];
  total = 0;

  constructor(private readonly limit: number) {}

  add(match: TextMatch): void {
    this.total++;
    if (this.limit <= 0) return;
    this.buffer.push(match);
    if (this.buffer.length >= this.limit * 4 + 64) this.trim();
  }

  result(engine: string): TextSearchResult {
    this.trim();
    return { matches: this.buffer, total: this.total, engine };
  }

  private trim(): void {
    this.buffer.sort(compareMatches);
    if (this.buffer.length > this.limit) this.buffer.length = this.limit;
  }
}

export function clipMatchText(text: string): string {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  return line.length > MAX_MATCH_TEXT ? `${line.slice(0, MAX_MATCH_TEXT)}…` : line;
}

export interface CompiledPattern {
  /** The pattern with a leading `(?i)` removed; it becomes caseInsensitive. */
  source: string;
  caseInsensitive: boolean;
  regex: RegExp;
}

/**
 * Compiles the model's pattern as a JS RegExp, so a bad pattern is reported the same way whichever
 * searcher runs. Unicode mode is tried first (it understands \p{...}); patterns that only the legacy
 * mode accepts (an escaped `-` outside a class, say) still work.
 */
export function compileSearchPattern(pattern: string): CompiledPattern {
  let source = pattern;
  let caseInsensitive = false;
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    caseInsensitive = true;
  }
  const flags = caseInsensitive ? 'i' : '';
  try {
    return { source, caseInsensitive, regex: new RegExp(source, `${flags}u`) };
  } catch {
    try {
      return { source, caseInsensitive, regex: new RegExp(source, flags) };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new SyntaxError(`the pattern ${JSON.stringify(pattern)} is not a valid regular expression (${why})`);
    }
  }
}
