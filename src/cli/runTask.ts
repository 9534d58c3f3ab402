import { runAgent } from '../core/agent/loop';
import type { RunResult } from '../core/agent/runResult';
import { randomUUID } from 'node:crypto';
import { cliBudgets, GATEWAY_FLAG_OPTIONS, openCliGateway, parseGatewayFlags } from './gatewayFlags';
import { JournalStore } from '../adapters/journal/journalStore';
import { dailyGc, retentionFrom } from './gcCommand';
import { runsDir } from './runsCommand';
import type { CliResumeConfig } from './resumeCommand';
import { UsageError, type CliIo } from './cliIo';
import { parseCliArgs, resolveWorkspace } from './cliArgs';
import { gatewayEndpointFromFlagsAndEnv } from './gatewayFromEnv';
import { progressSink } from './progress';
import { buildCliSession } from './cliSession';
import { parseTier, type AutoApproveTier } from '../core/policy/autoApproval';
import { createTerminalOutput, terminalSafe } from './terminalOutput';
import { cancelOnSignals } from './signals';
import { envFileSecrets } from '../adapters/secrets/envFileSecrets';
import { exitCodeFor } from './exitCodes';

const OPTIONS = {
  workspace: { type: 'string' },
  'gateway-url': { type: 'string' },
  protocol: { type: 'string' },
  model: { type: 'string' },
  profile: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'auto-approve': { type: 'string' },
  'trust-workspace': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'max-turns': { type: 'string' },
  sandbox: { type: 'string' },
  image: { type: 'string' },
  allow: { type: 'string' },
  'allow-network': { type: 'boolean', default: false },
  'egress-allow': { type: 'string' },
  ...GATEWAY_FLAG_OPTIONS,
} as const;

export async function runTaskCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, true);
  const task = args.positionals.join(' ').trim();
  if (!task) throw new UsageError('no task given: agent-harness run [options] "TASK"');
  const root = await resolveWorkspace(args.values.workspace ?? process.cwd());
  const maxTurns = args.values['max-turns'] !== undefined ? positiveInt(args.values['max-turns'], '--max-turns') : undefined;
  const sandbox = args.values.sandbox;
  if (sandbox !== undefined && sandbox !== 'container' && sandbox !== 'local') throw new UsageError(`--sandbox must be container or local, got "${sandbox}"`);
  const allow = args.values.allow?.split(',').map((p) => p.trim()).filter(Boolean);
  const autoApprove = autoApproveTier(args.values.yes, args.values['auto-approve']);
  const egressAllow = args.values['egress-allow']?.split(',').map((h) => h.trim()).filter(Boolean);
  const retention = retentionFrom(io.env);
  // Configuration mistakes are reported before anything starts (a container, a model client).
  const endpoint = gatewayEndpointFromFlagsAndEnv({ gatewayUrl: args.values['gateway-url'], protocol: args.values.protocol }, io.env);
  const flags = await parseGatewayFlags(args.values);
  const budgets = cliBudgets(flags, io.env);
  // The governed gateway: one retry layer, fallbacks, breakers, rate limits, budgets, ledger, traces.
  const runId = randomUUID();
  const gateway = await openCliGateway({ ...endpoint, flags, env: io.env, onNotice: (t) => io.stderr(`agent-harness: ${t}\n`) });
  io.stderr(`agent-harness: usage ledger ${gateway.location.usageDir}, trace ${gateway.traceFile(runId)}\n`);
  // The workspace's .env values are kept out of every sink, like the key.
  for (const secret of await envFileSecrets(root)) gateway.redact.addSecret(secret);
  const out = createTerminalOutput(io.stderr, gateway.redact);
  let session;
  try {
    session = await buildCliSession({
      root,
      runId,
      task,
      io,
      autoApprove,
      out,
      trustWorkspace: args.values['trust-workspace'],
      egressAllow,
      profile: args.values.profile,
      sandbox,
      image: args.values.image,
      allow,
      allowNetwork: args.values['allow-network'],
      openModel: gateway.openModel,
      // The model: --model, else the profile's, else AGENT_HARNESS_MODEL.
      ...(args.values.model !== undefined ? { model: args.values.model } : {}),
      budgets,
      ...(maxTurns !== undefined ? { maxTurns } : {}),
    });
  } catch (e) {
    await gateway.finish();
    throw e;
  }

  // Every run is journaled, so a crash or a kill can be resumed without paying for completed calls.
  const journal = await new JournalStore({ dir: runsDir(io.env), redact: gateway.redact }).create(runId);
  io.stderr(`agent-harness: run ${runId} journaled in ${journal.file} (after a crash: agent-harness resume ${runId})\n`);
  const resumeConfig: CliResumeConfig = {
    workspace: root,
    gateway: { url: endpoint.config.url, protocol: endpoint.config.protocol, model: session.run.model.model },
    profile: args.values.profile,
    yes: autoApprove !== 'off',
    autoApprove,
    trustWorkspace: args.values['trust-workspace'],
    ...(egressAllow ? { egressAllow } : {}),
    sandbox,
    image: args.values.image,
    allow,
    allowNetwork: args.values['allow-network'],
  };

  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  let result: RunResult;
  try {
    result = await runAgent({
      runId,
      journal,
      resumeConfig,
      task,
      ...session.run,
      signal: controller.signal,
      sinks: [...session.run.sinks, progressSink((t) => out.write(t))],
    });
    result = await session.finish(result);
  } finally {
    stopListening();
    out.flush();
    await session.dispose();
    await journal.close();
    await gateway.finish();
  }
  await dailyGc(io, retention);
  if (args.values.json) io.stdout(`${JSON.stringify(gateway.redact(result))}\n`);
  else if (result.output) io.stdout(`${terminalSafe(result.output, gateway.redact)}\n`);
  return exitCodeFor(result.status);
}

/** --yes is the `all` tier; --auto-approve names one. */
export function autoApproveTier(yes: boolean | undefined, value: string | undefined): AutoApproveTier {
  if (value === undefined) return yes ? 'all' : 'off';
  const tier = parseTier(value);
  if (!tier) throw new UsageError(`--auto-approve must be off, edits, commands or all, got "${value}"`);
  if (yes && tier !== 'all') throw new UsageError(`--yes means --auto-approve all; give one or the other, not --yes with --auto-approve ${tier}`);
  return tier;
}


function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive whole number, got "${v}"`);
  return n;
}

export { exitCodeFor };
