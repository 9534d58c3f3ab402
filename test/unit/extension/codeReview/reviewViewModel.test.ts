import { describe, expect, it } from 'vitest';
import { editorLines } from '../../../../src/core/codeReview/commentLocation';
import type { CheckedComment, ReviewResult } from '../../../../src/core/codeReview/reviewSchema';
import {
  baseRefProblem,
  COMMENT_PLAIN,
  COMMENT_WITH_SUGGESTION,
  defaultBaseRef,
  diagnosticView,
  DIFF_CHOICES,
  doneMessage,
  progressMessage,
  reviewSummaryItem,
  selectionFor,
  threadView,
} from '../../../../src/extension/codeReview/codeReviewViewModel';
import { PanelStateSchema, initialPanelState } from '../../../../src/shared/panelState';
import { reducePanel } from '../../../../src/extension/panel/panelReducer';
import { parseHostMessage, parseWebviewMessage } from '../../../../src/shared/protocol';

function comment(over: Partial<CheckedComment> = {}): CheckedComment {
  return { path: 'src/math.js', line: 2, severity: 'error', title: 'add subtracts', body: 'a - b is not a sum.', fileLevel: false, ...over };
}

function result(comments: CheckedComment[], over: Partial<ReviewResult> = {}): ReviewResult {
  return {
    summary: 'add() now subtracts.',
    recommendation: 'request_changes',
    comments,
    usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 1280, costUsd: 0.0123 },
    diff: { selection: { kind: 'uncommitted' }, description: 'uncommitted changes against HEAD (3f2a1c9)', files: ['src/math.js', 'logo.png'] },
    skipped: [{ path: 'logo.png', reason: 'binary file' }],
    notes: ['Dropped a comment on src/nope.js: not in the diff.'],
    model: 'scripted-model',
    ...over,
  };
}

describe('review comment threads', () => {
  it('puts a line comment on its zero-based lines with the severity in the label and the author', () => {
    const c = comment({ line: 2, endLine: 4 });
    const v = threadView(c, editorLines(c));
    expect(v).toMatchObject({ startLine: 1, endLine: 3, fileLevel: false, label: 'error: add subtracts', canApply: false, commentContext: COMMENT_PLAIN });
    expect(v.author).toBe('ERROR · lines 2-4');
    expect(v.body).toContain('**add subtracts**');
    expect(v.body).toContain('a - b is not a sum.');
  });

  it('labels a file-level comment as such, on line 0, and says where the review meant it', () => {
    const c = comment({ line: 0, fileLevel: true, movedFrom: 40, severity: 'warning', suggestion: 'x' });
    const v = threadView(c, editorLines(c));
    expect(v).toMatchObject({ startLine: 0, endLine: 0, fileLevel: true, label: 'warning: add subtracts (file-level)', canApply: false, commentContext: COMMENT_PLAIN });
    expect(v.author).toBe('WARNING · file-level');
    expect(v.body).toContain('named line 40');
    expect(v.body).toContain('apply it by hand');
  });

  it('offers Apply Suggestion only for a line comment with a suggestion, fenced so backticks cannot break out', () => {
    const c = comment({ suggestion: 'const s = `a ${b}`; // ```' });
    const v = threadView(c, editorLines(c));
    expect(v.canApply).toBe(true);
    expect(v.commentContext).toBe(COMMENT_WITH_SUGGESTION);
    expect(v.body).toContain('````\nconst s = `a ${b}`; // ```\n````');
  });

  it('escapes Markdown in the title, and an empty body says so', () => {
    const v = threadView(comment({ title: 'use <b> and *x*', body: '  ' }), { startLine: 0, endLine: 0 });
    expect(v.body).toContain('**use \\<b\\> and \\*x\\***');
    expect(v.body).toContain('_(no details)_');
  });
});

