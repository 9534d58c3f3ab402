import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from '../agent/runResult';
import type { RunLabel } from '../model/resilience/callRecord';
import type { Sandbox } from '../ports';
import { runCheck } from './checkRunner';
import { summarize, type AttemptResult, type EvalReport } from './evalResults';
import { judgeAttempt, type CheckOutcome } from './judge';
import type { EvalSuite, ResolvedCase } from './suite';
import { changedFiles, snapshot } from './workspaceDiff';

/**
 * The eval runner, the same for the CLI and VS Code: each attempt on a fresh copy of its case's
 * workspace, the run assembled by the front end's governed composition (gateway, ledger, budgets,
 * policy, sandbox), then the checks in the run's sandbox, judged; attempts in parallel.
 */

/** One run the front end assembled for an attempt. */
export interface AttemptRun {
  /** The model the run asks for (the column's label). */
  readonly model: string;
  /** Runs the agent; `turns` counts model calls. */
  run(signal: AbortSignal): Promise<{ result: RunResult; turns: number }>;
  /** Where its commands ran, or why commands were disabled. */
  commands(): Sandbox | string | undefined;
  dispose(): Promise<void>;
}

export interface AttemptRequest {
  root: string;
  task: string;
  /** --model / the picked model; undefined: the profile's model, else the configured one. */
  model?: string;
  profile: string;
  label: RunLabel;
  /** The case's max_cost_usd: the run's cost budget. */
  maxCostUsd?: number;
  maxTurns?: number;
}

/** How a front end assembles a governed run without asking anyone: edits applied, commands as the policy allows. */
export interface EvalAssembler {
  open(request: AttemptRequest): Promise<AttemptRun>;
  /** Folders with the shell grammar, to parse check commands. */
  readonly wasmDirs: readonly string[];
}

export interface AttemptSpec {
  suite: EvalSuite;
  evalCase: ResolvedCase;
  model?: string;
  profile: string;
  attempt: number;
}

/** Never throws: a run that cannot start is a failed attempt that says why. */
export async function runAttempt(spec: AttemptSpec, assembler: EvalAssembler, signal: AbortSignal): Promise<AttemptResult> {
  const started = Date.now();
  const c = spec.evalCase;
  const dir = await mkdtemp(path.join(os.tmpdir(), `ah-eval-${c.id}-`));
  let model = spec.model ?? '';
  let result: RunResult | undefined;
  let turns = 0;
  try {
    // mkdtemp makes the folder private to this user; a dev container's user must read it as it reads any workspace.
    await chmod(dir, 0o755);
    await cp(c.workspaceDir, dir, { recursive: true, verbatimSymlinks: true });
    const before = await snapshot(dir);
    const run = await assembler.open({
      root: dir,
      task: c.task,
      ...(spec.model !== undefined ? { model: spec.model } : {}),
      profile: spec.profile,
      label: { kind: 'eval', tags: { suite: spec.suite.name, case: c.id, attempt: String(spec.attempt) } },
      ...(c.max_cost_usd !== undefined ? { maxCostUsd: c.max_cost_usd } : {}),
      ...(c.max_turns !== undefined ? { maxTurns: c.max_turns } : {}),
    });
    model = run.model;
    let check: CheckOutcome | undefined;
    try {
      ({ result, turns } = await run.run(signal));
      if (c.check && !signal.aborted) check = await runCheck(run.commands(), c.check.command, c.check.timeout_seconds, assembler.wasmDirs);
    } finally {
      await run.dispose();
    }
    const failures = judgeAttempt(c, result, changedFiles(before, await snapshot(dir)), check);
    return attemptResult(spec, model, result, turns, failures, started);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return attemptResult(spec, model, result, turns, [`the attempt could not run: ${why}`], started);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function attemptResult(spec: AttemptSpec, model: string, result: RunResult | undefined, turns: number, failures: string[], started: number): AttemptResult {
  return {
    case: spec.evalCase.id,
    model: model || '(unknown)',
    profile: spec.profile,
    attempt: spec.attempt,
    passed: failures.length === 0,
    failures,
    turns,
    inputTokens: result?.usage.inputTokens ?? 0,
    outputTokens: result?.usage.outputTokens ?? 0,
    costUsd: result?.usage.costUsd ?? 0,
    ...(result?.usage.costUnknown ? { costUnknown: true } : {}),
    durationMs: Date.now() - started,
    ...(result ? { status: result.status } : {}),
  };
}

export interface EvalPlan {
  suite: EvalSuite;
  /** One column per model × profile; an undefined model is the profile's or the configured one. */
  models: ReadonlyArray<string | undefined>;
  profiles: readonly string[];
  repeat: number;
  concurrency: number;
}

export function attemptsOf(plan: EvalPlan): AttemptSpec[] {
  const specs: AttemptSpec[] = [];
  for (const evalCase of plan.suite.cases) for (const profile of plan.profiles) for (const model of plan.models) for (let n = 1; n <= plan.repeat; n++) specs.push({ suite: plan.suite, evalCase, model, profile, attempt: n });
  return specs;
}

/** Runs every attempt, at most `concurrency` at once, reporting each as it finishes; results in suite order. */
export async function runEval(plan: EvalPlan, assembler: EvalAssembler, signal: AbortSignal, onAttempt?: (r: AttemptResult, done: number, total: number) => void): Promise<EvalReport> {
  const specs = attemptsOf(plan);
  const started = Date.now();
  const out = new Array<AttemptResult>(specs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < specs.length && !signal.aborted) {
      const i = next++;
      const r = await runAttempt(specs[i]!, assembler, signal);
      out[i] = r;
      onAttempt?.(r, ++done, specs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, specs.length)) }, worker));
  return summarize(plan.suite.name, out.filter((r) => r !== undefined), Date.now() - started);
}
