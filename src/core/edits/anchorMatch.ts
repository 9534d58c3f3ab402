import { lineSimilarity } from './closest';
import type { LineIndex } from './lineIndex';
import { countBlank, splitLf, trimBlankEnds, type Span } from './lineLevels';
import { punctuationKey } from './normalize';
import { rarestWordIn } from './rareWord';
import { leadingWhitespace, reindent } from './reindent';

/**
 * The last tolerant level: a block whose first and last lines match (whitespace and typographic
 * punctuation aside) and whose lines in between are similar enough, when the model's copy of the
 * middle has drifted (a changed line, a reworded comment). It never guesses: the best candidate must
 * reach the similarity threshold, and a second candidate close to it makes the edit ambiguous, with
 * both line numbers given to the model.
 */
export const ANCHOR_THRESHOLD = 0.75;
/** A runner-up within this distance of the best is "close": the edit is refused as ambiguous. */
export const ANCHOR_MARGIN = 0.1;
const MIN_LINES = 3;

export type AnchorOutcome =
  | { kind: 'match'; span: Span; score: number; startLine: number }
  | { kind: 'ambiguous'; candidates: { startLine: number; endLine: number; score: number }[] }
  | undefined;

const WORD = /[A-Za-z0-9_]{3,}/g;

export function findAnchored(lines: LineIndex, oldString: string, newString: string, eol: '\n' | '\r\n'): AnchorOutcome {
  const old = trimBlankEnds(splitLf(oldString));
  const k = old.lines.length;
  if (k < MIN_LINES) return undefined;
  const firstKey = punctuationKey(old.lines[0] as string);
  const lastKey = punctuationKey(old.lines[k - 1] as string);
  // An anchor of braces alone (`}`) is everywhere; the block needs a word in its first or last line.
  const firstWord = longestWord(firstKey);
  const lastWord = longestWord(lastKey);
  if (!firstWord && !lastWord) return undefined;
  const n = lines.count();
  const slack = Math.max(1, Math.floor(k / 4));
  const oldMiddle = old.lines.slice(1, -1).map(punctuationKey).join('\n');

  const found: { start: number; end: number; score: number }[] = [];
  const consider = (i: number, j: number) => {
    if (j - i + 1 < MIN_LINES) return;
    const fileMiddle: string[] = [];
    for (let m = i + 1; m < j; m++) fileMiddle.push(lines.key(m, punctuationKey));
    const score = oldMiddle === '' && fileMiddle.length === 0 ? 1 : lineSimilarity(fileMiddle.join('\n'), oldMiddle);
    if (score >= ANCHOR_THRESHOLD) found.push({ start: i, end: j, score });
  };
  for (const i of linesWithKey(lines, firstKey, old.lines[0] as string)) {
    for (let len = k - slack; len <= k + slack; len++) {
      const j = i + len - 1;
      if (len >= MIN_LINES && j < n && lines.key(j, punctuationKey) === lastKey) consider(i, j);
    }
  }
  if (found.length === 0) return undefined;
  found.sort((a, b) => b.score - a.score || a.start - b.start);
  const best = found[0]!;
  const close = found.filter((f) => f !== best && best.score - f.score <= ANCHOR_MARGIN && (f.end < best.start || f.start > best.end));
  if (close.length > 0) {
    return { kind: 'ambiguous', candidates: [best, ...close].map((f) => ({ startLine: f.start + 1, endLine: f.end + 1, score: Math.round(f.score * 100) / 100 })) };
  }
  const neu = splitLf(newString);
  const newLines = neu.slice(Math.min(old.leading, countBlank(neu, 1)), neu.length - Math.min(old.trailing, countBlank(neu, -1)));
  const text = reindent(newLines, leadingWhitespace(old.lines[0] as string), leadingWhitespace(lines.content(best.start)), old.lines[0]).join(eol);
  return { kind: 'match', span: { start: lines.start(best.start), end: lines.end(best.end), replacement: text }, score: best.score, startLine: best.start + 1 };
}

function longestWord(key: string): string | undefined {
  let best: string | undefined;
  for (const m of key.matchAll(WORD)) if (!best || m[0].length > best.length) best = m[0];
  return best;
}

/**
 * Lines whose key equals `key` (the old first line's): found through the hits of that line's rarest
 * word when it has one, else by comparing every line.
 */
function linesWithKey(lines: LineIndex, key: string, line: string): number[] {
  const out: number[] = [];
  const rare = rarestWordIn(lines, [line]);
  if (rare) {
    let last = -1;
    for (const p of rare.hits) {
      const i = lines.lineOf(p);
      if (i !== last && lines.key(i, punctuationKey) === key) out.push(i);
      last = i;
    }
    return out;
  }
  for (let i = 0; i < lines.count(); i++) if (lines.key(i, punctuationKey) === key) out.push(i);
  return out;
}
