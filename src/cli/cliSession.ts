import path from 'node:path';
import type { RunResult } from '../core/agent/runResult';
import { assembleRun, type AssembledRunOptions } from '../core/session/assembleRun';
import { resolveRunProfile, type PrepareRunOptions } from '../core/session/prepareRun';
import type { BudgetChoice } from '../core/model/budgetChoice';
import { asUsageErrorAsync, usageErrorFor } from './gatewayFlags';
import type { ModelFactory } from '../core/model/modelFactory';
import type { RunLabel } from '../core/model/resilience/callRecord';
import type { Profile } from '../core/profiles/profile';
import { createFileLister, createTextSearcher } from '../adapters/search/ripgrepLocator';
import { openSandbox } from '../adapters/sandbox/openSandbox';
import { cliStateLocation } from '../adapters/ledger/stateLocation';
import { locateWasmDirs } from '../core/policy/command/wasmLocation';
import type { Approver } from '../core/policy/approvalsWrapper';
import { createPromptApprover } from '../core/policy/approvalsPrompt';
import { autoApprover, refuseUnattended, tierAppliesEdits, type AutoApproveTier } from '../core/policy/autoApproval';
import type { Taint } from '../core/policy/runSecurity';
import type { TerminalOutput } from './terminalOutput';
import { unattendedAsker } from '../core/tools/askUser';
import type { Sandbox, SandboxMode } from '../core/ports';
import { openMcpSession } from '../adapters/mcp/openMcpSession';
import { UsageError, type CliIo } from './cliIo';
import { Checkpoint } from '../core/edits/checkpoint';
import { formatPendingChanges } from './changeSetOutput';
import { checkpointsDir } from './checkpointCommand';
import { terminalAsker, terminalPrompt } from './terminalPrompt';
import { cliWorkspaceTrust } from './workspaceTrust';
import { credentialsFromEnv } from '../adapters/sandbox/sandboxEgress';
import { egressEntryProblem } from '../core/policy/egressPolicy';

export interface CliSessionOptions {
  root: string;
  /** The run's id: it names the run's checkpoint, journal and trace. */
  runId: string;
  task: string;
  io: CliIo;
  /**
   * What is approved without asking (--yes is `all`, --auto-approve picks a tier); `off` asks for
   * everything. No tier approves code execution, protected writes, network or a tainted run's commands.
   */
  autoApprove: AutoApproveTier;
  /** Where streamed command output and notices go (redacted, control sequences removed). */
  out: TerminalOutput;
  /** --trust-workspace: trust the workspace's skills and MCP servers for this run without asking. */
  trustWorkspace?: boolean;
  /** --egress-allow: hosts commands may reach besides the package registries (network on). */
  egressAllow?: readonly string[];
  profile?: string;
  /** Where commands run; default: the profile's sandbox mode. */
  sandbox?: SandboxMode;
  image?: string;
  /** Programs allowed for this run on top of the defaults and the profile's (--allow). */
  allow?: readonly string[];
  allowNetwork?: boolean;
  /** Who answers what the tier does not approve (team mode: a durable message); default: the terminal, or a refusal when nobody is there. */
  approver?: Approver;
  /** Wraps each tool's effect (team mode records it as a durable step). */
  recordEffects?: PrepareRunOptions['recordEffects'];
  /** Keep the checkpoint's originals elsewhere (team mode: inside the run's temporary directory). */
  checkpointsDir?: string;
  /** The one gateway factory (openCliGateway's, or a team worker's wrapping it). */
  openModel: ModelFactory;
  /** --model (a resume: the model the run had); else the profile's, else AGENT_HARNESS_MODEL. */
  model?: string;
  budgets: BudgetChoice;
  /** --max-turns, an eval case's turns. */
  maxTurns?: number;
  /** Work that is not a task run (an eval attempt, a team run). */
  label?: RunLabel;
}

