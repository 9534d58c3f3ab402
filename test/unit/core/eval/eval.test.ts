import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, wilson, type AttemptResult } from '../../../../src/core/eval/evalResults';
import { compareWithBaseline } from '../../../../src/core/eval/gate';
import { judgeAttempt } from '../../../../src/core/eval/judge';
import { parseSuite, SuiteError, type ResolvedCase } from '../../../../src/core/eval/suite';
import { renderHtml, renderMarkdown } from '../../../../src/core/eval/evalReport';
import { telling } from '../../../../src/core/eval/checkRunner';
import { tempDir } from '../../../support/fixtures';

const attempt = (over: Partial<AttemptResult>): AttemptResult => ({
  case: 'a', model: 'm', profile: 'coder', attempt: 1, passed: true, failures: [], turns: 2, inputTokens: 10, outputTokens: 5, costUsd: 0.01, durationMs: 5, ...over,
});

describe('wilson', () => {
  it('matches the textbook values and stays inside [0, 1]', () => {
    // 8 of 10 at 95%: [0.4902, 0.9433] (Wilson score interval).
    expect(wilson(8, 10)).toEqual([0.4902, 0.9433]);
    expect(wilson(0, 5)[0]).toBe(0);
    expect(wilson(5, 5)[1]).toBe(1);
    expect(wilson(5, 5)[0]).toBeCloseTo(0.5655, 4);
    expect(wilson(0, 0)).toEqual([0, 1]);
    for (let n = 1; n < 30; n++) for (let k = 0; k <= n; k++) {
      const [lo, hi] = wilson(k, n);
      expect(lo).toBeLessThanOrEqual(k / n + 1e-9);
      expect(hi).toBeGreaterThanOrEqual(k / n - 1e-9);
    }
  });
});

describe('the baseline gate', () => {
  const base = summarize('s', [attempt({ case: 'a' }), attempt({ case: 'b' }), attempt({ case: 'c', passed: false, failures: ['x'] })], 10);
  it('flags a case that passed before and fails now (default 0), with the reason', () => {
    const now = summarize('s', [attempt({ case: 'a' }), attempt({ case: 'b', passed: false, failures: ['the check exited 1'] }), attempt({ case: 'c' })], 10);
    const c = compareWithBaseline(now, base, { max_pass_rate_drop: 0, max_cost_increase: 0.2 });
    // The column's pass rate is unchanged (b fell, c rose), but b is a regression.
    expect(c.regressions).toEqual(['m / coder: case b passed 100% before, 0% now (the check exited 1)']);
  });
  it('tolerates a drop within max_pass_rate_drop and judges the column', () => {
    const now = summarize('s', [attempt({ case: 'a' }), attempt({ case: 'b', passed: false, failures: ['f'] }), attempt({ case: 'c', passed: false, failures: ['x'] })], 10);
    expect(compareWithBaseline(now, base, { max_pass_rate_drop: 0.4, max_cost_increase: 5 }).regressions).toEqual([]);
    expect(compareWithBaseline(now, base, { max_pass_rate_drop: 0.3, max_cost_increase: 5 }).regressions).toEqual([expect.stringMatching(/pass rate 66\.7% -> 33\.3%/)]);
    // Fewer passes for the same spend: the cost per pass doubled.
    expect(compareWithBaseline(now, base, { max_pass_rate_drop: 0.4, max_cost_increase: 0.2 }).regressions).toEqual([expect.stringMatching(/cost per pass \$0\.0150 -> \$0\.0300 \(\+100%\)/)]);
  });
  it('flags cost per pass above the allowed rise, not below it', () => {
    const now = (k: number) => summarize('s', [attempt({ case: 'a', costUsd: 0.01 * k }), attempt({ case: 'b', costUsd: 0.01 * k }), attempt({ case: 'c', passed: false, failures: ['x'], costUsd: 0.01 * k })], 10);
    expect(compareWithBaseline(now(1.19), base, { max_pass_rate_drop: 0, max_cost_increase: 0.2 }).regressions).toEqual([]);
    expect(compareWithBaseline(now(1.5), base, { max_pass_rate_drop: 0, max_cost_increase: 0.2 }).regressions[0]).toMatch(/cost per pass \$0\.0150 -> \$0\.0225 \(\+50%\)/);
  });
  it('compares only the same model and profile', () => {
    const now = summarize('s', [attempt({ model: 'other', passed: false, failures: ['x'] })], 10);
    const c = compareWithBaseline(now, base, { max_pass_rate_drop: 0, max_cost_increase: 0.2 });
    expect(c.regressions).toEqual([]);
    expect(c.notes).toEqual(['other / coder: not in the baseline, not compared', 'm / coder: in the baseline only, not compared']);
  });
});

