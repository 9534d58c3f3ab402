/**
 * Characters that make a command look different from what runs: terminal control characters (CR can
 * hide the start of a line, ESC can repaint it), NUL, Unicode line separators, bidi overrides that
 * reorder what a reviewer sees, and invisible formatting characters. Tab and newline are ordinary.
 */
const NAMED: Record<number, string> = {
  0x00: 'NUL',
  0x0d: 'carriage return (CR)',
  0x1b: 'escape (ESC)',
  0x7f: 'DEL',
  0x85: 'next line (U+0085)',
  0x2028: 'line separator (U+2028)',
  0x2029: 'paragraph separator (U+2029)',
  0xfeff: 'zero-width no-break space (U+FEFF)',
};

function describe(code: number): string | undefined {
  if (code === 0x09 || code === 0x0a) return undefined;
  const named = NAMED[code];
  if (named) return named;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || (code >= 0x80 && code <= 0x9f)) return `control character ${hex}`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c) {
    return `bidirectional text control ${hex} (it reorders what a reviewer sees)`;
  }
  if ((code >= 0x200b && code <= 0x200d) || code === 0x2060) return `invisible character ${hex}`;
  return undefined;
}

/** Why the line must be refused, or undefined when it holds none of those characters. */
export function findForbiddenCharacter(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const what = describe(line.charCodeAt(i));
    if (what) return `the command contains a ${what} at character ${i + 1}; such characters can hide what really runs`;
  }
  return undefined;
}
