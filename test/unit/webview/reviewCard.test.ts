import { describe, expect, it } from 'vitest';
import type { ReviewSummaryItem } from '../../../src/shared/panelState';
import { reviewCardView } from '../../../src/webview/reviewCard';

const item: ReviewSummaryItem = {
  kind: 'review',
  id: 'review:1',
  description: 'uncommitted changes against HEAD (3f2a1c9)',
  summary: 'add() now subtracts.',
  recommendation: 'request_changes',
  counts: { error: 1, warning: 2, info: 0 },
  fileLevel: 1,
  files: 3,
  skipped: [{ path: 'logo.png', reason: 'binary file' }],
  notes: [],
  usage: { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0, costUsd: 0.0123 },
  model: 'scripted-model',
};

describe('review summary card', () => {
  it('shows the recommendation, counts by severity, skipped files and usage', () => {
    expect(reviewCardView(item)).toEqual({
      heading: 'Review of uncommitted changes against HEAD (3f2a1c9)',
      recommendation: 'Request changes',
      recommendationClass: 'request-changes',
      counts: '3 comments: 1 error, 2 warnings, 0 info (1 on whole files)',
      usage: '3 files · 1.5k tokens · $0.01 · scripted-model',
      skipped: ['logo.png: binary file'],
    });
  });

  it('says when there are no comments, and leaves out the model of a review that made no call', () => {
    const v = reviewCardView({ ...item, recommendation: 'approve', counts: { error: 0, warning: 0, info: 0 }, fileLevel: 0, files: 1, model: 'none', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 } });
    expect(v).toMatchObject({ recommendation: 'Approve', recommendationClass: 'approve', counts: 'No comments.', usage: '1 file · 0 tokens · $0' });
  });
});
