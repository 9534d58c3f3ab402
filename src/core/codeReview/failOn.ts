import { severityAtLeast, type ReviewResult, type Severity } from './reviewSchema';

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Whether a CI gate should fail: a comment at or above the threshold, or a request for changes,
 * unless the threshold is `never`. Comments moved to the file level still count: the problem is real
 * even when its line was not.
 */
export function reviewFails(r: ReviewResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold: Severity = failOn;
  return r.recommendation === 'request_changes' || r.comments.some((c) => severityAtLeast(c.severity, threshold));
}
