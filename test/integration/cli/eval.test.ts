import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EvalReportSchema, type EvalReport } from '../../../src/core/eval/evalResults';
import { conversationResponder, type Conversation } from '../../support/scriptedServer/conversations';
import { loadScenario } from '../../support/scriptedServer/turn';
import { testImage } from '../sandbox/dockerTestSupport';
import { expectNoStack, runCli } from './runCli';
import { tempDir, useScriptedServer } from '../../support/fixtures';

/**
 * `agent-harness eval` end to end: the repository's example suite run offline by the real CLI against
 * the scripted model server (one scripted conversation per case), with real checks in local mode and
 * in the container, the ledger and traces, reports, a baseline gate, and every kind of bad input.
 */
const EXAMPLES = path.resolve(__dirname, '../../../examples/evals');
const SUITE = path.join(EXAMPLES, 'demo.yaml');
const server = useScriptedServer();
let conversations: Conversation[];
let home: string;

beforeAll(async () => {
  conversations = (await loadScenario(path.join(EXAMPLES, 'scripted-model.json'))).conversations ?? [];
});
beforeEach(async () => {
  server.reset();
  server.respondWith(conversationResponder(conversations));
  home = await tempDir('ah-eval-home-');
});

const env = () => ({
  AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1`,
  AGENT_HARNESS_MODEL: 'gpt-4o',
  AGENT_HARNESS_API_KEY: 'sk-eval-test-0123456789abcdef',
  AGENT_HARNESS_HOME: home,
});

function lastReport(stdout: string): EvalReport {
  return EvalReportSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
}

/** The scripted conversations with one case's answer changed. */
function withCase(match: string, turns: Conversation['turns']): Conversation[] {
  return conversations.map((c) => (c.match === match ? { match, turns } : c));
}

describe('agent-harness eval on the example suite (offline, scripted model)', () => {
  it('runs every case on a fresh copy, judges the checks, and prints the report JSON last', async () => {
    const md = path.join(home, 'report.md');
    const html = path.join(home, 'report.html');
    const out = await runCli(['eval', SUITE, '--sandbox', 'local', '--repeat', '2', '--concurrency', '3', '--json', '--report', md], env());
    expect(out.code, out.stderr).toBe(0);
    const report = lastReport(out.stdout);
    expect(report.suite).toBe('demo');
    expect(report.results).toHaveLength(6);
    expect(report.results.map((r) => `${r.case}#${r.attempt}`)).toEqual(['fix-add#1', 'fix-add#2', 'add-greet#1', 'add-greet#2', 'read-port#1', 'read-port#2']);
    for (const r of report.results) {
      expect(r, JSON.stringify(r)).toMatchObject({ model: 'gpt-4o', profile: 'coder', passed: true, failures: [] });
      expect(r.turns).toBeGreaterThanOrEqual(2);
      expect(r.inputTokens).toBeGreaterThan(0);
      expect(r.costUsd).toBeGreaterThan(0);
    }
    expect(report.summary).toMatchObject({ passRate: 1, passed: 6, attempts: 6 });
    // Wilson at 6/6: the interval is honest about six attempts.
    expect(report.summary.passRateCi95[0]).toBeCloseTo(0.6097, 3);
    expect(report.summary.passRateCi95[1]).toBe(1);
    expect(report.summary.costPerPass).toBeCloseTo(report.summary.costUsd / 6, 6);
    // The fixtures themselves are untouched: every attempt worked on its own copy.
    expect(await readFile(path.join(EXAMPLES, 'fixtures/add/add.js'), 'utf8')).toContain('return a - b;');
    // Progress on stderr as attempts finish; the report a person reads.
    expect(out.stderr).toMatch(/\[6\/6\] .+: passed/);
    const mdText = await readFile(md, 'utf8');
    expect(mdText).toMatch(/\| fix-add \| ✅ 2\/2/);
    expect(mdText).toContain('gpt-4o / coder | 6/6 | 100%');
    // HTML is self-contained and escapes what it shows.
    const again = await runCli(['eval', SUITE, '--sandbox', 'local', '--report', html], env());
    expect(again.code, again.stderr).toBe(0);
    const htmlText = await readFile(html, 'utf8');
    expect(htmlText).toMatch(/^<!doctype html>/);
    expect(htmlText).not.toMatch(/<script|<link /);
    expect(htmlText).toContain('<th scope="row">read-port</th>');
  });

  it('records usage in the ledger under the eval and tags traces with the suite and case', async () => {
    const out = await runCli(['eval', SUITE, '--sandbox', 'local', '--json'], env());
    expect(out.code, out.stderr).toBe(0);
    const usage = await runCli(['usage', '--by', 'profile', '--json'], env());
    const rows = JSON.parse(usage.stdout.trim().split('\n').at(-1) ?? '{}').rows as Array<{ key: string; calls: number; costUsd: number }>;
    const row = rows.find((r) => r.key === 'eval demo (coder)');
    expect(row, usage.stdout).toBeDefined();
    const report = lastReport(out.stdout);
    expect(row!.calls).toBe(report.results.reduce((s, r) => s + r.turns, 0));
    expect(row!.costUsd).toBeCloseTo(report.summary.costUsd, 5);
    const traces = await readdir(path.join(home, 'traces'));
    const text = (await Promise.all(traces.map((f) => readFile(path.join(home, 'traces', f), 'utf8')))).join('');
    for (const id of ['fix-add', 'add-greet', 'read-port']) expect(text).toContain(`"agent.kind":"eval","agent.tags":{"suite":"demo","case":"${id}"`);
  });

  it('compares columns: each --model is a column with its own pass rate', async () => {
    const out = await runCli(['eval', SUITE, '--sandbox', 'local', '--model', 'gpt-4o', '--model', 'gpt-4o-mini', '--json'], env());
    expect(out.code, out.stderr).toBe(0);
    const report = lastReport(out.stdout);
    expect(report.summary.columns.map((c) => c.model)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(report.results.filter((r) => r.model === 'gpt-4o-mini')).toHaveLength(3);
  });

  it('fails the gate on a case that passed in the baseline and fails now, naming it and why', async () => {
    const base = await runCli(['eval', SUITE, '--sandbox', 'local', '--json'], env());
    expect(base.code, base.stderr).toBe(0);
    const baseline = path.join(home, 'baseline.json');
    await writeFile(baseline, base.stdout);
    // The model now "fixes" add() the wrong way: the check fails.
    server.respondWith(
      conversationResponder(
        withCase('Fix add.js', [
          { toolCalls: [{ name: 'edit_file', arguments: { path: 'add.js', old_string: 'return a - b;', new_string: 'return a * b;' } }] },
          { text: 'I fixed it.' },
        ]),
      ),
    );
    const md = path.join(home, 'gate.md');
    const out = await runCli(['eval', SUITE, '--sandbox', 'local', '--baseline', baseline, '--gate', '--json', '--report', md], env());
    expect(out.code).toBe(1);
    expectNoStack(out.stderr);
    expect(out.stderr).toMatch(/regression: gpt-4o \/ coder: pass rate 100% -> 66\.7%/);
    expect(out.stderr).toMatch(/regression: gpt-4o \/ coder: case fix-add passed 100% before, 0% now \(the check exited 1: node test.js/);
    expect(out.stderr).toMatch(/gate failed: \d+ regressions? against/);
    const report = lastReport(out.stdout);
    expect(report.results.find((r) => r.case === 'fix-add')?.failures[0]).toBe('the check exited 1: node test.js — AssertionError [ERR_ASSERTION]: add(2, 3) should be 5');
    expect(await readFile(md, 'utf8')).toContain('**Regression:**');
    // Without --gate the same comparison only reports.
    const reportOnly = await runCli(['eval', SUITE, '--sandbox', 'local', '--baseline', baseline], env());
    expect(reportOnly.code).toBe(0);
    expect(reportOnly.stderr).toMatch(/regression: .*case fix-add/);
  });

  it('fails the gate when the cost per pass rises by more than the suite allows', async () => {
    const base = await runCli(['eval', SUITE, '--sandbox', 'local', '--json'], env());
    const baseline = path.join(home, 'baseline.json');
    await writeFile(baseline, base.stdout);
    // Same answers, three times the tokens.
    const costly = conversations.map((c) => ({ match: c.match, turns: c.turns.map((t) => ('usage' in t && t.usage ? { ...t, usage: { input: (t.usage.input ?? 0) * 3, output: (t.usage.output ?? 0) * 3 } } : t)) }));
    server.respondWith(conversationResponder(costly));
    const out = await runCli(['eval', SUITE, '--sandbox', 'local', '--baseline', baseline, '--gate'], env());
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/regression: gpt-4o \/ coder: cost per pass \$\d+\.\d+ -> \$\d+\.\d+ \(\+\d+/);
  });

  it('applies the case budget per attempt: an attempt over max_cost_usd fails and says so', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'demo.yaml');
    const text = await readFile(suite, 'utf8');
    await writeFile(suite, text.replace('max_cost_usd: 0.05', 'max_cost_usd: 0.0001'));
    const out = await runCli(['eval', suite, '--sandbox', 'local', '--json'], env());
    expect(out.code, out.stderr).toBe(0);
    const fix = lastReport(out.stdout).results.find((r) => r.case === 'fix-add')!;
    expect(fix.passed).toBe(false);
    expect(fix.status).toBe('budget_exceeded');
    expect(fix.failures.join(' ')).toMatch(/budget_exceeded/);
  });
});

