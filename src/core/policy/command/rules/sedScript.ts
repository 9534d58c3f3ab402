/**
 * A deliberately small reader for sed scripts. GNU sed can write files (`w`, `W`, the `w` flag of
 * `s`), read them (`r`, `R`) and run shell commands (`e`, the `e` flag of `s`), so a sed script is
 * code. Rather than look for those letters (they also appear inside regexes and replacements), this
 * parses the script and accepts only a safe subset: optional addresses (line numbers, `$`, `/regex/`)
 * followed by `p`, `d`, `q`, `=`, `n`, or `s` with flags from `gpiIm` and digits. Anything else is
 * "not understood" and the caller asks a human.
 */
export function isSafeSedScript(script: string): boolean {
  const p = { s: script, i: 0 };
  skipSpace(p, true);
  while (p.i < p.s.length) {
    if (!readAddress(p)) return false;
    skipSpace(p, false);
    if (p.s[p.i] === ',') {
      p.i++;
      skipSpace(p, false);
      if (!readAddress(p, true)) return false;
      skipSpace(p, false);
    }
    if (p.s[p.i] === '!') {
      p.i++;
      skipSpace(p, false);
    }
    const cmd = p.s[p.i];
    p.i++;
    if (cmd === 's') {
      if (!readSubstitute(p)) return false;
    } else if (cmd === undefined || !'pdq=n'.includes(cmd)) {
      return false;
    }
    skipSpace(p, false);
    const sep = p.s[p.i];
    if (sep === undefined) break;
    if (sep !== ';' && sep !== '\n') return false;
    p.i++;
    skipSpace(p, true);
  }
  return true;
}

interface Cursor {
  s: string;
  i: number;
}

function skipSpace(p: Cursor, newlines: boolean): void {
  while (p.i < p.s.length && (p.s[p.i] === ' ' || p.s[p.i] === '\t' || (newlines && (p.s[p.i] === '\n' || p.s[p.i] === ';')))) p.i++;
}

/** Reads an optional address; `required` is for the second half of a range. */
function readAddress(p: Cursor, required = false): boolean {
  const c = p.s[p.i];
  if (c !== undefined && /[0-9]/.test(c)) {
    while (p.i < p.s.length && /[0-9]/.test(p.s[p.i] as string)) p.i++;
    return true;
  }
  if (c === '$') {
    p.i++;
    return true;
  }
  if (c === '/') {
    p.i++;
    return readDelimited(p, '/') && readRegexFlags(p);
  }
  return !required;
}

function readRegexFlags(p: Cursor): boolean {
  while (p.s[p.i] === 'I' || p.s[p.i] === 'M') p.i++;
  return true;
}

/** Reads up to the next unescaped delimiter and steps over it. */
function readDelimited(p: Cursor, delim: string): boolean {
  while (p.i < p.s.length) {
    const c = p.s[p.i] as string;
    if (c === '\n') return false;
    if (c === '\\') {
      p.i += 2;
      continue;
    }
    p.i++;
    if (c === delim) return true;
  }
  return false;
}

function readSubstitute(p: Cursor): boolean {
  const delim = p.s[p.i];
  if (delim === undefined || delim === '\\' || delim === '\n' || delim === ' ') return false;
  p.i++;
  if (!readDelimited(p, delim) || !readDelimited(p, delim)) return false;
  while (p.i < p.s.length && /[gpiIm0-9]/.test(p.s[p.i] as string)) p.i++;
  return true;
}
