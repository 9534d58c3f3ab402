import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAgent } from '../core/agent/loop';
import type { RunResult } from '../core/agent/runResult';
import { durableModel, durableTool } from '../core/durable/durableSteps';
import type { SandboxMode } from '../core/ports';
import type { TeamAlert, TeamLedger } from '../adapters/team/teamLedger';
import type { TeamRunDefinition, TeamRunResult, TeamStore } from '../adapters/team/teamStore';
import type { WorkflowEngine } from '../adapters/team/teamEngine';
import { teamMeteredModel } from '../adapters/team/teamMeteredModel';
import { envFileSecrets } from '../adapters/secrets/envFileSecrets';
import { buildCliSession } from '../cli/cliSession';
import { cliBudgets, openCliGateway, type GatewayFlags } from '../cli/gatewayFlags';
import { gatewayEndpointFromFlagsAndEnv } from '../cli/gatewayFromEnv';
import { parseFallback } from '../adapters/gateway/fallbackSpec';
import { PriceTableSchema } from '../core/model/pricing';
import { createTerminalOutput } from '../cli/terminalOutput';
import type { CliIo } from '../cli/cliIo';
import { checkout, restoreWorkspace, workspacePatch } from './checkout';
import { teamApprover } from './teamApprover';

/** What a worker brings to every run: its gateway settings and key (from its own environment), its sandbox. */
export interface WorkerSettings {
  workerId: string;
  gatewayUrl?: string;
  protocol?: string;
  flags: GatewayFlags;
  env: NodeJS.ProcessEnv;
  sandbox?: SandboxMode;
  image?: string;
  approvalTimeoutSeconds?: number;
  store: TeamStore;
  ledger: TeamLedger;
  log(line: string): void;
  /** Called with the run's abort controller while it runs (the worker aborts it on `team cancel`). */
  track(runId: string, controller: AbortController | undefined): void;
}

/**
 * One team run, as the body of its durable workflow: check the repository out at the submitted commit
 * into a temporary directory, assemble the run exactly as `agent-harness run` does (profile, skills,
 * policy, sandbox, governed gateway) with durable model calls, effects and approvals, and store the
 * answer and the proposed patch. The directory is removed afterwards. Recovered on another worker,
 * the same code replays the recorded steps: no model call is paid twice, no command runs twice, and
 * the workspace is rebuilt from the state recorded with each effect.
 */