describe('agent-harness eval runs checks the way the run ran commands: in the container', () => {
  it('judges a check inside the dev container of the attempt', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'container.yaml');
    await writeFile(
      suite,
      ['name: in-container', 'cases:', '  - id: fix-add', '    workspace: fixtures/add', '    task: "Fix add.js so that `node test.js` passes."', '    check:', '      command: "grep -q \'a + b\' add.js && test -f test.js"', '    expect_changed: [add.js]', ''].join('\n'),
    );
    const pass = await runCli(['eval', suite, '--image', testImage, '--json'], env());
    expect(pass.code, pass.stderr).toBe(0);
    expect(lastReport(pass.stdout).results[0], pass.stdout).toMatchObject({ passed: true });
    server.respondWith(
      conversationResponder(withCase('Fix add.js', [{ toolCalls: [{ name: 'edit_file', arguments: { path: 'add.js', old_string: 'return a - b;', new_string: 'return b + a;' } }] }, { text: 'done' }])),
    );
    const fail = await runCli(['eval', suite, '--image', testImage, '--json'], env());
    expect(fail.code, fail.stderr).toBe(0);
    expect(lastReport(fail.stdout).results[0]!.failures).toEqual([expect.stringMatching(/^the check exited 1: grep -q 'a \+ b' add\.js && test -f test\.js/)]);
  });
});

