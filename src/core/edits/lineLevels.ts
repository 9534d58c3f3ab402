import type { LineIndex } from './lineIndex';
import { replaceBlock } from './blockReplace';
import { rarestWordIn } from './rareWord';

/**
 * Line-level tolerant search: the old string's lines must equal consecutive file lines under a
 * comparison key (trimmed, whitespace collapsed, punctuation folded …), optionally with blank lines
 * skipped on both sides. Matched lines are replaced whole, without the last line's terminator, so the
 * file's own line ending there (or its absence at the end of the file) survives; the replacement is
 * re-indented from the model's indentation to the file's.
 */
export interface Span {
  start: number;
  end: number;
  replacement: string;
}

export interface LineSearch {
  lines: LineIndex;
  oldString: string;
  newString: string;
  eol: '\n' | '\r\n';
  key: (line: string) => string;
  /** Blank lines are ignored on both sides (a block reformatted with blank lines added or dropped). */
  skipBlank?: boolean;
}

export function splitLf(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

/** Blank lines at the start (1) or the end (-1). */
export function countBlank(lines: readonly string[], dir: 1 | -1): number {
  let c = 0;
  while (c < lines.length && (lines[dir === 1 ? c : lines.length - 1 - c] as string).trim() === '') c++;
  return c;
}

export function trimBlankEnds(lines: readonly string[]): { lines: string[]; leading: number; trailing: number } {
  const leading = countBlank(lines, 1);
  if (leading === lines.length) return { lines: [], leading, trailing: 0 };
  const trailing = countBlank(lines, -1);
  return { lines: lines.slice(leading, lines.length - trailing), leading, trailing };
}

/** The replacement lines: the model pads both strings alike, so the same padding is dropped from new_string. */
function replacementLines(oldLeading: number, oldTrailing: number, newString: string): string[] {
  const neu = splitLf(newString);
  const lead = Math.min(oldLeading, countBlank(neu, 1));
  const trail = Math.min(oldTrailing, countBlank(neu, -1));
  return neu.slice(lead, neu.length - trail);
}

export function findLineMatches(search: LineSearch, candidates: (oldLines: readonly string[]) => number[]): Span[] {
  const old = trimBlankEnds(splitLf(search.oldString));
  if (old.lines.length === 0) return [];
  const newLines = replacementLines(old.leading, old.trailing, search.newString);
  const { lines, key } = search;
  const oldKept = search.skipBlank ? old.lines.filter((l) => l.trim() !== '') : old.lines;
  const oldKeys = oldKept.map(key);
  const n = lines.count();
  const spans: Span[] = [];
  let next = 0;
  for (const i of search.skipBlank ? startsSkippingBlank(lines, key, oldKept, oldKeys[0] as string) : candidates(old.lines)) {
    if (i < next) continue;
    const kept = search.skipBlank ? matchSkippingBlank(lines, key, oldKeys, i, n) : matchConsecutive(lines, key, oldKeys, i, n);
    if (kept === undefined) continue;
    const fileOf = search.skipBlank ? spreadOver(old.lines, kept) : old.lines.map((_, j) => i + j);
    const last = kept[kept.length - 1] as number;
    const text = replaceBlock({ oldLines: old.lines, newLines, fileOf, first: i, last, content: (f) => lines.content(f) }).join(search.eol);
    spans.push({ start: lines.start(i), end: lines.end(last), replacement: text });
    next = last + 1;
  }
  return spans;
}

/** Per old line, its file line: the non-blank old lines take the matched lines in order, blank ones none. */
function spreadOver(oldLines: readonly string[], matched: readonly number[]): Array<number | undefined> {
  let m = 0;
  return oldLines.map((l) => (l.trim() === '' ? undefined : matched[m++]));
}

/** The file lines of a consecutive match from line i, or undefined. */
function matchConsecutive(lines: LineIndex, key: (l: string) => string, oldKeys: readonly string[], i: number, n: number): number[] | undefined {
  if (i + oldKeys.length > n) return undefined;
  for (let j = 0; j < oldKeys.length; j++) if (lines.key(i + j, key) !== oldKeys[j]) return undefined;
  return oldKeys.map((_, j) => i + j);
}

/** The file line of each non-blank old line in a match from line i where blank lines do not count, or undefined. */
function matchSkippingBlank(lines: LineIndex, key: (l: string) => string, oldKeys: readonly string[], i: number, n: number): number[] | undefined {
  const out: number[] = [];
  let f = i;
  for (let j = 0; j < oldKeys.length; j++) {
    while (f < n && lines.content(f).trim() === '') f++;
    if (f >= n || lines.key(f, key) !== oldKeys[j]) return undefined;
    out.push(f);
    f++;
  }
  return out;
}

/**
 * Starts for a match that skips blank lines: the rarest word of the non-blank old lines is on old
 * line j, so the match starts j non-blank lines above each of its hits. Without a word, every line
 * whose key equals the first old key.
 */
function startsSkippingBlank(lines: LineIndex, key: (l: string) => string, oldKept: readonly string[], firstKey: string): number[] {
  const rare = rarestWordIn(lines, oldKept);
  const out = new Set<number>();
  if (!rare) {
    for (let i = 0; i < lines.count(); i++) if (lines.key(i, key) === firstKey) out.add(i);
    return [...out];
  }
  for (const hit of rare.hits) {
    let f = lines.lineOf(hit);
    for (let c = rare.line; c > 0 && f > 0; ) {
      f--;
      if (lines.content(f).trim() !== '') c--;
    }
    out.add(f);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * The window starts worth checking for a consecutive match, ascending: a matching window contains
 * the old string's rarest long word on the same relative line. Without such a word (a block of
 * braces), every start is a candidate.
 */
export function candidateStarts(lines: LineIndex, oldLines: readonly string[]): number[] {
  const n = lines.count();
  const k = oldLines.length;
  const rare = rarestWordIn(lines, oldLines);
  if (!rare) return Array.from({ length: Math.max(0, n - k + 1) }, (_, i) => i);
  const starts = new Set<number>();
  for (const p of rare.hits) {
    const s = lines.lineOf(p) - rare.line;
    if (s >= 0 && s + k <= n) starts.add(s);
  }
  return [...starts].sort((a, b) => a - b);
}
