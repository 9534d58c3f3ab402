import { formatMarkdown } from './markdownFormat';
import type { ReviewResult } from './reviewSchema';
import { formatSarif } from './sarifFormat';

export const REVIEW_FORMATS = ['markdown', 'json', 'sarif'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/** JSON is the ReviewResult itself (the schema plus usage, skipped files and notes). */
export function formatReview(r: ReviewResult, format: ReviewFormat, opts: { toolVersion?: string; category?: string } = {}): string {
  if (format === 'markdown') return formatMarkdown(r);
  if (format === 'sarif') return formatSarif(r, opts);
  return `${JSON.stringify(r, null, 2)}\n`;
}
