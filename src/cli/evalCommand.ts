import { costText } from '../shared/cost';
import { access, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { EvalReportSchema, type AttemptResult, type EvalReport } from '../core/eval/evalResults';
import { renderHtml, renderMarkdown } from '../core/eval/evalReport';
import { compareWithBaseline, type Comparison } from '../core/eval/gate';
import { loadSuite, SuiteError, type EvalSuite } from '../core/eval/suite';
import type { SandboxMode } from '../core/ports';
import { DEFAULT_PROFILE_NAME } from '../core/profiles/builtinProfiles';
import { parseCliArgs } from './cliArgs';
import { EXIT, UsageError, type CliIo } from './cliIo';
import { resolveProfile } from './cliSession';
import { parseCheck } from '../core/eval/checkRunner';
import { attemptsOf, runEval } from '../core/eval/runEval';
import { locateWasmDirs } from '../core/policy/command/wasmLocation';
import { cliEvalAssembler } from './evalAssembler';
import { GATEWAY_FLAG_OPTIONS, parseGatewayFlags } from './gatewayFlags';
import { gatewayFromFlagsAndEnv } from './gatewayFromEnv';
import { cancelOnSignals } from './signals';

const OPTIONS = {
  model: { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
  repeat: { type: 'string' },
  concurrency: { type: 'string' },
  sandbox: { type: 'string' },
  image: { type: 'string' },
  json: { type: 'boolean', default: false },
  report: { type: 'string' },
  baseline: { type: 'string' },
  gate: { type: 'boolean', default: false },
  'gateway-url': { type: 'string' },
  protocol: { type: 'string' },
  ...GATEWAY_FLAG_OPTIONS,
} as const;

/**
 * `agent-harness eval SUITE.yaml`: every case × model × profile × repeat as an isolated attempt on the
 * governed core, checks judged, a summary with confidence intervals, an optional report and a gate
 * against a baseline. Everything is validated before the first attempt: a bad suite, fixture, check
 * command, baseline or flag is exit 2 with nothing run.
 */
export async function runEvalCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, true);
  if (args.positionals.length !== 1) throw new UsageError('give one suite file: agent-harness eval SUITE.yaml [options]');
  const repeat = positiveInt(args.values.repeat ?? '1', '--repeat', 100);
  const concurrency = positiveInt(args.values.concurrency ?? '2', '--concurrency', 32);
  const sandbox = args.values.sandbox;
  if (sandbox !== undefined && sandbox !== 'container' && sandbox !== 'local') throw new UsageError(`--sandbox must be container or local, got "${sandbox}"`);
  const reportFile = args.values.report;
  const reportKind = reportFile === undefined ? undefined : /\.(md|markdown)$/i.test(reportFile) ? 'md' : /\.html?$/i.test(reportFile) ? 'html' : undefined;
  if (reportFile !== undefined && !reportKind) throw new UsageError(`--report must name a .md or .html file, got "${reportFile}"`);
  if (args.values.gate && !args.values.baseline) throw new UsageError('--gate compares with a baseline: give --baseline FILE.json (an earlier eval --json output)');

  const suite = await loadSuiteOrUsage(args.positionals[0]!);
  const baseline = args.values.baseline ? await loadBaseline(args.values.baseline) : undefined;
  const flags = await parseGatewayFlags(args.values);
  const models: Array<string | undefined> = args.values.model?.length ? args.values.model : [undefined];
  const profiles = args.values.profile?.length ? args.values.profile : [DEFAULT_PROFILE_NAME];
  // The gateway must be configured for every column before anything runs.
  for (const p of profiles) {
    const profile = await resolveProfile(suite.cases[0]!.workspaceDir, p);
    for (const m of models) gatewayFromFlagsAndEnv({ gatewayUrl: args.values['gateway-url'], protocol: args.values.protocol, model: m ?? profile.model }, io.env);
  }
  await validateChecks(suite, (sandbox as SandboxMode | undefined) ?? 'container', io.env);


  const plan = { suite, models, profiles, repeat, concurrency };
  const total = attemptsOf(plan).length;
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  const assembler = cliEvalAssembler({ io, gatewayUrl: args.values['gateway-url'], protocol: args.values.protocol, flags, sandbox: sandbox as SandboxMode | undefined, image: args.values.image });
  io.stderr(`agent-harness eval: ${suite.name}: ${total} attempt${total === 1 ? '' : 's'} (${suite.cases.length} cases × ${models.length} model${models.length === 1 ? '' : 's'} × ${profiles.length} profile${profiles.length === 1 ? '' : 's'} × ${repeat}), ${Math.min(concurrency, total)} at a time\n`);
  let report: EvalReport;
  try {
    report = await runEval(plan, assembler, controller.signal, (r, done) => io.stderr(progressLine(r, done, total)));
  } finally {
    stopListening();
  }
  const comparison = baseline ? compareWithBaseline(report, baseline, suite.gate) : undefined;

  const s = report.summary;
  io.stderr(`agent-harness eval: ${s.passed}/${s.attempts} passed (${pct(s.passRate)}, 95% CI ${pct(s.passRateCi95[0])}–${pct(s.passRateCi95[1])}), cost ${costText(s.costUsd, s.costUnknown, 4)}${s.costPerPass !== null ? ` (${costText(s.costPerPass, s.costUnknown, 4)} per pass)` : ''}\n`);
  for (const col of s.columns) io.stderr(`  ${col.model} / ${col.profile}: ${col.passed}/${col.attempts} (${pct(col.passRate)}, 95% CI ${pct(col.passRateCi95[0])}–${pct(col.passRateCi95[1])})\n`);
  if (comparison) printComparison(comparison, io);
  if (reportFile) {
    await writeFile(reportFile, reportKind === 'md' ? renderMarkdown(report, comparison) : renderHtml(report, comparison));
    io.stderr(`agent-harness eval: report written to ${reportFile}\n`);
  }
  if (args.values.json) io.stdout(`${JSON.stringify(report)}\n`);
  if (controller.signal.aborted) return EXIT.cancelled;
  if (args.values.gate && comparison && comparison.regressions.length > 0) {
    io.stderr(`agent-harness eval: gate failed: ${comparison.regressions.length} regression${comparison.regressions.length === 1 ? '' : 's'} against ${args.values.baseline}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

async function loadSuiteOrUsage(file: string): Promise<EvalSuite> {
  try {
    return await loadSuite(file);
  } catch (e) {
    if (e instanceof SuiteError) throw new UsageError(e.message);
    throw e;
  }
}

async function loadBaseline(file: string): Promise<EvalReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the baseline ${file}`);
  }
  // The baseline may be a whole --json capture: its last non-empty line is the report.
  const last = text.trim().split('\n').at(-1) ?? '';
  let parsed;
  try {
    parsed = EvalReportSchema.safeParse(JSON.parse(last));
  } catch {
    throw new UsageError(`the baseline ${file} is not JSON: give the output of agent-harness eval --json`);
  }
  if (!parsed.success) throw new UsageError(`the baseline ${file} is not an eval --json output: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Shell builtins a check may use; they are not programs to look for. */
const BUILTINS = new Set(['cd', 'test', '[', 'true', 'false', 'echo', 'printf', 'exit', 'export', 'set', 'unset', ':', 'pwd', 'command', 'type']);

/**
 * Every check command parses for the sandbox it will run in, and its programs exist: a path relative
 * to the fixture, or a program on PATH (in local mode on this machine; in the container the image
 * decides, so only paths are checked there).
 */
async function validateChecks(suite: EvalSuite, mode: SandboxMode, env: NodeJS.ProcessEnv): Promise<void> {
  for (const c of suite.cases) {
    if (!c.check) continue;
    const parsed = await parseCheck(c.check.command, mode, locateWasmDirs());
    if ('error' in parsed) throw new UsageError(`${suite.file}: case "${c.id}", field check.command: ${parsed.error}`);
    for (const seg of parsed.segments) {
      const prog = seg.argv[0]!;
      if (BUILTINS.has(prog)) continue;
      if (prog.includes('/')) {
        const at = path.resolve(c.workspaceDir, prog);
        if (!(await exists(at))) throw new UsageError(`${suite.file}: case "${c.id}", field check.command: ${prog} does not exist in the workspace ${c.workspace}`);
        continue;
      }
      if (mode === 'local' && !(await onPath(prog, env.PATH ?? ''))) throw new UsageError(`${suite.file}: case "${c.id}", field check.command: the program "${prog}" is not on PATH`);
    }
  }
}

const exists = (p: string) => access(p).then(() => true, () => false);

async function onPath(prog: string, PATH: string): Promise<boolean> {
  for (const dir of PATH.split(path.delimiter).filter(Boolean)) {
    if (await access(path.join(dir, prog), constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

function progressLine(r: AttemptResult, done: number, total: number): string {
  const head = `[${done}/${total}] ${r.case} · ${r.model} / ${r.profile} · #${r.attempt}: ${r.passed ? 'passed' : 'FAILED'}`;
  const facts = `(${r.turns} turn${r.turns === 1 ? '' : 's'}, ${costText(r.costUsd, r.costUnknown, 4)}, ${(r.durationMs / 1000).toFixed(1)} s)`;
  const why = r.passed ? '' : r.failures.map((f) => `\n    - ${f}`).join('');
  return `${head} ${facts}${why}\n`;
}

function printComparison(c: Comparison, io: CliIo): void {
  if (c.regressions.length === 0) io.stderr('agent-harness eval: no regressions against the baseline\n');
  for (const r of c.regressions) io.stderr(`  regression: ${r}\n`);
  for (const r of c.improvements) io.stderr(`  improvement: ${r}\n`);
  for (const r of c.notes) io.stderr(`  note: ${r}\n`);
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function positiveInt(v: string, flag: string, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${v}"`);
  return n;
}
