import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRedactor, createStreamRedactor, REDACTED } from '../../../../src/core/trace/redact';
import { sanitizeForTerminal } from '../../../../src/core/trace/terminalText';

const KEY = 'gw-key-4b9f0c1d2e3f4a5b6c7d';

function streamed(text: string, cuts: number[]): string {
  const r = createStreamRedactor(createRedactor([KEY]));
  let out = '';
  let at = 0;
  for (const c of [...cuts.filter((c) => c > 0 && c < text.length)].sort((a, b) => a - b)) {
    out += r.push(text.slice(at, c));
    at = c;
  }
  out += r.push(text.slice(at));
  return out + r.flush();
}

describe('stream redaction', () => {
  it('catches a secret split across chunks, at every split point', () => {
    const text = `before ${KEY} after\nnext line sk-ant-abcdefghijklmnopqrstuv end\n`;
    for (let i = 1; i < text.length; i++) {
      const out = streamed(text, [i]);
      expect(out, `split at ${i}`).not.toContain(KEY);
      expect(out).not.toContain('sk-ant-abcdefghijklmnopqrstuv');
      expect(out).toContain(REDACTED);
      expect(out.replaceAll(REDACTED, 'X')).toBe(text.replace(KEY, 'X').replace('sk-ant-abcdefghijklmnopqrstuv', 'X'));
    }
  });

  it('never leaks a secret whatever the chunking (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), fc.array(fc.nat(500), { maxLength: 12 }), (a, b, cuts) => {
        const text = `${a}${KEY}${b}`;
        expect(streamed(text, cuts)).not.toContain(KEY);
      }),
    );
  });

  it('lets whole lines out at once and holds only the unfinished one', () => {
    const r = createStreamRedactor(createRedactor([KEY]));
    expect(r.push('line one\nline tw')).toBe('line one\n');
    expect(r.push('o\n')).toBe('line two\n');
    expect(r.flush()).toBe('');
  });

  it('does not hold a very long line forever', () => {
    const r = createStreamRedactor(createRedactor([KEY]));
    const out = r.push('x'.repeat(10_000));
    expect(out.length).toBeGreaterThan(9_000);
    expect(out + r.flush()).toBe('x'.repeat(10_000));
  });
});

describe('terminal hygiene', () => {
  it.each([
    ['CSI cursor movement and colour', 'a\u001b[2Ab\u001b[31mc\u001b[0m', 'abc'],
    ['OSC window title with BEL', 'x\u001b]0;pwned\u0007y', 'xy'],
    ['OSC hyperlink with ST', '\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['DCS', 'p\u001bPq#0;2;0;0;0\u001b\\q', 'pq'],
    ['8-bit CSI', 'a\u009b2Jb', 'ab'],
    ['carriage return rewriting a line', 'safe\rApprove? [y/N] y', 'safeApprove? [y/N] y'],
    ['backspaces and bell', 'ab\b\b\u0007c', 'abc'],
    ['keeps newlines and tabs', 'a\n\tb', 'a\n\tb'],
    ['keeps ordinary Unicode', 'héllo – ✓', 'héllo – ✓'],
  ])('%s', (_what, input, expected) => {
    expect(sanitizeForTerminal(input)).toBe(expected);
  });

  it('leaves no escape character whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)) }), (s) => {
         
        expect(sanitizeForTerminal(s)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
    );
  });
});
