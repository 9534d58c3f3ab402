import { findClosestRegion, type ClosestRegion } from './closest';
import { FoldedText, foldPunctuation, hasTypographic, punctuationKey, whitespaceKey } from './normalize';
import { leadingWhitespace, reindent } from './reindent';
import { detectFormat, restoreFormat, stripBom, toEol, type TextFormat } from './textFormat';

/**
 * Finding the model's `old_string` in a file and replacing it. Levels run from strict to tolerant and
 * the first level that finds anything decides: a tolerant level never overrides an exact hit, and
 * several hits at one level without `replace_all` is an error, never a guess.
 */
export type MatchStrategy = 'exact' | 'line_endings' | 'whitespace' | 'punctuation' | 'punctuation_whitespace';

export interface EditRequest {
  oldString: string;
  newString: string;
  replaceAll?: boolean;
}

export interface MatchCandidate {
  /** 1-based first and last line of the candidate. */
  startLine: number;
  endLine: number;
  snippet: string;
}

export type EditOutcome =
  | { ok: true; content: string; strategy: MatchStrategy; replacements: number; startLines: number[] }
  | { ok: false; reason: 'not_found'; closest?: ClosestRegion }
  | { ok: false; reason: 'ambiguous'; strategy: MatchStrategy; count: number; candidates: MatchCandidate[] }
  | { ok: false; reason: 'no_change' | 'empty_old_string' };

/** A place to replace, in offsets of the BOM-less body, with the text that goes there. */
interface Span {
  start: number;
  end: number;
  replacement: string;
}

interface Level {
  strategy: MatchStrategy;
  find(): Span[];
}

const MAX_CANDIDATES = 10;

export function applyEdit(content: string, edit: EditRequest): EditOutcome {
  const { oldString, newString } = edit;
  if (oldString === newString) return { ok: false, reason: 'no_change' };
  const format = detectFormat(content);
  const body = stripBom(content);
  if (oldString === '') {
    if (body !== '') return { ok: false, reason: 'empty_old_string' };
    return { ok: true, content: (format.bom ? '\uFEFF' : '') + newString, strategy: 'exact', replacements: 1, startLines: [1] };
  }
  const replaceAll = edit.replaceAll === true;
  const lines = new LineIndex(body);
  for (const level of levels(body, oldString, newString, format, lines)) {
    const spans = level.find();
    if (spans.length === 0) continue;
    if (spans.length > 1 && !replaceAll) {
      return { ok: false, reason: 'ambiguous', strategy: level.strategy, count: spans.length, candidates: spans.slice(0, MAX_CANDIDATES).map((s) => lines.candidate(s)) };
    }
    let out = '';
    let cursor = 0;
    for (const s of spans) {
      out += body.slice(cursor, s.start) + s.replacement;
      cursor = s.end;
    }
    out += body.slice(cursor);
    return { ok: true, content: restoreFormat(out, format), strategy: level.strategy, replacements: spans.length, startLines: spans.map((s) => lines.lineOf(s.start) + 1) };
  }
  // read_file shows lines as "<number>\t<text>"; a model sometimes copies those prefixes into the edit.
  const unnumbered = stripLineNumbers(oldString);
  if (unnumbered !== undefined) return applyEdit(content, { ...edit, oldString: unnumbered, newString: stripLineNumbers(newString) ?? newString });
  return { ok: false, reason: 'not_found', closest: findClosestRegion(lines, trimBlankEnds(splitLf(oldString)).lines) };
}

const LINE_NUMBER_PREFIX = /^ *\d+\t/;

/** The text without read_file's line-number prefixes, or undefined unless every non-blank line has one. */
export function stripLineNumbers(text: string): string | undefined {
  const rows = splitLf(text);
  const nonBlank = rows.filter((r) => r.trim() !== '');
  if (nonBlank.length === 0 || !nonBlank.every((r) => LINE_NUMBER_PREFIX.test(r))) return undefined;
  return rows.map((r) => r.replace(LINE_NUMBER_PREFIX, '')).join('\n');
}