/** One CLI run, assembled: runAgent's options, where its commands run, and what to do at the end. */
export interface CliSession {
  /** runAgent's options besides the run id, task, journal and signal; the CLI's own sinks go after `run.sinks`. */
  run: AssembledRunOptions;
  profile: Profile;
  /** The model the gateway was asked for (absent: AGENT_HARNESS_MODEL). */
  modelName?: string;
  /** Where the run's commands ran (absent when commands were disabled): an eval runs its checks there too. */
  sandbox?: Sandbox;
  /** Why commands were disabled (Docker is down, the image is missing), when they were. */
  commandsDisabled?: string;
  /** Settles the run's change set: without --yes nothing is written and the pending diff is printed. */
  finish(result: RunResult): Promise<RunResult>;
  dispose(): Promise<void>;
}

/** The built-in skills ship next to the bundle (dist/../skills), and next to src/ in a checkout. */
export function builtinSkillsDir(): string {
  return path.resolve(__dirname, '..', path.basename(__dirname) === 'cli' ? '../skills' : 'skills');
}

/** The CLI's ports for the core's one run assembly (assembleRun): terminal prompts, rg, Docker, checkpoints, MCP. */
export async function buildCliSession(opts: CliSessionOptions): Promise<CliSession> {
  // Originals of every file the run writes are kept, so `agent-harness checkpoint restore` undoes it.
  const checkpoint = await Checkpoint.open({ storeDir: opts.checkpointsDir ?? checkpointsDir(opts.io.env), runId: opts.runId, root: opts.root });
  const trust = cliWorkspaceTrust(opts.io, opts.trustWorkspace === true);
  // MCP servers from .agent-harness/mcp.json; one that fails (or that nobody approved) is reported below and left out.
  const mcp = await openMcpSession({ workspaceRoot: opts.root, workspaceTrusted: true, env: process.env, approveServer: (s) => trust.approveServer(s) });
  let sandbox: { sandbox: Sandbox } | { disabled: string } | undefined;
  let assembled;
  try {
    assembled = await assembleRun(
      {
        root: opts.root,
        task: opts.task,
        ...(opts.profile !== undefined ? { profileName: opts.profile } : {}),
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        budgets: opts.budgets,
        ...(opts.maxTurns !== undefined ? { limitOverrides: { maxTurns: opts.maxTurns } } : {}),
        ...(opts.label ? { label: opts.label } : {}),
      },
      {
        openModel: opts.openModel,
        openCommands: async (profile) => {
          sandbox = await openCliSandbox(opts, profile.sandbox);
          return 'sandbox' in sandbox
            ? { sandbox: sandbox.sandbox, allow: opts.allow, wasmDirs: locateWasmDirs(), onOutput: (chunk) => opts.out.write(chunk) }
            : { disabled: sandbox.disabled };
        },
        builtinSkillsDir: builtinSkillsDir(),
        searcher: await createTextSearcher(),
        lister: await createFileLister(),
        autoApproveEdits: tierAppliesEdits(opts.autoApprove),
        applyHooks: checkpoint.hooks(),
        approver: cliApprover(opts),
        asker: opts.io.interactive ? terminalAsker : unattendedAsker(),
        // A workspace skill's grants wait for a person's trust in its exact content.
        trustSkills: (skills) => trust.trustSkills(skills),
        extraTools: mcp.tools,
        toolApprovals: mcp.toolApprovals,
        ...(opts.recordEffects ? { recordEffects: opts.recordEffects } : {}),
        onTaint: (t: Taint) => {
          opts.out.flush();
          opts.io.stderr(`agent-harness: auto-approval suspended for this run: ${t.source} contained ${t.what}; commands that can run code or reach the network now need a person\n`);
        },
      },
    );
  } catch (e) {
    await mcp.close();
    if (sandbox && 'sandbox' in sandbox) await sandbox.sandbox.dispose();
    throw usageErrorFor(e);
  }
  const opened = sandbox;
  for (const n of assembled.notices) opts.io.stderr(`agent-harness: ${n}\n`);
  for (const p of assembled.prepared.problems) opts.io.stderr(`agent-harness: skipped ${p}\n`);
  for (const p of mcp.problems) opts.io.stderr(`agent-harness: ${p}\n`);
  const { changeSet } = assembled.prepared;
  return {
    run: assembled.options,
    profile: assembled.prepared.profile,
    ...(assembled.modelName !== undefined ? { modelName: assembled.modelName } : {}),
    ...(opened && 'sandbox' in opened ? { sandbox: opened.sandbox } : { commandsDisabled: opened?.disabled ?? 'commands are off' }),
    async finish(result) {
      // filesChanged reports what is on disk now, not what was proposed.
      const written = changeSet.list().filter((f) => f.state === 'applied').map((f) => f.path);
      opts.out.flush();
      if (changeSet.pending().length > 0) opts.io.stderr(formatPendingChanges(changeSet, { yes: tierAppliesEdits(opts.autoApprove), color: opts.io.interactive }));
      if (written.length > 0) opts.io.stderr(`agent-harness: to undo this run's file changes: agent-harness checkpoint restore ${opts.runId}\n`);
      return { ...result, filesChanged: written.sort() };
    },
    async dispose() {
      await mcp.close();
      if (opened && 'sandbox' in opened) await opened.sandbox.dispose();
    },
  };
}

