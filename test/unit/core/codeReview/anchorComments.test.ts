import { describe, expect, it } from 'vitest';
import { anchorComments, normalizePath } from '../../../../src/core/codeReview/anchorComments';
import type { FileDiff } from '../../../../src/core/codeReview/gitPort';
import type { CodeReviewComment } from '../../../../src/core/codeReview/reviewSchema';

// src/a.ts: new lines 10-13 are in the diff (10 context, 11-12 added, 13 context); 20-21 in a second hunk.
const FILES: FileDiff[] = [
  {
    path: 'src/a.ts',
    status: 'modified',
    binary: false,
    untracked: false,
    hunks: [
      { oldStart: 10, oldLines: 3, newStart: 10, newLines: 4, lines: [' ten', '-eleven', '+eleven!', '+eleven b', ' twelve'] },
      { oldStart: 19, oldLines: 1, newStart: 20, newLines: 2, lines: [' twenty', '+twenty-one'] },
    ],
  },
  { path: 'gone.ts', status: 'deleted', binary: false, untracked: false, hunks: [{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0, lines: ['-x'] }] },
  { path: 'img.png', status: 'modified', binary: true, untracked: false, hunks: [] },
  { path: 'docs/new.md', oldPath: 'docs/old.md', status: 'renamed', binary: false, untracked: false, hunks: [{ oldStart: 1, oldLines: 0, newStart: 1, newLines: 1, lines: ['+hi'] }] },
];

function c(over: Partial<CodeReviewComment>): CodeReviewComment {
  return { path: 'src/a.ts', line: 11, severity: 'warning', title: 'T', body: 'B', ...over };
}

describe('anchorComments', () => {
  it('keeps a comment on an added or context line as it is', () => {
    const r = anchorComments([c({ line: 11 }), c({ line: 13, severity: 'info' })], FILES);
    expect(r.comments).toEqual([
      { ...c({ line: 11 }), fileLevel: false },
      { ...c({ line: 13, severity: 'info' }), fileLevel: false },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('moves a comment on a line outside the diff to the file level, keeps the line it named, and says so', () => {
    const r = anchorComments([c({ line: 15, title: 'Off the diff' })], FILES);
    expect(r.comments).toEqual([{ ...c({ line: 0, title: 'Off the diff' }), fileLevel: true, movedFrom: 15 }]);
    expect(r.notes).toEqual(['Moved the comment on src/a.ts:15 ("Off the diff") to the file level: line 15 is not among the diff lines shown for review.']);
  });

  it('drops a comment on a file that is not in the diff, with a note', () => {
    const r = anchorComments([c({ path: 'src/other.ts', line: 3 })], FILES);
    expect(r.comments).toEqual([]);
    expect(r.notes[0]).toContain('Dropped the comment on src/other.ts:3');
  });

  it('puts comments on deleted and binary files at the file level', () => {
    const r = anchorComments([c({ path: 'gone.ts', line: 1 }), c({ path: 'img.png', line: 2 })], FILES);
    expect(r.comments.map((x) => [x.path, x.line, x.fileLevel, x.movedFrom])).toEqual([
      ['gone.ts', 0, true, 1],
      ['img.png', 0, true, 2],
    ]);
    expect(r.notes.join('\n')).toMatch(/the file is deleted[\s\S]*the file is binary/);
  });

  it('treats line 0 as an intended file-level comment without a note', () => {
    const r = anchorComments([c({ line: 0 })], FILES);
    expect(r.comments[0]).toMatchObject({ line: 0, fileLevel: true });
    expect(r.comments[0]!.movedFrom).toBeUndefined();
    expect(r.notes).toEqual([]);
  });

  it('maps a comment on the old path of a renamed file to the new path at the file level', () => {
    const r = anchorComments([c({ path: 'docs/old.md', line: 1 })], FILES);
    expect(r.comments[0]).toMatchObject({ path: 'docs/new.md', line: 0, fileLevel: true });
  });

  it('keeps a range inside one hunk and cuts a range where the diff stops', () => {
    const r = anchorComments([c({ line: 10, endLine: 13 }), c({ line: 12, endLine: 21, title: 'long' })], FILES);
    expect(r.comments[0]).toMatchObject({ line: 10, endLine: 13, fileLevel: false });
    expect(r.comments[1]).toMatchObject({ line: 12, endLine: 13, fileLevel: false });
    expect(r.notes).toEqual(['Shortened the comment on src/a.ts:12 ("long") to end at line 13: line 14 is not among the diff lines shown for review.']);
  });

  it('never leaves a suggestion on lines it was not written for: moved or cut comments carry it in the body', () => {
    const kept = anchorComments([c({ line: 11, endLine: 12, suggestion: 'a\nb' })], FILES).comments[0]!;
    expect(kept.suggestion).toBe('a\nb');

    const moved = anchorComments([c({ line: 30, suggestion: 'fix()' })], FILES).comments[0]!;
    expect(moved.suggestion).toBeUndefined();
    expect(moved.body).toBe('B\n\nSuggested change (written for line 30):\nfix()');

    const cut = anchorComments([c({ line: 13, endLine: 20, suggestion: 'x' })], FILES).comments[0]!;
    expect(cut).toMatchObject({ line: 13, fileLevel: false });
    expect(cut.endLine).toBeUndefined();
    expect(cut.suggestion).toBeUndefined();
    expect(cut.body).toContain('written for lines 13-20');
  });

  it('accepts ./ prefixes, backslashes and absolute paths inside the workspace', () => {
    const r = anchorComments([c({ path: './src/a.ts' }), c({ path: 'src\\a.ts', line: 12 }), c({ path: '/ws/root/src/a.ts', line: 13 })], FILES, '/ws/root');
    expect(r.comments.map((x) => [x.path, x.line])).toEqual([
      ['src/a.ts', 11],
      ['src/a.ts', 12],
      ['src/a.ts', 13],
    ]);
    expect(normalizePath('/elsewhere/src/a.ts', '/ws/root')).toBe('/elsewhere/src/a.ts');
    expect(normalizePath('src/../../x', '/ws/root')).toBe('../x');
  });
});