describe('judging an attempt', () => {
  const run = { status: 'completed' as const, output: 'I fixed it', filesChanged: [], commandsRun: [], skillsUsed: [], usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 2, costUsd: 0.02 }, model: 'm', attempts: 1 };
  const c = { id: 'x', workspace: 'w', workspaceDir: '/w', task: 't', check: { command: 'node t.js' }, expect_changed: ['a.js'], expect_answer: 'fixed', answerPattern: /fixed/i, max_cost_usd: 0.01 } as ResolvedCase;
  it('lists every check that does not hold', () => {
    expect(judgeAttempt(c, run, ['a.js'], { exitCode: 0, timedOut: false, tail: '' })).toEqual(['cost $0.0200 is over the case\'s max_cost_usd of $0.01']);
    expect(judgeAttempt({ ...c, max_cost_usd: 1 }, { ...run, status: 'max_turns', output: 'gave up' }, ['b.js'], { exitCode: 1, timedOut: false, tail: 'FAIL' })).toEqual([
      'the run ended with max_turns',
      'the check exited 1: node t.js — FAIL',
      'expected changes to a.js, which did not change',
      'changed files it should not have: b.js',
      'the answer does not match /fixed/: gave up',
    ]);
  });
});

describe('the suite file', () => {
  it('names the case and field of a problem', async () => {
    const dir = await tempDir('ah-suite-');
    await mkdir(path.join(dir, 'w'));
    const f = path.join(dir, 's.yaml');
    const bad = async (yaml: string) => parseSuite(yaml, f).then(() => 'parsed', (e: unknown) => (e instanceof SuiteError ? e.message : `other: ${String(e)}`));
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    check: {command: x, retries: 2}\n')).toMatch(/case "one", field check: unknown field retries/);
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    max_turns: -1\n    expect_answer: ok\n')).toMatch(/case "one", field max_turns: /);
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    expect_answer: "("\n')).toMatch(/case "one", field expect_answer: not a regular expression/);
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    expect_answer: a\n  - id: one\n    workspace: w\n    task: t\n    expect_answer: a\n')).toMatch(/case "one" appears twice/);
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    expect_changed: [../x]\n')).toMatch(/must be a path inside the workspace/);
    expect(await bad('name: s\nbudget: 3\ncases:\n  - id: one\n    workspace: w\n    task: t\n    expect_answer: a\n')).toMatch(/the suite: unknown field budget/);
    expect(await bad('name: s\ncases:\n  - id: one\n    workspace: w\n    task: t\n    expect_answer: a\n')).toBe('parsed');
  });
});

describe('reports and check output', () => {
  it('escapes what they show', () => {
    const r = summarize('<suite>', [attempt({ case: 'a|b', passed: false, failures: ['<script>alert(1)</script>'] })], 10);
    const html = renderHtml(r);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(renderMarkdown(r)).toContain('| a\\|b |');
  });
  it('picks the line of a check output that says what failed', () => {
    expect(telling('node:assert:128\n  throw new AssertionError(obj);\n  ^\n\nAssertionError [ERR_ASSERTION]: add(2, 3) should be 5\n    at Object.<anonymous> (/t/test.js:4:8)\n\nNode.js v20.20.2\n')).toBe('AssertionError [ERR_ASSERTION]: add(2, 3) should be 5');
    expect(telling('collected 3 items\nFAILED tests/test_a.py::test_x - assert 1 == 2\n1 failed\n')).toBe('FAILED tests/test_a.py::test_x - assert 1 == 2');
    expect(telling('all good\nexit now\n')).toBe('exit now');
  });
});
