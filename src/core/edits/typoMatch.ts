import type { LineIndex } from './lineIndex';
import { countBlank, splitLf, trimBlankEnds, type Span } from './lineLevels';
import { foldPunctuation } from './normalize';
import { replaceBlock } from './blockReplace';
import { isTypo, tokenize } from './tokenMatch';

/**
 * The last resort for a block the model misspelled: the same lines, token for token, except for at
 * most one word per line (three in all) that is a typo of the file's word (`mesage` for `message`).
 * Everything else must be equal, spacing aside, so a changed number, operator or short name is never
 * taken for a typo. Two such places make the edit ambiguous.
 */
const MAX_TYPOS = 3;
const WORD = /^[A-Za-z0-9_]{3,}$/;

export type TypoOutcome =
  | { kind: 'match'; span: Span; startLine: number; typos: Array<[string, string]> }
  | { kind: 'ambiguous'; startLines: number[] }
  | undefined;

const lineTokens = (line: string): string[] => tokenize(foldPunctuation(line)).map((t) => t.text);

export function findTypo(lines: LineIndex, oldString: string, newString: string, eol: '\n' | '\r\n'): TypoOutcome {
  const old = trimBlankEnds(splitLf(oldString));
  const k = old.lines.length;
  if (k === 0) return undefined;
  const oldTokens = old.lines.map(lineTokens);
  const starts = typoStarts(lines, oldTokens);
  if (!starts) return undefined;
  const found: Array<{ start: number; typos: Array<[string, string]> }> = [];
  const near: number[] = [];
  for (const s of starts) {
    const typos = compareWindow(lines, oldTokens, s, 0);
    if (typos && typos.length > 0) found.push({ start: s, typos });
    else if (typos === undefined && compareWindow(lines, oldTokens, s, 1)) near.push(s);
  }
  if (found.length === 0) return undefined;
  // Another place nearly as close (one more edit away) makes the typo's place a guess.
  if (found.length > 1 || near.length > 0) return { kind: 'ambiguous', startLines: [...found.map((f) => f.start), ...near].sort((a, b) => a - b).map((s) => s + 1) };
  const best = found[0]!;
  const neu = splitLf(newString);
  const lead = Math.min(old.leading, countBlank(neu, 1));
  const trail = Math.min(old.trailing, countBlank(neu, -1));
  const newLines = neu.slice(lead, neu.length - trail);
  const text = replaceBlock({ oldLines: old.lines, newLines, fileOf: old.lines.map((_, j) => best.start + j), first: best.start, last: best.start + k - 1, content: (f) => lines.content(f), keepFileText: true }).join(eol);
  return { kind: 'match', span: { start: lines.start(best.start), end: lines.end(best.start + k - 1), replacement: text }, startLine: best.start + 1, typos: best.typos };
}

const WORDS_TRIED = 8;
const HIT_CAP = 1000;

/**
 * Where a match can start. Words with no occurrence cannot be intact in a match; of those that occur,
 * a match keeps all but at most min(3, lines) misspelt, so it holds one of the that-many-plus-one
 * rarest verbatim: their hits give every candidate. Undefined when the old string has too few words
 * to say where every candidate is (then the level does not guess).
 */
function typoStarts(lines: LineIndex, oldTokens: readonly string[][]): number[] | undefined {
  const k = oldTokens.length;
  const n = lines.count();
  const onLines = new Map<string, number[]>();
  oldTokens.forEach((tokens, j) => {
    for (const t of tokens) if (WORD.test(t)) onLines.set(t, [...(onLines.get(t) ?? []), j]);
  });
  const counted = [...onLines.keys()]
    .sort((a, b) => b.length - a.length)
    .slice(0, WORDS_TRIED)
    .map((word) => {
      const hits: number[] = [];
      for (let p = lines.text.indexOf(word); p !== -1 && hits.length < HIT_CAP; p = lines.text.indexOf(word, p + 1)) hits.push(p);
      return { word, hits };
    })
    .filter((w) => w.hits.length > 0)
    .sort((a, b) => a.hits.length - b.hits.length);
  const need = Math.min(MAX_TYPOS, k) + 1;
  if (counted.length < need) return undefined;
  const starts = new Set<number>();
  for (const { word, hits } of counted.slice(0, need)) {
    for (const p of hits) {
      const at = lines.lineOf(p);
      for (const j of onLines.get(word) ?? []) if (at - j >= 0 && at - j + k <= n) starts.add(at - j);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** The typos that make the window at `s` equal to the old lines, or undefined when it differs otherwise. */
function compareWindow(lines: LineIndex, oldTokens: readonly string[][], s: number, slack: number): Array<[string, string]> | undefined {
  const typos: Array<[string, string]> = [];
  for (let j = 0; j < oldTokens.length; j++) {
    const want = oldTokens[j] as string[];
    const have = lineTokens(lines.content(s + j));
    if (have.length !== want.length) return undefined;
    let inLine = 0;
    for (let t = 0; t < want.length; t++) {
      if (have[t] === want[t]) continue;
      if (!isTypo(want[t] as string, have[t] as string, slack) || ++inLine > 1) return undefined;
      typos.push([want[t] as string, have[t] as string]);
      if (typos.length > MAX_TYPOS) return undefined;
    }
  }
  return typos;
}
