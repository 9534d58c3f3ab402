/**
 * Comparison keys for tolerant matching. A key is never written to a file: it only decides where
 * the model's `old_string` is, and FoldedText leads from a key offset back to the file's own text.
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
  // The ellipsis becomes three dots; FoldedText refuses match edges inside that expansion.
  [0x2026, '...'],
]);

const escapeClass = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;
const TYPOGRAPHIC_CLASS = `[${[...TYPOGRAPHIC.keys()].map(escapeClass).join('')}]`;
const ANY_TYPOGRAPHIC = new RegExp(TYPOGRAPHIC_CLASS);

const TYPOGRAPHIC_ALL = new RegExp(TYPOGRAPHIC_CLASS, 'g');

/** True when the text contains a character foldPunctuation would change (a native regex scan). */
export function hasTypographic(text: string): boolean {
  return ANY_TYPOGRAPHIC.test(text);
}

/** Replaces typographic punctuation with its ASCII stand-in. */
export function foldPunctuation(text: string): string {
  return hasTypographic(text) ? text.replace(TYPOGRAPHIC_ALL, (m) => TYPOGRAPHIC.get(m.charCodeAt(0)) as string) : text;
}

/**
 * A text with typographic characters folded to ASCII for a char-level search, with a way back to
 * offsets in the source. Only the substituted places are recorded, so building it costs one native
 * regex replace; mapping an offset back is a binary search over those places.
 */
export class FoldedText {
  readonly text: string;
  private readonly normStarts: number[] = [];
  private readonly normLens: number[] = [];
  private readonly srcEnds: number[] = [];
  private readonly srcStarts: number[] = [];

  constructor(source: string) {
    let delta = 0;
    this.text = source.replace(TYPOGRAPHIC_ALL, (m: string, offset: number) => {
      const rep = TYPOGRAPHIC.get(m.charCodeAt(0)) as string;
      this.normStarts.push(offset + delta);
      this.normLens.push(rep.length);
      this.srcStarts.push(offset);
      this.srcEnds.push(offset + m.length);
      delta += rep.length - m.length;
      return rep;
    });
  }

  /**
   * The source offset of normalised offset `p`, or undefined when `p` falls inside the expansion of
   * one source character (the ellipsis), where a match may not start or end.
   */
  toSource(p: number): number | undefined {
    let lo = 0;
    let hi = this.normStarts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.normStarts[mid] as number) <= p) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k === -1) return p;
    const ns = this.normStarts[k] as number;
    if (p === ns) return this.srcStarts[k];
    const ne = ns + (this.normLens[k] as number);
    if (p < ne) return undefined;
    return (this.srcEnds[k] as number) + (p - ne);
  }
}

/** Key of a line for whitespace-tolerant matching: no leading or trailing whitespace, inner runs collapsed. */
export function whitespaceKey(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** Key of a line for the most tolerant level: whitespace and typographic punctuation both folded. */
export function punctuationKey(line: string): string {
  return whitespaceKey(foldPunctuation(line));
}
