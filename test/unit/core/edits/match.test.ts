import { describe, it, expect } from 'vitest';
import { applyEdit, type EditOutcome } from '../../../../src/core/edits/match';
import { describeEditFailure } from '../../../../src/core/edits/editFeedback';

function ok(outcome: EditOutcome): Extract<EditOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('applyEdit exact', () => {
  it('replaces a unique exact match', () => {
    const r = ok(applyEdit('a\nb\nc\n', { oldString: 'b', newString: 'B' }));
    expect(r.content).toBe('a\nB\nc\n');
    expect(r.strategy).toBe('exact');
    expect(r.startLines).toEqual([2]);
  });

  it('refuses several matches without replace_all and lists candidates with line numbers', () => {
    const r = applyEdit('x = 1\ny = 2\nx = 1\n', { oldString: 'x = 1', newString: 'x = 3' });
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous', count: 2 });
    if (r.ok || r.reason !== 'ambiguous') throw new Error('unreachable');
    expect(r.candidates.map((c) => c.startLine)).toEqual([1, 3]);
    const msg = describeEditFailure('f.ts', r);
    expect(msg).toContain('line 1: x = 1');
    expect(msg).toContain('line 3: x = 1');
    expect(msg).toContain('replace_all');
  });

  it('replaces every match with replace_all', () => {
    const r = ok(applyEdit('x = 1\ny = 2\nx = 1\n', { oldString: 'x = 1', newString: 'x = 3', replaceAll: true }));
    expect(r.content).toBe('x = 3\ny = 2\nx = 3\n');
    expect(r.replacements).toBe(2);
  });

  it('prefers an exact hit over a tolerant one elsewhere', () => {
    const r = ok(applyEdit('x = 1;  \nx = 1;\n', { oldString: 'x = 1;\n', newString: 'x = 2;\n' }));
    expect(r.strategy).toBe('exact');
    expect(r.content).toBe('x = 1;  \nx = 2;\n');
  });

  it('rejects identical strings; an empty old_string fills an empty file or inserts at the start of one', () => {
    expect(applyEdit('a', { oldString: 'a', newString: 'a' })).toMatchObject({ ok: false, reason: 'no_change' });
    expect(ok(applyEdit('a\n', { oldString: '', newString: 'b' }))).toMatchObject({ content: 'b\na\n', strategy: 'insert_start' });
    expect(ok(applyEdit('', { oldString: '', newString: 'b\n' })).content).toBe('b\n');
  });
});

describe('applyEdit tolerant of whitespace, indentation and line endings', () => {
  it('matches despite trailing whitespace in the file', () => {
    const file = 'function f() {   \n  return 1;\t\n}\n';
    const r = ok(applyEdit(file, { oldString: 'function f() {\n  return 1;\n}', newString: 'function f() {\n  return 2;\n}' }));
    expect(r.strategy).toBe('line_trimmed');
    expect(r.content).toBe('function f() {\n  return 2;\n}\n');
  });

  it('re-indents the replacement by the indentation delta', () => {
    const file = 'class A {\n    method() {\n        a();\n    }\n}\n';
    const r = ok(applyEdit(file, { oldString: 'method() {\n    a();\n}', newString: 'method() {\n    a();\n    b();\n}' }));
    expect(r.strategy).toBe('line_trimmed');
    expect(r.content).toBe('class A {\n    method() {\n        a();\n        b();\n    }\n}\n');
  });

  it('converts space indentation to the file\u2019s tabs', () => {
    const file = 'if (x) {\n\t\tcall();\n}\n';
    const r = ok(applyEdit(file, { oldString: '        call();', newString: '        call();\n            more();' }));
    expect(r.content).toBe('if (x) {\n\t\tcall();\n\t\t\tmore();\n}\n');
  });

  it('matches LF old_string in a CRLF file and writes CRLF', () => {
    const file = 'one\r\ntwo\r\nthree\r\n';
    const r = ok(applyEdit(file, { oldString: 'one\ntwo\n', newString: 'one\n2\n' }));
    expect(r.strategy).toBe('line_endings');
    expect(r.content).toBe('one\r\n2\r\nthree\r\n');
  });

  it('matches CRLF old_string in an LF file', () => {
    const r = ok(applyEdit('a\nb\nc', { oldString: 'a\r\nb', newString: 'A\r\nB' }));
    expect(r.content).toBe('A\nB\nc');
  });

  it('keeps CRLF, BOM and the missing final newline through a tolerant edit', () => {
    const file = '\uFEFFa  \r\nb\r\nc';
    const r = ok(applyEdit(file, { oldString: 'a\nb\nc\n', newString: 'a\nB\nc\n' }));
    expect(r.strategy).toBe('line_trimmed');
    expect(r.content).toBe('\uFEFFa\r\nB\r\nc');
  });

  it('keeps the final newline when an edit at the end would drop it', () => {
    const r = ok(applyEdit('x\ny\n', { oldString: 'y\n', newString: 'z' }));
    expect(r.content).toBe('x\nz\n');
  });

  it('keeps the BOM on an exact edit of the first line', () => {
    const r = ok(applyEdit('\uFEFFfirst\nsecond\n', { oldString: 'first', newString: 'premier' }));
    expect(r.content).toBe('\uFEFFpremier\nsecond\n');
  });

  it('ignores blank padding lines around old_string and new_string alike', () => {
    const r = ok(applyEdit('a\n  b\nc\n', { oldString: '\nb\n\n', newString: '\nB\n\n' }));
    expect(r.content).toBe('a\n  B\nc\n');
  });

  it('is still ambiguous when two blocks match tolerantly', () => {
    const r = applyEdit('  x();\n\n    x();\n', { oldString: 'x(); ', newString: 'y();' });
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous', strategy: 'line_trimmed', count: 2 });
  });
});

