/**
 * Repairs of what models send, tried only when the text as sent matched nowhere: line-number prefixes
 * copied from a file listing, and strings escaped once too often. Each returns undefined when it does
 * not apply, so the caller never changes a string that had nothing to repair.
 */

/**
 * A line-number prefix as tools print them: `12\t` (read_file, cat -n), `12 | ` and `12|`, `12→`
 * (Claude Code's read), `12: `. Leading spaces for alignment are allowed. After a tab or an arrow the
 * line's own indentation follows at once, so nothing more is taken; after `|` or `:` one space is.
 */
const LINE_NUMBER_PREFIX = /^ *(\d+)(?:\t|→| ?[|│:] ?)/;

/**
 * The text without line-number prefixes, or undefined unless every non-blank line has one and the
 * numbers count up by one (blank lines may lack it): a real line that starts with "1: " is not taken
 * for a listing.
 */
export function stripLineNumbers(text: string): string | undefined {
  const rows = text.replace(/\r\n/g, '\n').split('\n');
  let previous: number | undefined;
  let numbered = 0;
  const out: string[] = [];
  for (const row of rows) {
    // A numbered empty line whose separator was trimmed away: just the number.
    const m = LINE_NUMBER_PREFIX.exec(row) ?? /^ *(\d+)$/.exec(row);
    if (!m) {
      if (row.trim() !== '') return undefined;
      out.push(row);
      if (previous !== undefined) previous++;
      continue;
    }
    const n = Number(m[1]);
    if (previous !== undefined && n !== previous + 1) return undefined;
    previous = n;
    numbered++;
    out.push(row.slice(m[0].length));
  }
  return numbered > 0 ? out.join('\n') : undefined;
}

const ESCAPE = /\\(n|t|r|"|'|`|\$|\\)/g;

/**
 * The text with JSON-style escapes undone (`\n`, `\t`, `\"`, `\\` …), as a model that escaped its
 * arguments twice sends them; undefined when there is nothing to undo.
 */
export function unescapeOnce(text: string): string | undefined {
  if (!ESCAPE.test(text)) return undefined;
  ESCAPE.lastIndex = 0;
  const out = text.replace(ESCAPE, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
  return out === text ? undefined : out;
}