describe('agent-harness eval refuses bad input before running anything (exit 2)', () => {
  async function expectUsage(args: string[], pattern: RegExp) {
    const out = await runCli(['eval', ...args], env());
    expect(out.code, out.stderr).toBe(2);
    expectNoStack(out.stderr);
    expect(out.stderr).toMatch(pattern);
    expect(server.requests).toHaveLength(0);
  }

  it('an unknown case field, naming the case and the field', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'demo.yaml');
    await writeFile(suite, (await readFile(suite, 'utf8')).replace('    expect_changed: [greet.js]', '    expect_changd: [greet.js]'));
    await expectUsage([suite, '--sandbox', 'local'], /case "add-greet": unknown field expect_changd/);
  });

  it('a missing fixture folder', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'demo.yaml');
    await writeFile(suite, (await readFile(suite, 'utf8')).replace('workspace: fixtures/server', 'workspace: fixtures/servr'));
    await expectUsage([suite, '--sandbox', 'local'], /case "read-port", field workspace: fixtures\/servr is not a directory/);
  });

  it('a check command whose program does not exist', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'demo.yaml');
    await writeFile(suite, (await readFile(suite, 'utf8')).replace('command: "node test.js"', 'command: "nodejs-that-is-not-here test.js"'));
    await expectUsage([suite, '--sandbox', 'local'], /case "fix-add", field check\.command: the program "nodejs-that-is-not-here" is not on PATH/);
  });

  it('a check script path that is not in the fixture', async () => {
    const dir = await copyExamples();
    const suite = path.join(dir, 'demo.yaml');
    await writeFile(suite, (await readFile(suite, 'utf8')).replace('command: "node test.js"', 'command: "./run-tests.sh"'));
    await expectUsage([suite, '--sandbox', 'local'], /case "fix-add", field check\.command: \.\/run-tests\.sh does not exist/);
  });

  it('a suite that is not YAML, a case that checks nothing, a missing suite, a gate without a baseline, a bad baseline', async () => {
    const dir = await copyExamples();
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'name: x\ncases: [\n');
    await expectUsage([broken], /not valid YAML/);
    const empty = path.join(dir, 'empty.yaml');
    await writeFile(empty, 'name: x\ncases:\n  - id: a\n    workspace: fixtures/add\n    task: do it\n');
    await expectUsage([empty], /case "a" checks nothing/);
    await expectUsage([path.join(dir, 'nope.yaml')], /cannot read the suite .*no such file/);
    await expectUsage([SUITE, '--gate'], /--gate compares with a baseline/);
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"suite": "demo"}\n');
    await expectUsage([SUITE, '--baseline', bad], /is not an eval --json output/);
    await expectUsage([SUITE, '--report', path.join(dir, 'r.pdf')], /--report must name a \.md or \.html file/);
  });
});

async function copyExamples(): Promise<string> {
  const dir = await tempDir('ah-eval-suite-');
  await cp(EXAMPLES, dir, { recursive: true });
  return dir;
}
