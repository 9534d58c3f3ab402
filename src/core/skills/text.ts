/**
 * The small amount of text processing skill selection needs: lowercase word tokens, common English
 * stop words removed, and a light suffix-stripping stemmer so "tests", "testing" and "tested" meet.
 * Everything here is deterministic and locale-independent, so selection is reproducible.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just let lets like make me more most my no nor not now of off on once only or other ' +
    'our out over own please same she should so some such than that the their them then there these they this those ' +
    'through to too under until up us use using very was we were what when where which while who whom why will with ' +
    'would you your yours'
  ).split(' '),
);

/** Lowercase alphanumeric words, in order, stemmed; stop words kept (phrase matching needs them). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stem);
}

/** The content terms of a text: its stemmed words minus stop words and one-letter words. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1 && !STOP_WORDS.has(w)).map(stem);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}

/** Strips one common inflection. Short words are left alone so "bus" or "css" survive. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  for (const suffix of ['ing', 'ed']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return undoubled(word.slice(0, -suffix.length));
  }
  if (word.endsWith('es') && /(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** "debugg" -> "debug", "runn" -> "run", but "pass", "fill" and "buzz" stay. */
function undoubled(w: string): string {
  const last = w[w.length - 1];
  if (last !== undefined && w[w.length - 2] === last && /[bcdfgkmnprt]/.test(last)) return w.slice(0, -1);
  return w;
}