function* levels(body: string, oldString: string, newString: string, format: TextFormat, lines: LineIndex): Generator<Level> {
  // Both line levels check the same candidate windows (the anchor word survives both keys).
  let starts: number[] | undefined;
  const candidates = (oldLines: readonly string[], k: number): number[] => (starts ??= candidateStarts(lines, oldLines, k));
  const replacement = newString.includes('\n') ? toEol(newString, format.eol) : newString;
  yield { strategy: 'exact', find: () => findAll(body, oldString).map(([start, end]) => ({ start, end, replacement })) };
  // Line-ending drift: the old string in the file's own line endings. A file with mixed endings is
  // still covered by the line-level levels, which compare lines without their terminators.
  const oldInEol = oldString.includes('\n') ? toEol(oldString, format.eol) : oldString;
  if (oldInEol !== oldString) {
    yield { strategy: 'line_endings', find: () => findAll(body, oldInEol).map(([start, end]) => ({ start, end, replacement })) };
  }
  yield { strategy: 'whitespace', find: () => findLines(lines, oldString, newString, format, whitespaceKey, candidates) };
  if (hasTypographic(body) || hasTypographic(oldString)) {
    const oldKey = foldPunctuation(oldInEol);
    yield { strategy: 'punctuation', find: () => findFolded(new FoldedText(body), oldKey, replacement) };
    yield { strategy: 'punctuation_whitespace', find: () => findLines(lines, oldString, newString, format, punctuationKey, candidates) };
  }
}