export async function executeTeamRun(def: TeamRunDefinition & { commit: string }, engine: WorkflowEngine, w: WorkerSettings): Promise<TeamRunResult> {
  await w.store.markStarted(def.runId, w.workerId);
  w.log(`run ${def.runId} started (${def.team}: ${def.task.slice(0, 80)})`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), `${workDirPrefix(w.workerId)}`));
  const controller = new AbortController();
  w.track(def.runId, controller);
  try {
    const root = path.join(tmp, 'workspace');
    await checkout(def.repo, def.commit, root);
    const result = await runInCheckout(def, engine, w, root, tmp, controller);
    const state = result.status === 'completed' ? 'completed' : result.status === 'cancelled' ? 'cancelled' : 'failed';
    await w.store.finish(def.runId, state, result, result.error);
    w.log(`run ${def.runId} ${result.status}${result.error ? `: ${result.error}` : ''}`);
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const failed: TeamRunResult = { status: 'failed', output: '', error: message, patch: '', filesChanged: [], commandsRun: [], usage: emptyUsage(), modelCalls: 0, commit: def.commit };
    await w.store.finish(def.runId, 'failed', failed, message);
    w.log(`run ${def.runId} failed: ${message}`);
    return failed;
  } finally {
    w.track(def.runId, undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function runInCheckout(def: TeamRunDefinition & { commit: string }, engine: WorkflowEngine, w: WorkerSettings, root: string, tmp: string, controller: AbortController): Promise<TeamRunResult> {
  const endpoint = gatewayEndpointFromFlagsAndEnv({ gatewayUrl: w.gatewayUrl, protocol: def.gateway?.protocol ?? w.protocol }, w.env);
  // A worker's key only ever goes to the worker's own gateway: a run that names another one fails.
  if (def.gateway?.url !== undefined && !sameUrl(def.gateway.url, endpoint.config.url)) {
    throw new Error(`the run asks for the gateway ${def.gateway.url}, but this worker serves ${endpoint.config.url}; a worker's key only goes to its own gateway, so submit without --gateway-url or to a fleet on that gateway`);
  }
  const flags = runFlags(w.flags, def.gateway);
  const gateway = await openCliGateway({ ...endpoint, flags, env: w.env });
  for (const secret of await envFileSecrets(root)) gateway.redact.addSecret(secret);
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, env: w.env, interactive: false };
  const scratchIndex = path.join(tmp, 'effects.index');
  let session;
  try {
    session = await buildCliSession({
      root,
      runId: def.runId,
      task: def.task,
      io: quiet,
      // Edits go into the run's own checkout (the result is a patch for a person to apply); commands and
      // protected writes the tier does not approve wait for a person.
      autoApprove: def.yes ? 'all' : 'edits',
      out: createTerminalOutput(() => undefined, gateway.redact),
      profile: def.profile,
      sandbox: w.sandbox,
      image: w.image,
      approver: teamApprover({ runId: def.runId, store: w.store, engine, timeoutSeconds: w.approvalTimeoutSeconds, redact: (t) => gateway.redact(t) }),
      recordEffects: (tool) =>
        durableTool(tool, engine.steps, {
          afterEffect: () => workspacePatch(root, def.commit, scratchIndex),
          onReplay: (patch: string) => restoreWorkspace(root, def.commit, patch),
        }),
      checkpointsDir: path.join(tmp, 'checkpoints'),
      // The governed client, metered against the team's budgets, with every call a durable step.
      openModel: async (request) => {
        const opened = await gateway.openModel(request);
        const metered = teamMeteredModel(opened.model, w.ledger, { runId: def.runId, team: def.team, profile: request.label?.profile ?? 'coder', stepKey: engine.stepKey, onAlerts: (alerts, webhook) => reportAlerts(alerts, webhook, w.log) });
        return { ...opened, model: durableModel(metered, engine.steps) };
      },
      ...(def.model !== undefined ? { model: def.model } : {}),
      budgets: cliBudgets(flags, w.env),
      label: { kind: 'team', tags: { team: def.team } },
    });
  } catch (e) {
    await gateway.finish();
    throw e;
  }
  const watch = setInterval(() => {
    void w.store.isCancelled(def.runId).then((c) => c && controller.abort(new Error('cancelled'))).catch(() => undefined);
  }, 1000);
  let ran: RunResult;
  try {
    ran = await runAgent({
      runId: def.runId,
      task: def.task,
      ...session.run,
      signal: controller.signal,
    });
  } finally {
    clearInterval(watch);
    await session.dispose();
    await gateway.finish();
  }
  const patch = await workspacePatch(root, def.commit, scratchIndex);
  const redact = (t: string) => gateway.redact(t);
  return {
    status: ran.status,
    output: redact(ran.output),
    ...(ran.error ? { error: redact(ran.error) } : {}),
    patch: redact(patch),
    filesChanged: filesIn(patch),
    commandsRun: ran.commandsRun.map(redact),
    usage: ran.usage,
    modelCalls: ran.attempts,
    commit: def.commit,
  };
}

/** The worker's gateway flags with the run's own on top (fallback models, run budgets, prices). */
function runFlags(worker: GatewayFlags, run: TeamRunDefinition['gateway']): GatewayFlags {
  if (!run) return worker;
  return {
    ...worker,
    ...(run.fallbackModels ? { fallbacks: run.fallbackModels.map(parseFallback) } : {}),
    ...(run.maxTokens !== undefined ? { maxTokens: run.maxTokens } : {}),
    ...(run.maxCostUsd !== undefined ? { maxCostUsd: run.maxCostUsd } : {}),
    ...(run.prices ? { prices: PriceTableSchema.parse({ ...(worker.prices ?? {}), ...run.prices }) } : {}),
  };
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const x = new URL(u);
      return `${x.protocol}//${x.host}${x.pathname.replace(/\/+$/, '')}`;
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

/** A worker's run directories are named after it, so it can remove what a killed earlier incarnation left. */
export function workDirPrefix(workerId: string): string {
  return `agent-harness-team-${workerId}--`;
}

/** The files a patch touches, from its `diff --git` headers. */
function filesIn(patch: string): string[] {
  const files = new Set<string>();
  for (const m of patch.matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)) files.add(m[2]!);
  return [...files].sort();
}

function emptyUsage(): TeamRunResult['usage'] {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costUsd: 0 };
}

/** An alert is a log line, an entry in `team usage`, and (when the team has one) a POST to its webhook. */
function reportAlerts(alerts: TeamAlert[], webhook: string | undefined, log: (line: string) => void): void {
  for (const a of alerts) {
    const used = a.measure === 'cost' ? `$${a.used.toFixed(4)} of $${a.budget.toFixed(2)}` : `${a.used} of ${a.budget} tokens`;
    log(`ALERT team ${a.team} reached ${a.threshold}% of its day budget (${used}, ${a.day} UTC)`);
  }
  if (!webhook) return;
  void fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'agent-harness.team.budget_alert', alerts }), signal: AbortSignal.timeout(10_000) })
    .then((r) => (r.ok ? undefined : log(`the budget alert webhook answered HTTP ${r.status}`)))
    .catch((e: unknown) => log(`the budget alert webhook failed: ${(e as Error).message}`));
}