describe('review diagnostics', () => {
  it('maps severities to VS Code values and marks file-level comments', () => {
    expect(diagnosticView(comment({ severity: 'error' }), { startLine: 1, endLine: 1 })).toEqual({ startLine: 1, endLine: 1, severity: 0, message: 'add subtracts' });
    expect(diagnosticView(comment({ severity: 'warning' }), { startLine: 3, endLine: 5 }).severity).toBe(1);
    expect(diagnosticView(comment({ severity: 'info', fileLevel: true, line: 0 }), undefined)).toEqual({ startLine: 0, endLine: 0, severity: 2, message: 'add subtracts (file-level review comment)' });
  });
});

describe('review summary for the side panel', () => {
  it('counts comments by severity and carries skipped files, notes and usage', () => {
    const item = reviewSummaryItem(result([comment(), comment({ severity: 'warning' }), comment({ severity: 'error', fileLevel: true, line: 0 })]), 'review:1');
    expect(item).toMatchObject({
      kind: 'review',
      id: 'review:1',
      recommendation: 'request_changes',
      counts: { error: 2, warning: 1, info: 0 },
      fileLevel: 1,
      files: 2,
      skipped: [{ path: 'logo.png', reason: 'binary file' }],
      usage: { input: 1200, output: 80, cacheRead: 0, cacheWrite: 0, costUsd: 0.0123 },
    });
  });

  it('goes into the panel state through the reducer, and the state still validates as a protocol message', () => {
    const item = reviewSummaryItem(result([comment()]), 'review:2');
    const state = reducePanel(initialPanelState(), { type: 'review_summary', item });
    expect(state.items).toEqual([item]);
    expect(state.status).toBe('idle');
    expect(PanelStateSchema.safeParse(state).success).toBe(true);
    expect(parseHostMessage({ type: 'state', state })?.type).toBe('state');
    // A review card with a made-up recommendation is not a valid state.
    expect(parseHostMessage({ type: 'state', state: { ...state, items: [{ ...item, recommendation: 'ship it' }] } })).toBeUndefined();
  });

  it('the panel button message is part of the webview protocol', () => {
    expect(parseWebviewMessage({ type: 'reviewDiff' })).toEqual({ type: 'reviewDiff' });
    expect(parseWebviewMessage({ type: 'reviewDif' })).toBeUndefined();
  });

  it('says the outcome in one line', () => {
    expect(doneMessage(result([comment()]))).toBe('Review changes requested: 1 comment, 1 file(s) not reviewed.');
    expect(doneMessage(result([], { recommendation: 'approve', skipped: [] }))).toBe('Review approved: no comments.');
  });
});

describe('choosing the diff', () => {
  it('offers uncommitted first, then staged, then a branch', () => {
    expect(DIFF_CHOICES.map((c) => c.choice)).toEqual(['uncommitted', 'staged', 'branch']);
    expect(selectionFor('uncommitted')).toEqual({ kind: 'uncommitted' });
    expect(selectionFor('staged')).toEqual({ kind: 'staged' });
    expect(selectionFor('branch', ' origin/main ')).toEqual({ kind: 'branch', base: 'origin/main' });
  });

  it('refuses an empty, option-like or spaced base ref with a sentence', () => {
    expect(() => selectionFor('branch', '  ')).toThrow('Type a branch');
    expect(baseRefProblem('--output=/tmp/x')).toMatch(/cannot start with "-"/);
    expect(baseRefProblem('main; rm')).toMatch(/no spaces/);
    expect(baseRefProblem('v1.2')).toBeUndefined();
  });

  it('proposes the upstream as the base, else main', () => {
    expect(defaultBaseRef({ remote: 'origin', name: 'develop' })).toBe('origin/develop');
    expect(defaultBaseRef({ name: 'trunk' })).toBe('trunk');
    expect(defaultBaseRef(undefined)).toBe('main');
  });

  it('words each progress step', () => {
    expect(progressMessage({ type: 'diff', description: 'staged changes against HEAD', files: 3, parts: 2, skipped: 1 })).toBe('staged changes against HEAD: 3 file(s) in 2 parts, 1 skipped');
    expect(progressMessage({ type: 'exploring', part: 1, parts: 1 })).toBe('reading the workspace…');
    expect(progressMessage({ type: 'writing', part: 2, parts: 3 })).toBe('writing the review (part 2 of 3)…');
  });
});
