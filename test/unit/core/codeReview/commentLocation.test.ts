import { describe, expect, it } from 'vitest';
import { applySuggestion, editorLines } from '../../../../src/core/codeReview/commentLocation';
import type { CheckedComment } from '../../../../src/core/codeReview/reviewSchema';

function c(over: Partial<CheckedComment>): CheckedComment {
  return { path: 'a.ts', line: 2, severity: 'warning', title: 't', body: 'b', fileLevel: false, ...over };
}

describe('editorLines', () => {
  it('is zero-based and inclusive, and undefined for a file-level comment', () => {
    expect(editorLines(c({ line: 2 }))).toEqual({ startLine: 1, endLine: 1 });
    expect(editorLines(c({ line: 2, endLine: 4 }))).toEqual({ startLine: 1, endLine: 3 });
    expect(editorLines(c({ line: 0, fileLevel: true, movedFrom: 9 }))).toBeUndefined();
  });
});

describe('applySuggestion', () => {
  it('replaces exactly the commented lines and keeps the final newline', () => {
    expect(applySuggestion('a\nb\nc\nd\n', c({ line: 2, endLine: 3, suggestion: 'B\nC2\nC3\n' }))).toEqual({ ok: true, text: 'a\nB\nC2\nC3\nd\n' });
    expect(applySuggestion('a\nb', c({ line: 2, suggestion: 'x' }))).toEqual({ ok: true, text: 'a\nx' });
  });

  it('keeps CRLF line endings', () => {
    expect(applySuggestion('a\r\nb\r\nc\r\n', c({ line: 1, suggestion: 'A\nA2' }))).toEqual({ ok: true, text: 'A\r\nA2\r\nb\r\nc\r\n' });
  });

  it('refuses file-level comments, comments without a suggestion and lines that no longer exist', () => {
    expect(applySuggestion('a\n', c({ line: 0, fileLevel: true, suggestion: 'x' }))).toMatchObject({ ok: false });
    expect(applySuggestion('a\n', c({ line: 1 }))).toEqual({ ok: false, reason: 'the comment has no suggestion' });
    expect(applySuggestion('a\nb\n', c({ line: 2, endLine: 5, suggestion: 'x' }))).toEqual({ ok: false, reason: 'the file has 2 lines now, fewer than line 5 the comment was made on' });
  });
});
