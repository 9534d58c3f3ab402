/** A place in the matched file, 1-based lines, with the first non-blank line shown (for ambiguity errors). */
export interface MatchCandidate {
  startLine: number;
  endLine: number;
  snippet: string;
}

/**
 * Line starts of a text, computed on first use and shared by every matching level; line texts and
 * comparison keys are computed on demand and cached. An exact match never builds it: the common
 * case stays one native indexOf scan.
 */
export class LineIndex {
  // Line starts live in a typed array: off the JS heap, so a 100,000-line file adds nothing for the
  // garbage collector to copy or scan, and the index of one edit dies cheaply.
  private starts: Uint32Array | undefined;
  private lines = 0;
  // Sparse: a search on a large file looks at a few candidate lines, not all of them.
  private readonly texts = new Map<number, string>();
  private readonly keyCache = new Map<(line: string) => string, Map<number, string>>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly text: string) {}

  private lineStarts(): Uint32Array {
    if (this.starts) return this.starts;
    const text = this.text;
    let starts = new Uint32Array(Math.max(16, (text.length >> 5) + 1));
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (n === starts.length) {
        const bigger = new Uint32Array(starts.length * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[n++] = i + 1;
    }
    // A final newline does not start another line.
    if (text.endsWith('\n') || text === '') n--;
    this.starts = starts;
    this.lines = n;
    return starts;
  }

  count(): number {
    this.lineStarts();
    return this.lines;
  }

  /** The line's text without its terminator. */
  content(i: number): string {
    const starts = this.lineStarts();
    let t = this.texts.get(i);
    if (t === undefined) {
      const s = starts[i] as number;
      let end = i + 1 < this.lines ? (starts[i + 1] as number) : this.text.length;
      if (end > s && this.text.charCodeAt(end - 1) === 10) end--;
      if (end > s && this.text.charCodeAt(end - 1) === 13) end--;
      t = this.text.slice(s, end);
      this.texts.set(i, t);
    }
    return t;
  }

  start(i: number): number {
    return this.lineStarts()[i] as number;
  }

  /** Offset just past the line's text, before its terminator. */
  end(i: number): number {
    return this.start(i) + this.content(i).length;
  }

  key(i: number, key: (line: string) => string): string {
    let cache = this.keyCache.get(key);
    if (!cache) {
      cache = new Map();
      this.keyCache.set(key, cache);
    }
    let k = cache.get(i);
    if (k === undefined) {
      k = key(this.content(i));
      cache.set(i, k);
    }
    return k;
  }

  /** A value computed once per file and `id` (the levels and repairs of one edit share it). */
  remember<T>(id: string, compute: () => T): T {
    if (this.memo.has(id)) return this.memo.get(id) as T;
    const v = compute();
    this.memo.set(id, v);
    return v;
  }

  /** 0-based line of an offset, by binary search. */
  lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = Math.max(0, this.lines - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  candidate(start: number, end: number): MatchCandidate {
    const first = this.lineOf(start);
    const last = this.lineOf(Math.max(start, end - 1));
    const text = this.text.slice(start, end).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    const snippet = text.trim().length > 100 ? `${text.trim().slice(0, 100)}…` : text.trim();
    return { startLine: first + 1, endLine: last + 1, snippet };
  }
}

/** 0-based line of an offset without an index: counts newlines before it (for a single exact hit). */
export function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
