import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReviewResultSchema } from '../../../src/core/codeReview/reviewSchema';
import { type ScriptedServer } from '../../support/scriptedServer/server';
import type { TestRepo } from '../../unit/adapters/git/gitRepo';
import { sarifProblems } from '../../unit/core/codeReview/sarifValidate';
import { expectNoStack, runCli } from '../cli/runCli';
import { repoWithChange } from './reviewRepo';
import { useScriptedServer } from '../../support/fixtures';

let repo: TestRepo;
const KEY = 'sk-review-cli-0123456789';

const server = useScriptedServer();
beforeEach(() => {
  server.reset();
  repo = repoWithChange({ path: 'src/list.js', lines: 30, line: 10, word: 'ten' });
});
afterEach(() => repo.dispose());

const env = { AGENT_HARNESS_GATEWAY_URL: '', AGENT_HARNESS_PROTOCOL: 'openai', AGENT_HARNESS_MODEL: 'gpt-4o', AGENT_HARNESS_API_KEY: KEY };
function gatewayEnv(): Record<string, string> {
  return { ...env, AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1` };
}

type Severity = 'info' | 'warning' | 'error';
function reviewTurn(recommendation: string, severities: Severity[]) {
  return {
    json: {
      summary: 'add() subtracts now.',
      recommendation,
      comments: severities.map((severity, i) => ({ path: i === 0 ? 'src/math.js' : 'src/list.js', line: i === 0 ? 2 : 10, severity, title: `${severity} finding`, body: 'Because.' })),
    },
    usage: { input: 1500, output: 90 },
  };
}

function review(args: string[], turns: unknown[]) {
  server.script(turns as Parameters<ScriptedServer['script']>[0]);
  return runCli(['review', '--workspace', repo.dir, '--explore-turns', '0', ...args], gatewayEnv());
}

describe('agent-harness review', () => {
  it('prints the JSON review, usage and cost on stderr, and fails the default gate on an error comment', async () => {
    const out = await review(['--format', 'json'], [reviewTurn('request_changes', ['error', 'info'])]);
    expectNoStack(out.stderr);
    expect(out.code).toBe(1);
    const result = ReviewResultSchema.parse(JSON.parse(out.stdout));
    expect(result.comments.map((c) => [c.path, c.line, c.severity])).toEqual([
      ['src/list.js', 10, 'info'],
      ['src/math.js', 2, 'error'],
    ]);
    expect(result.diff.files).toEqual(['src/list.js', 'src/math.js']);
    expect(out.stderr).toMatch(/agent-harness: review request_changes, 2 comment\(s\); tokens in 1500, out 90, cache read 0, cache write 0; cost \$\d+\.\d{4}/);
    expect(out.stderr).not.toContain(KEY);
  });

  it('prints Markdown for a pull-request comment', async () => {
    const out = await review(['--format', 'markdown', '--fail-on', 'never'], [reviewTurn('request_changes', ['error'])]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^## Code review: Request changes\n\nadd\(\) subtracts now\.\n/);
    expect(out.stdout).toContain('**Error** `src/math.js:2`: **error finding**');
  });

  it('prints SARIF 2.1.0 that validates', async () => {
    const out = await review(['--format', 'sarif', '--fail-on', 'never'], [reviewTurn('comment', ['warning', 'info'])]);
    expect(out.code).toBe(0);
    const log = JSON.parse(out.stdout);
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['note', 'warning']);
    expect(log.runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    ['error', 'comment', ['warning'], 0],
    ['warning', 'comment', ['warning'], 1],
    ['warning', 'approve', ['info'], 0],
    ['error', 'request_changes', [], 1],
    ['never', 'request_changes', ['error'], 0],
  ] as const)('--fail-on %s with %s and %j exits %d', async (failOn, rec, sev, code) => {
    const out = await review(['--format', 'json', '--fail-on', failOn], [reviewTurn(rec, [...sev])]);
    expect(out.code).toBe(code);
  });

  it('reviews only staged changes with --staged, and a branch against its base with --base', async () => {
    repo.git('add', 'src/math.js');
    const staged = await review(['--format', 'json', '--staged'], [reviewTurn('approve', [])]);
    expect(staged.code).toBe(0);
    expect(JSON.parse(staged.stdout).diff).toMatchObject({ selection: { kind: 'staged' }, files: ['src/math.js'] });

    repo.commitAll('wip');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/feature.js', 'module.exports = 1;\n');
    repo.commitAll('feature');
    const branch = await review(['--format', 'json', '--base', 'main'], [reviewTurn('approve', [])]);
    expect(branch.code).toBe(0);
    expect(JSON.parse(branch.stdout).diff).toMatchObject({ selection: { kind: 'branch', base: 'main' }, files: ['src/feature.js'] });
  });

  it('says there is nothing to review and exits 0 without a gateway', async () => {
    repo.commitAll('everything');
    const out = await runCli(['review', '--workspace', repo.dir, '--format', 'sarif'], {});
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('agent-harness: nothing to review: there are no uncommitted changes against HEAD');
    expect(sarifProblems(JSON.parse(out.stdout))).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('fails with exit 4 and a clear message when the answer never matches the schema', async () => {
    const bad = { json: { summary: 'x', recommendation: 'lgtm', comments: [] } };
    const out = await review(['--format', 'json'], [bad, bad]);
    expectNoStack(out.stderr);
    expect(out.code).toBe(4);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/agent-harness: the review could not be read: the model's answer did not match the schema after a retry/);
  });

  it('gives usage errors exit 2: bad flags, not a repository, unknown base ref', async () => {
    const both = await runCli(['review', '--workspace', repo.dir, '--staged', '--base', 'main'], gatewayEnv());
    expect(both).toMatchObject({ code: 2, stderr: 'agent-harness: --base and --staged cannot be combined: choose one diff to review\n' });
    const format = await runCli(['review', '--workspace', repo.dir, '--format', 'xml'], gatewayEnv());
    expect(format).toMatchObject({ code: 2, stderr: 'agent-harness: --format must be one of markdown, json, sarif, got "xml"\n' });
    const ref = await runCli(['review', '--workspace', repo.dir, '--base', 'nope'], gatewayEnv());
    expect(ref.code).toBe(2);
    expect(ref.stderr).toContain('unknown base ref "nope"');
    const dir = mkdtempSync(path.join(tmpdir(), 'ah-plain-'));
    try {
      const plain = await runCli(['review', '--workspace', dir], gatewayEnv());
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain('is not inside a git repository');
      expectNoStack(plain.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agent-harness review is governed like a run', () => {
  it('is in the usage ledger as a review, traced, and a spent day budget stops it before it sends anything', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ah-review-home-'));
    try {
      const envWithHome = { ...gatewayEnv(), AGENT_HARNESS_HOME: home };
      server.script([reviewTurn('approve', [])]);
      const out = await runCli(['review', '--workspace', repo.dir, '--explore-turns', '0', '--format', 'json'], envWithHome);
      expect(out.code, out.stderr).toBe(0);
      const usage = await runCli(['usage', '--by', 'profile', '--json'], envWithHome);
      const rows = JSON.parse(usage.stdout.trim().split('\n').at(-1)!).rows as Array<{ key: string; calls: number; inputTokens: number }>;
      expect(rows).toContainEqual(expect.objectContaining({ key: 'review (reviewer)', calls: 1, inputTokens: 1500 }));

      // The day is spent (1590 tokens today): with a 10-token day budget the review is refused up front.
      server.reset();
      server.script([reviewTurn('approve', [])]);
      const refused = await runCli(['review', '--workspace', repo.dir, '--explore-turns', '0', '--format', 'json'], { ...envWithHome, AGENT_HARNESS_MAX_TOKENS_PER_DAY: '10' });
      expect(refused.code).toBe(4);
      expectNoStack(refused.stderr);
      expect(refused.stderr).toMatch(/day.*budget|budget.*day/i);
      expect(server.requests).toHaveLength(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('takes --max-cost, and falls back to --fallback-model when the primary fails', async () => {
    server.script([{ fault: 'status', status: 503 }, { fault: 'status', status: 503 }, { fault: 'status', status: 503 }, { fault: 'status', status: 503 }, reviewTurn('approve', [])]);
    const out = await runCli(['review', '--workspace', repo.dir, '--explore-turns', '0', '--format', 'json', '--max-cost', '1', '--fallback-model', 'gpt-4o-mini'], gatewayEnv());
    expect(out.code, out.stderr).toBe(0);
    const models = server.requests.map((r) => (r.body as { model: string }).model);
    expect(models.at(-1)).toBe('gpt-4o-mini');
  });
});
