import { findClosestRegion, type ClosestRegion } from './closest';
import { hasTypographic, isBoundary, normalizeWithMap, punctuationKey, whitespaceKey, type MappedText } from './normalize';
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
  return { ok: false, reason: 'not_found', closest: findClosestRegion(lines.contents(), trimBlankEnds(splitLf(oldString)).lines) };
}

function* levels(body: string, oldString: string, newString: string, format: TextFormat, lines: LineIndex): Generator<Level> {
  const replacement = newString.includes('\n') ? toEol(newString, format.eol) : newString;
  yield { strategy: 'exact', find: () => findAll(body, oldString).map(([start, end]) => ({ start, end, replacement })) };
  if (body.includes('\r') || oldString.includes('\r')) {
    yield { strategy: 'line_endings', find: () => findMapped(normalizeWithMap(body, false), oldString.replace(/\r\n/g, '\n'), replacement) };
  }
  yield { strategy: 'whitespace', find: () => findLines(lines, oldString, newString, format, whitespaceKey) };
  if (hasTypographic(body) || hasTypographic(oldString)) {
    const oldKey = normalizeWithMap(oldString, true).text;
    yield { strategy: 'punctuation', find: () => findMapped(normalizeWithMap(body, true), oldKey, replacement) };
    yield { strategy: 'punctuation_whitespace', find: () => findLines(lines, oldString, newString, format, punctuationKey) };
  }
}

/** Non-overlapping occurrences, left to right; all are counted so an ambiguity error can say how many. */
function findAll(haystack: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

function findMapped(mapped: MappedText, needle: string, replacement: string): Span[] {
  const spans: Span[] = [];
  for (const [s, e] of findAll(mapped.text, needle)) {
    if (!isBoundary(mapped, s) || !isBoundary(mapped, e)) continue;
    spans.push({ start: mapped.map[s] as number, end: mapped.map[e] as number, replacement });
  }
  return spans;
}

/**
 * Line-level tolerant search: the old string's lines (blank lines at either end dropped) must equal
 * consecutive file lines under `key`. The matched lines are replaced whole, without the last line's
 * terminator, so the file's own line ending there (or its absence at the end of file) survives.
 */
function findLines(lines: LineIndex, oldString: string, newString: string, format: TextFormat, key: (line: string) => string): Span[] {
  const old = trimBlankEnds(splitLf(oldString));
  if (old.lines.length === 0) return [];
  const neu = splitLf(newString);
  // The model pads both strings alike; drop the same padding from the replacement.
  const lead = Math.min(old.leading, countBlank(neu, 1));
  const trail = Math.min(old.trailing, countBlank(neu, -1));
  const newLines = neu.slice(lead, neu.length - trail);
  const oldKeys = old.lines.map(key);
  const fileKeys = lines.keys(key);
  const k = oldKeys.length;
  const first = old.lines.findIndex((l) => l.trim() !== '');
  const from = leadingWhitespace(old.lines[first] as string);
  const spans: Span[] = [];
  for (let i = 0; i + k <= fileKeys.length; i++) {
    let j = 0;
    while (j < k && fileKeys[i + j] === oldKeys[j]) j++;
    if (j < k) continue;
    const to = leadingWhitespace(lines.content(i + first));
    const text = reindent(newLines, from, to).join(format.eol);
    spans.push({ start: lines.start(i), end: lines.start(i + k - 1) + lines.content(i + k - 1).length, replacement: text });
    i += k - 1;
  }
  return spans;
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

/** Line starts and contents of the body, computed once and shared by every level. */
class LineIndex {
  private readonly starts: number[] = [0];
  private readonly texts: string[];
  private readonly keyCache = new Map<(line: string) => string, string[]>();

  constructor(private readonly body: string) {
    for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) this.starts.push(i + 1);
    // A final newline does not start another line.
    if (body.endsWith('\n') || body === '') this.starts.pop();
    this.texts = this.starts.map((s, idx) => {
      const next = this.starts[idx + 1] ?? body.length;
      let end = next;
      if (end > s && body.charCodeAt(end - 1) === 10) end--;
      if (end > s && body.charCodeAt(end - 1) === 13) end--;
      return body.slice(s, end);
    });
  }

  contents(): string[] {
    return this.texts;
  }

  content(i: number): string {
    return this.texts[i] as string;
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  keys(key: (line: string) => string): string[] {
    let cached = this.keyCache.get(key);
    if (!cached) {
      cached = this.texts.map(key);
      this.keyCache.set(key, cached);
    }
    return cached;
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
    const text = this.body.slice(span.start, span.end).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    const snippet = text.trim().length > 100 ? `${text.trim().slice(0, 100)}…` : text.trim();
    return { startLine: first + 1, endLine: last + 1, snippet };
  }
}
