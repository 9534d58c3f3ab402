/**
 * Comparison keys for tolerant matching. A key is never written to a file: it only decides where
 * the model's `old_string` is, and an offset map leads from the key back to the file's own text.
 */

/** Typographic characters a model (or a word processor) substitutes for ASCII ones, by their ASCII stand-in. */
const TYPOGRAPHIC: ReadonlyMap<number, string> = new Map([
  // Single quotes, primes and the low/reversed variants.
  [0x2018, "'"], [0x2019, "'"], [0x201a, "'"], [0x201b, "'"], [0x2032, "'"], [0x00b4, "'"],
  // Double quotes.
  [0x201c, '"'], [0x201d, '"'], [0x201e, '"'], [0x201f, '"'], [0x2033, '"'], [0x00ab, '"'], [0x00bb, '"'],
  // Hyphens, dashes and the minus sign.
  [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'], [0x2212, '-'],
  // Non-breaking and fixed-width spaces.
  [0x00a0, ' '], [0x2007, ' '], [0x2009, ' '], [0x200a, ' '], [0x202f, ' '], [0x2002, ' '], [0x2003, ' '],
  // The ellipsis becomes three dots; see foldPunctuation for how "..." is folded to the same key.
  [0x2026, '...'],
]);

/** True when the text contains a character foldPunctuation would change; lets the fast path skip the work. */
export function hasTypographic(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (TYPOGRAPHIC.has(text.charCodeAt(i))) return true;
  }
  return false;
}

/** Replaces typographic punctuation with its ASCII stand-in. */
export function foldPunctuation(text: string): string {
  if (!hasTypographic(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const sub = TYPOGRAPHIC.get(text.charCodeAt(i));
    out += sub ?? text[i];
  }
  return out;
}

/** A normalised text and, for each of its positions (and one past the end), the offset in the source. */
export interface MappedText {
  text: string;
  map: Int32Array;
}

/**
 * Normalises `source` for a char-level search: CRLF becomes LF and, when `punctuation` is set,
 * typographic characters fold to ASCII. A span [s, e) of the result corresponds to
 * [map[s], map[e]) of the source; the ellipsis expands to three key characters that all point at it,
 * and a match may only start or end on a boundary where the map changes (see `isBoundary`).
 */
export function normalizeWithMap(source: string, punctuation: boolean): MappedText {
  // Built in slices between special characters: most of a file is copied through unchanged, and a
  // per-character string build would dominate the cost on large files.
  const parts: string[] = [];
  const ellipses = punctuation ? source.split('\u2026').length - 1 : 0;
  const map = new Int32Array(source.length + 2 * ellipses + 1);
  let n = 0;
  let copyFrom = 0;
  const flush = (to: number): void => {
    if (to > copyFrom) {
      parts.push(source.slice(copyFrom, to));
      for (let j = copyFrom; j < to; j++) map[n++] = j;
    }
  };
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 13 && source.charCodeAt(i + 1) === 10) {
      flush(i);
      copyFrom = i + 1;
      continue;
    }
    if (!punctuation || code < 0x80) continue;
    const sub = TYPOGRAPHIC.get(code);
    if (sub === undefined) continue;
    flush(i);
    parts.push(sub);
    for (let k = 0; k < sub.length; k++) map[n++] = i;
    copyFrom = i + 1;
  }
  flush(source.length);
  map[n] = source.length;
  return { text: parts.join(''), map: map.subarray(0, n + 1) };
}

/** A key position is a valid match edge only if it does not fall inside the expansion of one source character. */
export function isBoundary(mapped: MappedText, pos: number): boolean {
  return pos === 0 || mapped.map[pos] !== mapped.map[pos - 1];
}

/** Key of a line for whitespace-tolerant matching: no leading or trailing whitespace, inner runs collapsed. */
export function whitespaceKey(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** Key of a line for the most tolerant level: whitespace and typographic punctuation both folded. */
export function punctuationKey(line: string): string {
  return whitespaceKey(foldPunctuation(line));
}