/** Non-overlapping occurrences, left to right; all are counted so an ambiguity error can say how many. */
function findAll(haystack: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

function findFolded(folded: FoldedText, needle: string, replacement: string): Span[] {
  const spans: Span[] = [];
  for (const [s, e] of findAll(folded.text, needle)) {
    const start = folded.toSource(s);
    const end = folded.toSource(e);
    if (start === undefined || end === undefined) continue;
    spans.push({ start, end, replacement });
  }
  return spans;
}

/**
 * Line-level tolerant search: the old string's lines (blank lines at either end dropped) must equal
 * consecutive file lines under `key`. The matched lines are replaced whole, without the last line's
 * terminator, so the file's own line ending there (or its absence at the end of file) survives.
 */
function findLines(
  lines: LineIndex,
  oldString: string,
  newString: string,
  format: TextFormat,
  key: (line: string) => string,
  candidates: (oldLines: readonly string[], k: number) => number[],
): Span[] {
  const old = trimBlankEnds(splitLf(oldString));
  if (old.lines.length === 0) return [];
  const neu = splitLf(newString);
  // The model pads both strings alike; drop the same padding from the replacement.
  const lead = Math.min(old.leading, countBlank(neu, 1));
  const trail = Math.min(old.trailing, countBlank(neu, -1));
  const newLines = neu.slice(lead, neu.length - trail);
  const oldKeys = old.lines.map(key);
  const k = oldKeys.length;
  const first = old.lines.findIndex((l) => l.trim() !== '');
  const from = leadingWhitespace(old.lines[first] as string);
  const spans: Span[] = [];
  let next = 0;
  for (const i of candidates(old.lines, k)) {
    if (i < next) continue;
    let j = 0;
    while (j < k && lines.key(i + j, key) === oldKeys[j]) j++;
    if (j < k) continue;
    const to = leadingWhitespace(lines.content(i + first));
    const text = reindent(newLines, from, to).join(format.eol);
    spans.push({ start: lines.start(i), end: lines.start(i + k - 1) + lines.content(i + k - 1).length, replacement: text });
    next = i + k;
  }
  return spans;
}

const WORD = /[A-Za-z0-9_]+/g;

/**
 * The window starts worth checking, ascending. A run of word characters is unchanged by both line
 * keys (they only touch whitespace and punctuation), so a matching window contains the old string's
 * rarest long word on the same relative line; one native indexOf scan per occurrence finds them.
 * Without such a word (a block of braces), every start is a candidate.
 */
function candidateStarts(lines: LineIndex, oldLines: readonly string[], k: number): number[] {
  const n = lines.count();
  const words: Array<{ word: string; line: number }> = [];
  oldLines.forEach((line, j) => {
    for (const m of line.matchAll(WORD)) if (m[0].length >= 3) words.push({ word: m[0], line: j });
  });
  words.sort((a, b) => b.word.length - a.word.length);
  let best: { word: string; line: number; hits: number[] } | undefined;
  const tried = new Set<string>();
  for (const w of words) {
    if (tried.has(w.word)) continue;
    tried.add(w.word);
    if (tried.size > 3) break;
    const hits: number[] = [];
    const body = lines.text;
    for (let p = body.indexOf(w.word); p !== -1; p = body.indexOf(w.word, p + 1)) {
      hits.push(p);
      if (best && hits.length >= best.hits.length) break;
    }
    if (!best || hits.length < best.hits.length) best = { ...w, hits };
  }
  if (!best) return Array.from({ length: Math.max(0, n - k + 1) }, (_, i) => i);
  const starts = new Set<number>();
  for (const p of best.hits) {
    const s = lines.lineOf(p) - best.line;
    if (s >= 0 && s + k <= n) starts.add(s);
  }
  return [...starts].sort((a, b) => a - b);
}

function splitLf(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

function countBlank(lines: readonly string[], dir: 1 | -1): number {
  let c = 0;
  while (c < lines.length && (lines[dir === 1 ? c : lines.length - 1 - c] as string).trim() === '') c++;
  return c;
}

function trimBlankEnds(lines: readonly string[]): { lines: string[]; leading: number; trailing: number } {
  const leading = countBlank(lines, 1);
  if (leading === lines.length) return { lines: [], leading, trailing: 0 };
  const trailing = countBlank(lines, -1);
  return { lines: lines.slice(leading, lines.length - trailing), leading, trailing };
}

/** Line starts of the body, computed once and shared by every level; line texts and keys on demand. */
class LineIndex {
  private readonly starts: number[] = [0];
  private readonly texts: Array<string | undefined>;
  private readonly keyCache = new Map<(line: string) => string, Array<string | undefined>>();

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    // A final newline does not start another line.
    if (text.endsWith('\n') || text === '') this.starts.pop();
    this.texts = new Array<string | undefined>(this.starts.length);
  }

  count(): number {
    return this.starts.length;
  }

  /** The line's text without its terminator. */
  content(i: number): string {
    let t = this.texts[i];
    if (t === undefined) {
      const s = this.starts[i] as number;
      let end = this.starts[i + 1] ?? this.text.length;
      if (end > s && this.text.charCodeAt(end - 1) === 10) end--;
      if (end > s && this.text.charCodeAt(end - 1) === 13) end--;
      t = this.text.slice(s, end);
      this.texts[i] = t;
    }
    return t;
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  key(i: number, key: (line: string) => string): string {
    let cache = this.keyCache.get(key);
    if (!cache) {
      cache = new Array<string | undefined>(this.starts.length);
      this.keyCache.set(key, cache);
    }
    let k = cache[i];
    if (k === undefined) {
      k = key(this.content(i));
      cache[i] = k;
    }
    return k;
  }

  /** 0-based line of an offset, by binary search. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  candidate(span: Span): MatchCandidate {
    const first = this.lineOf(span.start);
    const last = this.lineOf(Math.max(span.start, span.end - 1));
    const text = this.text.slice(span.start, span.end).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    const snippet = text.trim().length > 100 ? `${text.trim().slice(0, 100)}…` : text.trim();
    return { startLine: first + 1, endLine: last + 1, snippet };
  }
}