describe('applyEdit tolerant of typographic punctuation', () => {
  it('matches curly quotes and dashes in the file with ASCII in old_string', () => {
    const file = 'const s = \u201chello\u201d; // it\u2019s a test \u2014 really\n';
    const r = ok(applyEdit(file, { oldString: '"hello"', newString: '"bye"' }));
    expect(r.strategy).toBe('punctuation');
    expect(r.content).toBe('const s = "bye"; // it\u2019s a test \u2014 really\n');
  });

  it('matches ASCII in the file with curly quotes, nbsp and ellipsis in old_string', () => {
    const file = "print('wait...')\nx = 1 - 2\n";
    const r = ok(applyEdit(file, { oldString: 'print(\u2018wait\u2026\u2019)\nx\u00a0= 1 \u2013 2', newString: "print('go')\nx = 3" }));
    expect(r.content).toBe("print('go')\nx = 3\n");
  });

  it('combines punctuation and indentation drift', () => {
    const file = '    say(\u201chi\u201d)  \n    done()\n';
    const r = ok(applyEdit(file, { oldString: 'say("hi")\ndone()', newString: 'say("yo")\ndone()' }));
    expect(r.strategy).toBe('punctuation_whitespace');
    expect(r.content).toBe('    say("yo")\n    done()\n');
  });
});

describe('applyEdit failure gives the closest region', () => {
  it('returns the best-scoring window with line numbers', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line number ${i} value = compute(${i});`);
    lines[120] = 'function target(alpha, beta) {';
    lines[121] = '  return alpha + beta;';
    lines[122] = '}';
    const r = applyEdit(lines.join('\n'), { oldString: 'function target(alpha, gamma) {\n  return alpha * gamma;\n}', newString: 'x' });
    expect(r).toMatchObject({ ok: false, reason: 'not_found' });
    if (r.ok || r.reason !== 'not_found') throw new Error('unreachable');
    expect(r.closest?.startLine).toBe(121);
    expect(r.closest?.endLine).toBe(123);
    const msg = describeEditFailure('src/a.ts', r);
    expect(msg).toContain('lines 121-123');
    expect(msg).toContain('121\tfunction target(alpha, beta) {');
  });
});

describe('applyEdit with line numbers copied from read_file', () => {
  it('strips "<n>\\t" prefixes from old_string and new_string when the plain text did not match', () => {
    const file = 'alpha\nbeta\ngamma\n';
    const r = ok(applyEdit(file, { oldString: '2\tbeta\n3\tgamma', newString: '2\tBETA\n3\tgamma' }));
    expect(r.content).toBe('alpha\nBETA\ngamma\n');
  });

  it('does not strip when the file really contains the prefixed text', () => {
    const file = '1\tone\n';
    const r = ok(applyEdit(file, { oldString: '1\tone', newString: '1\tuno' }));
    expect(r.content).toBe('1\tuno\n');
  });
});
