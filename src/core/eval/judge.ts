import type { RunResult } from '../agent/runResult';
import type { ResolvedCase } from './suite';

/** What an attempt's check command did; absent when the case has no check. */
export interface CheckOutcome {
  exitCode: number | null;
  timedOut: boolean;
  /** The end of its output, for the failure reason. */
  tail: string;
  /** The check could not run at all (no sandbox, a parse problem). */
  error?: string;
}

/**
 * Why an attempt failed, one sentence each; empty when every check of the case holds. The run must
 * have completed; the check command must exit 0; exactly the expected files changed; the answer
 * matches; the cost stays within the case's budget.
 */
export function judgeAttempt(c: ResolvedCase, run: RunResult, changed: readonly string[], check: CheckOutcome | undefined): string[] {
  const failures: string[] = [];
  if (run.status !== 'completed') failures.push(`the run ended with ${run.status}${run.error ? `: ${oneLine(run.error)}` : ''}`);
  if (c.check) {
    if (!check) failures.push('the check did not run');
    else if (check.error) failures.push(`the check could not run: ${oneLine(check.error)}`);
    else if (check.timedOut) failures.push(`the check timed out: ${c.check.command}`);
    else if (check.exitCode !== 0) failures.push(`the check exited ${check.exitCode ?? 'without a code'}: ${c.check.command}${check.tail ? ` — ${oneLine(check.tail)}` : ''}`);
  }
  if (c.expect_changed) {
    const want = new Set(c.expect_changed.map(normalise));
    const missing = [...want].filter((f) => !changed.includes(f));
    const extra = changed.filter((f) => !want.has(f));
    if (missing.length) failures.push(`expected changes to ${missing.join(', ')}, which did not change`);
    if (extra.length) failures.push(`changed files it should not have: ${extra.slice(0, 10).join(', ')}${extra.length > 10 ? ' …' : ''}`);
  }
  if (c.answerPattern && !c.answerPattern.test(run.output)) failures.push(`the answer does not match /${c.expect_answer}/: ${oneLine(run.output).slice(0, 160) || '(empty)'}`);
  if (c.max_cost_usd !== undefined && run.usage.costUsd > c.max_cost_usd) failures.push(`cost $${run.usage.costUsd.toFixed(4)} is over the case's max_cost_usd of $${c.max_cost_usd}`);
  return failures;
}

const normalise = (f: string) => f.replace(/\\/g, '/').replace(/^\.\//, '');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(-300);
