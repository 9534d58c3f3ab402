import type { ReviewSummaryItem } from '../shared/panelState';
import type { WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { renderMarkdown } from './markdown';
import { formatCost, formatTokens } from './viewModels';
import { t } from './strings';

/** The card's wording as plain strings, so it is tested in plain Node; renderReviewCard only places them. */
export interface ReviewCardView {
  heading: string;
  recommendation: string;
  recommendationClass: 'approve' | 'request-changes' | 'comment';
  counts: string;
  usage: string;
  skipped: string[];
}

const RECOMMENDATION: Record<ReviewSummaryItem['recommendation'], string> = {
  approve: 'Approve',
  request_changes: 'Request changes',
  comment: 'Comment',
};

export function reviewCardView(item: ReviewSummaryItem): ReviewCardView {
  const { error, warning, info } = item.counts;
  const total = error + warning + info;
  const counts =
    total === 0
      ? 'No comments.'
      : `${total} comment${total === 1 ? '' : 's'}: ${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info${item.fileLevel ? ` (${item.fileLevel} on whole files)` : ''}`;
  const u = item.usage;
  return {
    heading: `Review of ${item.description}`,
    recommendation: RECOMMENDATION[item.recommendation],
    recommendationClass: item.recommendation === 'request_changes' ? 'request-changes' : item.recommendation,
    counts,
    usage: `${item.files} file${item.files === 1 ? '' : 's'} · ${formatTokens(u.input + u.output + u.cacheRead + u.cacheWrite)} tokens · ${formatCost(u.costUsd, u.costUnknown)}${item.model && item.model !== 'none' ? ` · ${item.model}` : ''}`,
    skipped: item.skipped.map((s) => `${s.path}: ${s.reason}`),
  };
}

export function renderReviewCard(item: ReviewSummaryItem, send: (msg: WebviewMessage) => void): HTMLElement {
  const v = reviewCardView(item);
  const summary = h('div', { class: 'body md review-text' });
  summary.innerHTML = renderMarkdown(item.summary);
  return h('div', { class: `card review ${v.recommendationClass}` }, [
    h('div', { class: 'card-head' }, [h('span', { class: 'tool-name', text: t('review') }), h('span', { class: 'tool-title', text: v.heading })]),
    h('div', { class: `recommendation ${v.recommendationClass}`, text: `Recommendation: ${v.recommendation}` }),
    summary,
    h('div', { class: 'review-counts', text: v.counts }),
    v.skipped.length > 0 ? h('details', { class: 'review-skipped' }, [h('summary', { text: `${v.skipped.length} file(s) not reviewed` }), h('ul', {}, v.skipped.map((s) => h('li', { text: s })))]) : undefined,
    item.notes.length > 0 ? h('details', { class: 'review-notes' }, [h('summary', { text: t('How the review was made') }), h('ul', {}, item.notes.map((n) => h('li', { text: n })))]) : undefined,
    h('div', { class: 'tool-meta review-usage', text: v.usage }),
    h('div', { class: 'actions' }, [button(t('Review again'), () => send({ type: 'reviewDiff' }), 'secondary review-again')]),
  ]);
}