/** The profile a run will use, or a usage error that names the problem (unknown profile, broken file). */
export async function resolveProfile(root: string, name: string | undefined): Promise<Profile> {
  return (await resolveProfileAndSource(root, name)).profile;
}

/** The profile and whether it is a built-in one (its limits are defaults nobody chose). */
export async function resolveProfileAndSource(root: string, name: string | undefined): Promise<{ profile: Profile; builtIn: boolean }> {
  const { found } = await asUsageErrorAsync(() => resolveRunProfile(root, name));
  return { profile: found.profile, builtIn: found.source === 'built-in' };
}

/**
 * What the tier covers is approved; the rest is asked on the terminal, or refused (saying why) when
 * nobody can answer. Denials always deny.
 */
function cliApprover(opts: CliSessionOptions): Approver {
  const prompt = (q: string, signal: AbortSignal) => {
    opts.out.flush();
    return terminalPrompt(q, signal);
  };
  const person = opts.approver ?? (opts.io.interactive ? createPromptApprover(prompt) : refuseUnattended(opts.autoApprove));
  return autoApprover(opts.autoApprove, person);
}

/**
 * Opens the sandbox the run asked for. Docker being down is not fatal: the run goes on without
 * command execution and the model is told why.
 */
async function openCliSandbox(opts: CliSessionOptions, profileMode: SandboxMode): Promise<{ sandbox: Sandbox } | { disabled: string }> {
  const mode = opts.sandbox ?? profileMode;
  const egress = egressFromEnv(opts.io.env, opts.egressAllow);
  for (const p of egress.problems) opts.io.stderr(`agent-harness: ${p}\n`);
  const r = await openSandbox({
    mode,
    workspaceRoot: opts.root,
    image: opts.image,
    allowNetwork: opts.allowNetwork,
    egress: { allow: egress.allow, credentials: egress.credentials },
    stateDir: cliStateLocation(opts.io.env).root,
    runId: opts.runId,
  });
  if (!r.ok) {
    opts.io.stderr(`agent-harness: ${r.message}\n`);
    return { disabled: r.message };
  }
  for (const n of r.notices) opts.io.stderr(`agent-harness: ${n}\n`);
  if (mode === 'local') opts.io.stderr('agent-harness: local mode is not a sandbox: commands run on this machine with your permissions\n');
  return { sandbox: r.sandbox };
}

/** The egress allowlist (--egress-allow and AGENT_HARNESS_EGRESS_ALLOW) and the credentials the proxy adds (AGENT_HARNESS_EGRESS_CREDENTIALS). */
function egressFromEnv(env: NodeJS.ProcessEnv, flag: readonly string[] | undefined) {
  const allow = [...(flag ?? []), ...(env.AGENT_HARNESS_EGRESS_ALLOW ?? '').split(',')].map((h) => h.trim()).filter(Boolean);
  const bad = allow.map(egressEntryProblem).find((p) => p !== undefined);
  if (bad) throw new UsageError(bad);
  const { credentials, problems } = credentialsFromEnv(env.AGENT_HARNESS_EGRESS_CREDENTIALS, env);
  return { allow, credentials, problems };
}
