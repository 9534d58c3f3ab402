/**
 * The cheap first step of every tolerant search on a large file. A run of word characters
 * ([A-Za-z0-9_]) survives every comparison key (they only touch whitespace and punctuation), so
 * wherever a tolerant match is, the old string's words are there verbatim. The rarest of its longest
 * words, found with native indexOf scans, gives the few places worth a closer look.
 */
const WORD = /[A-Za-z0-9_]{3,}/g;
const TRIED = 4;

export interface RareWord {
  word: string;
  /** Index of the old line it is on (0-based, within the lines given). */
  line: number;
  /** Offset of the word within that line. */
  column: number;
  /** Every occurrence in the text. */
  hits: number[];
}

/** The rarest of the longest words of `lines` in `text`, or undefined when no line has a word of 3+ characters. */
export function rarestWord(text: string, lines: readonly string[]): RareWord | undefined {
  const words: Array<{ word: string; line: number; column: number }> = [];
  lines.forEach((l, line) => {
    for (const m of l.matchAll(WORD)) words.push({ word: m[0], line, column: m.index });
  });
  words.sort((a, b) => b.word.length - a.word.length || a.line - b.line);
  let best: RareWord | undefined;
  const tried = new Set<string>();
  for (const w of words) {
    if (tried.has(w.word)) continue;
    tried.add(w.word);
    if (tried.size > TRIED) break;
    const hits: number[] = [];
    for (let p = text.indexOf(w.word); p !== -1; p = text.indexOf(w.word, p + 1)) {
      hits.push(p);
      if (best && hits.length >= best.hits.length) break;
    }
    if (!best || hits.length < best.hits.length) best = { ...w, hits };
    if (best.hits.length === 0) break;
  }
  return best;
}

/** rarestWord, computed once per file and lines: the levels and repairs of one edit ask alike. */
export function rarestWordIn(index: { readonly text: string; remember<T>(id: string, compute: () => T): T }, lines: readonly string[]): RareWord | undefined {
  return index.remember(`rare\0${lines.join('\n')}`, () => rarestWord(index.text, lines));
}

/**
 * Disjoint windows of `text` around each hit, `before` characters back and `after` forward, merged
 * where they overlap, as [start, end) pairs in order.
 */
export function windowsAround(text: string, hits: readonly number[], before: number, after: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const h of hits) {
    const s = Math.max(0, h - before);
    const e = Math.min(text.length, h + after);
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
