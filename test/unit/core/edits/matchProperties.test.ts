import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../../src/core/edits/match';

/**
 * Properties of edit matching for random files and edits (issue 17): an exact match always applies
 * exactly (keeping the file's final newline); a tolerant match never applies when more than one place matches; a tolerant match changes
 * only the place it matched.
 */
const word = (letters: string) => fc.stringMatching(new RegExp(`^[${letters}]{1,6}$`));
const codeLine = (letters: string) =>
  fc.tuple(fc.array(word(letters), { minLength: 1, maxLength: 5 }), fc.constantFrom('', ';', ' {', '}', '(x)', ' = 1')).map(([ws, tail]) => ws.join(' ') + tail);
const indent = fc.constantFrom('', '  ', '    ', '\t', '\t\t', '      ');
const trailing = fc.constantFrom('', ' ', '  ', '\t');
const block = (letters: string) => fc.array(codeLine(letters), { minLength: 1, maxLength: 6 });
/** The block as the file or the model may have it: each line indented by one base plus its own depth, maybe with trailing whitespace. */
const variant = (lines: readonly string[]) =>
  fc.tuple(indent, fc.array(fc.tuple(fc.constantFrom('', '  '), trailing), { minLength: lines.length, maxLength: lines.length })).map(([base, extras]) =>
    lines.map((l, i) => base + (extras[i] as [string, string])[0] + l + (extras[i] as [string, string])[1]),
  );
const text = (lines: readonly string[]) => lines.join('\n');

describe('edit matching properties', () => {
  it('an old_string that occurs once is replaced exactly there, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(codeLine('abcxyz'), { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 20 }), (lines, a, b, neu) => {
        const file = text(lines) + '\n';
        const from = a % file.length;
        const to = from + 1 + (b % Math.min(40, file.length - from));
        const old = file.slice(from, to);
        fc.pre(old.trim() !== '' && file.indexOf(old) === from && file.indexOf(old, from + 1) === -1 && neu !== old && neu.trim() !== '');
        const r = applyEdit(file, { oldString: old, newString: neu });
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.strategy).toBe('exact');
          // The one deliberate difference: a file that ended with a newline still does (textFormat.ts).
          const spliced = file.slice(0, from) + neu + file.slice(to);
          expect(r.content).toBe(spliced.endsWith('\n') ? spliced : `${spliced}\n`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an old_string found only by normalising, at two places, is never applied', () => {
    fc.assert(
      fc.property(
        block('abcde').chain((b) => fc.tuple(fc.constant(b), variant(b), variant(b), variant(b))),
        fc.array(codeLine('xyz'), { maxLength: 5 }),
        fc.array(codeLine('xyz'), { maxLength: 5 }),
        fc.array(codeLine('xyz'), { maxLength: 5 }),
        ([, first, second, old], before, middle, after) => {
          const file = text([...before, ...first, ...middle, ...second, ...after]) + '\n';
          const oldString = text(old);
          fc.pre(!file.includes(oldString));
          const r = applyEdit(file, { oldString, newString: 'replaced();' });
          expect(r.ok, r.ok ? `applied at line ${r.startLines.join(',')} by ${r.strategy}` : '').toBe(false);
          if (!r.ok) expect(r.reason).toBe('ambiguous');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a tolerant match changes nothing outside the place it matched', () => {
    fc.assert(
      fc.property(
        block('abcde').chain((b) => fc.tuple(variant(b), variant(b))),
        block('abcde'),
        fc.array(codeLine('xyz'), { maxLength: 8 }),
        fc.array(codeLine('xyz'), { maxLength: 8 }),
        ([inFile, old], neu, before, after) => {
          const file = text([...before, ...inFile, ...after]) + '\n';
          const oldString = text(old);
          const newString = text(neu);
          fc.pre(oldString !== newString);
          const r = applyEdit(file, { oldString, newString });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const out = r.content.split('\n');
          expect(out.slice(0, before.length)).toEqual(before);
          expect(out.slice(out.length - 1 - after.length, out.length - 1)).toEqual(after);
          // The matched place now holds the new lines (indentation and trailing whitespace aside).
          const placed = out.slice(before.length, out.length - 1 - after.length).map((l) => l.trim());
          expect(placed).toEqual(neu.map((l) => l.trim()));
        },
      ),
      { numRuns: 400 },
    );
  });
});
