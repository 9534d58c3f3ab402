import type { Span } from './lineLevels';
import type { LineIndex } from './lineIndex';
import { rarestWordIn } from './rareWord';

/**
 * Token-level search: the old string's words and punctuation, in order, with only the spacing
 * between them allowed to differ. Two words need some spacing between them (`const x` never matches
 * `constx`); two operator characters keep whether they were apart (`+ +` never matches `++`, `/ /`
 * never `//`); anything else may be apart or not (`foo (a)` matches `foo(a)`, `) {` matches `){`).
 */
const TOKEN = /[A-Za-z0-9_]+|[^A-Za-z0-9_\s]/g;
const isWord = (t: string): boolean => /^[A-Za-z0-9_]/.test(t);
const OPERATOR = /^[-+*/%=<>!&|^~?:.@#$]$/;

/** How two neighbouring tokens may be spaced: `must` some space, `keep` as they were, `any`. */
function spacing(prev: string, next: string): 'must' | 'keep' | 'any' {
  if (isWord(prev) && isWord(next)) return 'must';
  if (OPERATOR.test(prev) && OPERATOR.test(next)) return 'keep';
  return 'any';
}

/**
 * A line's comparison key with spacing removed wherever it does not change the tokens: `foo( a, b )`
 * and `foo(a,b)` share a key; `a + +b` and `a ++b` do not, nor do `const x` and `constx`.
 */
export function tokenKey(line: string): string {
  let out = '';
  let prev: string | undefined;
  for (const t of tokenize(line)) {
    if (prev !== undefined) {
      const rule = spacing(prev, t.text);
      if (rule === 'must' || (rule === 'keep' && t.spaced)) out += ' ';
    }
    out += t.text;
    prev = t.text;
  }
  return out;
}

export interface Token {
  text: string;
  /** Whitespace came before it in the old string. */
  spaced: boolean;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    out.push({ text: m[0], spaced: m.index > last && /\s/.test(text.slice(last, m.index)) });
    last = m.index + m[0].length;
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The spans where `fragment`'s tokens occur with other spacing. `sameLine` keeps a match on one line
 * (a fragment reformatted inside a line); otherwise line breaks count as spacing too (a block joined
 * onto one line, or one line broken into several). Word edges must be whole: `x = 1` does not match
 * inside `xx = 1`.
 */
export function findReflowed(lines: LineIndex, fragment: string, replacement: string, sameLine: boolean): Span[] {
  const body = lines.text;
  const tokens = tokenize(fragment);
  if (tokens.filter((t) => isWord(t.text)).length === 0 || tokens.length < 3) return [];
  const gap = sameLine ? '[ \\t]' : '\\s';
  const parts: string[] = [];
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev) {
      const rule = spacing(prev.text, t.text);
      parts.push(rule === 'must' ? `${gap}+` : rule === 'keep' ? (t.spaced ? `${gap}+` : '') : `${gap}*`);
    }
    parts.push(escapeRe(t.text));
  });
  const re = new RegExp(parts.join(''), 'g');
  // Every match holds an occurrence of the rarest word, with at most all the tokens on either side.
  const rare = rarestWordIn(lines, [fragment]);
  const windows = rare ? mergeWindows(rare.hits.map((h) => [tokensBack(body, h, tokens.length), tokensForward(body, h, tokens.length)] as [number, number])) : [[0, body.length] as [number, number]];
  const spans: Span[] = [];
  for (const [ws, we] of windows) {
    const slice = body.slice(ws, we);
    for (const m of slice.matchAll(re)) {
      const start = ws + m.index;
      const end = start + m[0].length;
      const before = body[start - 1];
      const after = body[end];
      if ((before !== undefined && /\w/.test(before) && /^\w/.test(m[0])) || (after !== undefined && /\w/.test(after) && /\w$/.test(m[0]))) continue;
      spans.push({ start, end, replacement });
    }
  }
  return spans;
}

const isSpace = (c: string): boolean => /\s/.test(c);
const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/** The offset `count` tokens before `from` (spacing skipped freely). */
function tokensBack(text: string, from: number, count: number): number {
  let p = from;
  for (let t = 0; t < count && p > 0; t++) {
    while (p > 0 && isSpace(text[p - 1] as string)) p--;
    if (p > 0 && isWordChar(text[p - 1] as string)) while (p > 0 && isWordChar(text[p - 1] as string)) p--;
    else if (p > 0) p--;
  }
  return p;
}

/** The offset `count` tokens after `from`. */
function tokensForward(text: string, from: number, count: number): number {
  let p = from;
  for (let t = 0; t < count && p < text.length; t++) {
    while (p < text.length && isSpace(text[p] as string)) p++;
    if (p < text.length && isWordChar(text[p] as string)) while (p < text.length && isWordChar(text[p] as string)) p++;
    else if (p < text.length) p++;
  }
  return p;
}

function mergeWindows(windows: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of windows) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Levenshtein distance, stopping early once it exceeds `max` (then max + 1). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * Two words a typo apart: both at least four characters and within one edit per four characters
 * (`mesage`/`message`, `getUserNaem`/`getUserName`). Short words and numbers never are: `x`/`y`,
 * `1`/`2` and `true`/`false` are different code, not typos. `slack` allows more edits, to find the
 * places that are nearly as close (which make a typo match ambiguous).
 */
export function isTypo(a: string, b: string, slack = 0): boolean {
  if (a === b || !isWord(a) || !isWord(b) || /^\d+$/.test(a) || /^\d+$/.test(b)) return false;
  const len = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < 3 || len < 4) return false;
  const allowed = Math.floor(len / 4) + slack;
  return editDistance(a, b, allowed) <= allowed;
}
