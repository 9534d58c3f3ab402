import { describe, it, expect } from 'vitest';
import { FoldedText, foldPunctuation, hasTypographic, punctuationKey, whitespaceKey } from '../../../../src/core/edits/normalize';
import { leadingWhitespace, reindent } from '../../../../src/core/edits/reindent';
import { applyEdit } from '../../../../src/core/edits/match';
import { decodeText, detectFormat, restoreFormat } from '../../../../src/core/edits/textFormat';

describe('normalize', () => {
  it('folds typographic punctuation to ASCII', () => {
    expect(foldPunctuation('\u201cit\u2019s\u201d \u2013 a\u00a0b\u2026')).toBe('"it\'s" - a b...');
    expect(hasTypographic('plain "ascii"')).toBe(false);
    expect(punctuationKey('  say(\u2018x\u2019)   now  ')).toBe("say('x') now");
    expect(whitespaceKey('\ta  =\t b ')).toBe('a = b');
  });

  it('maps folded offsets back to the source and refuses edges inside an ellipsis', () => {
    const src = 'ab\u2026cd\u201cx\u201d';
    const f = new FoldedText(src);
    expect(f.text).toBe('ab...cd"x"');
    expect(f.toSource(0)).toBe(0);
    expect(f.toSource(2)).toBe(2);
    expect(f.toSource(3)).toBeUndefined();
    expect(f.toSource(4)).toBeUndefined();
    expect(f.toSource(5)).toBe(3);
    expect(f.toSource(8)).toBe(6);
    expect(f.toSource(10)).toBe(src.length);
  });

  it('does not apply an edit whose match would split an ellipsis', () => {
    expect(applyEdit('wait\u2026 now\n', { oldString: '.. now', newString: 'x' })).toMatchObject({ ok: false, reason: 'not_found' });
    const r = applyEdit('wait\u2026 now\n', { oldString: 'wait... now', newString: 'go now' });
    expect(r).toMatchObject({ ok: true, content: 'go now\n', strategy: 'punctuation' });
  });
});

describe('reindent', () => {
  it('shifts by the delta and keeps relative depth', () => {
    expect(reindent(['a', '  b', '', 'c'], '', '    ')).toEqual(['    a', '      b', '', '    c']);
    expect(reindent(['    a', '        b'], '    ', '  ')).toEqual(['  a', '      b']);
  });

  it('moves lines shallower than the base by the same amount', () => {
    expect(reindent(['        a', '    }'], '        ', '    ')).toEqual(['    a', '}']);
  });

  it('converts between spaces and tabs when the bases show the ratio', () => {
    expect(reindent(['    a', '        b'], '    ', '\t')).toEqual(['\ta', '\t\tb']);
    expect(reindent(['\ta', '\t\tb'], '\t', '  ')).toEqual(['  a', '    b']);
    expect(leadingWhitespace(' \t x')).toBe(' \t ');
  });
});

describe('textFormat', () => {
  it('detects the dominant line ending, BOM and final newline', () => {
    expect(detectFormat('\uFEFFa\r\nb\r\nc\n')).toEqual({ bom: true, eol: '\r\n', finalNewline: true });
    expect(detectFormat('a\nb\r\nc')).toEqual({ bom: false, eol: '\n', finalNewline: false });
  });

  it('restores final newline state and BOM', () => {
    expect(restoreFormat('x', { bom: true, eol: '\r\n', finalNewline: true })).toBe('\uFEFFx\r\n');
    expect(restoreFormat('x\r\n', { bom: false, eol: '\r\n', finalNewline: false })).toBe('x');
    expect(restoreFormat('', { bom: false, eol: '\n', finalNewline: true })).toBe('');
  });

  it('refuses binary and invalid UTF-8 bytes', () => {
    expect(decodeText(Buffer.from('héllo', 'utf8'))).toBe('héllo');
    expect(decodeText(Buffer.from([0x61, 0x00, 0x62]))).toBeUndefined();
    expect(decodeText(Buffer.from([0x61, 0xff, 0x62]))).toBeUndefined();
  });
});

describe('applyEdit on mixed files and replace_all', () => {
  it('edits a file with mixed line endings without touching the other lines', () => {
    const file = 'a\r\nb\nc\r\nd\n';
    const r = applyEdit(file, { oldString: 'b\nc\n', newString: 'B\nC\n' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.content.startsWith('a\r\nB')).toBe(true);
    expect(r.content.endsWith('d\n')).toBe(true);
  });

  it('replaces every tolerant match with replace_all, each re-indented to its place', () => {
    const file = 'if (a) {\n  log("x");\n}\nif (b) {\n      log("x");\n}\n';
    const r = applyEdit(file, { oldString: 'log("x");', newString: 'log("y");', replaceAll: true });
    expect(r).toMatchObject({ ok: true, replacements: 2, strategy: 'exact' });
    const t = applyEdit('  x = 1  \n    x = 1 \n', { oldString: 'x = 1\n', newString: 'x = 2\n', replaceAll: true });
    expect(t).toMatchObject({ ok: true, content: '  x = 2\n    x = 2\n', strategy: 'line_trimmed', startLines: [1, 2] });
    // An exact hit decides the level: tolerant look-alikes elsewhere are not swept up by replace_all.
    const e = applyEdit('  x = 1  \n    x = 1\n', { oldString: 'x = 1\n', newString: 'x = 2\n', replaceAll: true });
    expect(e).toMatchObject({ ok: true, content: '  x = 1  \n    x = 2\n', strategy: 'exact' });
  });
});
