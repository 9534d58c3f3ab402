/**
 * Re-indentation of a replacement when the model's `old_string` matched with different indentation.
 * The model usually writes `new_string` in the same (wrong) indentation as its `old_string`; shifting
 * every line by the difference between the two keeps the replacement consistent with the file.
 */

export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

const only = (s: string, ch: string): boolean => s.length > 0 && [...s].every((c) => c === ch);

/**
 * Converts indentation between spaces and tabs when the two base indents show the ratio (for example
 * the model wrote 8 spaces where the file has 2 tabs). Anything that does not fit passes through.
 */
function styleConverter(from: string, to: string): (lead: string) => string {
  if (only(from, ' ') && only(to, '\t') && from.length % to.length === 0) {
    const unit = ' '.repeat(from.length / to.length);
    return (lead) => lead.split(unit).join('\t');
  }
  if (only(from, '\t') && only(to, ' ') && to.length % from.length === 0) {
    const unit = ' '.repeat(to.length / from.length);
    return (lead) => lead.replace(/\t/g, unit);
  }
  return (lead) => lead;
}

/**
 * Shifts `lines` from the indentation base `from` (the model's) to `to` (the file's). Lines indented
 * deeper than the base keep their relative depth; lines shallower than the base move by the same
 * amount when both bases use one character, and are left alone otherwise. Blank lines are untouched.
 */
export function reindent(lines: readonly string[], from: string, to: string, oldFirstLine?: string): string[] {
  if (from === to) return [...lines];
  // The model may have written the replacement at the file's indentation even though its copy of the
  // old text was off; then the replacement is already right. The line of new_string that repeats the
  // old first line shows which base it used (else its first non-blank line).
  const same = oldFirstLine === undefined ? undefined : lines.find((l) => l.trim() !== '' && l.trim() === oldFirstLine.trim());
  const probe = same ?? lines.find((l) => l.trim() !== '');
  if (probe !== undefined && leadingWhitespace(probe) === to) return [...lines];
  return shiftIndent(lines, from, to);
}

/** Moves every line from the base `from` to the base `to`, as described for reindent, without guessing. */
export function shiftIndent(lines: readonly string[], from: string, to: string): string[] {
  if (from === to) return [...lines];
  const convert = styleConverter(from, to);
  const sameChar = (only(from, ' ') || from === '') && only(to, ' ') ? ' '
    : (only(from, '\t') || from === '') && only(to, '\t') ? '\t'
    : only(from, ' ') && to === '' ? ' '
    : only(from, '\t') && to === '' ? '\t'
    : undefined;
  return lines.map((line) => {
    if (line.trim() === '') return line;
    const lead = leadingWhitespace(line);
    const rest = line.slice(lead.length);
    if (lead.startsWith(from)) return to + convert(lead.slice(from.length)) + rest;
    if (sameChar !== undefined && (lead === '' || only(lead, sameChar))) {
      const depth = Math.max(0, lead.length + to.length - from.length);
      return sameChar.repeat(depth) + rest;
    }
    return convert(lead) + rest;
  });
}
