import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { JournalDamagedError } from '../core/journal/journalCodec';
import { JournalReplayError } from '../core/journal/replayState';
import type { ConfirmRerun } from '../core/journal/stepRecorder';
import { JournalStore, UnknownRunError } from '../adapters/journal/journalStore';
import { NotResumableError, resumeRun } from '../adapters/journal/resumeRun';
import { RunInUseError } from '../adapters/journal/runLock';
import type { RunResult } from '../core/agent/runResult';
import { EXIT, UsageError, type CliIo } from './cliIo';
import { parseCliArgs } from './cliArgs';
import { buildCliSession } from './cliSession';
import { cliBudgets, openCliGateway, type CliGateway } from './gatewayFlags';
import { gatewayEndpointFromFlagsAndEnv } from './gatewayFromEnv';
import { progressSink } from './progress';
import { cancelOnSignals } from './signals';
import { createTerminalOutput, terminalSafe } from './terminalOutput';
import { createRedactor } from '../core/trace/redact';
import { envFileSecrets } from '../adapters/secrets/envFileSecrets';
import { exitCodeFor } from './exitCodes';
import { runsDir } from './runsCommand';

/**
 * What `run` stores in the journal's start record so `resume` can rebuild the same session. Never the
 * API key: it is read from the environment again.
 */
export const CliResumeConfigSchema = z.object({
  workspace: z.string(),
  gateway: z.object({ url: z.string(), protocol: z.string(), model: z.string() }),
  profile: z.string().optional(),
  yes: z.boolean().default(false),
  /** The auto-approval tier (older journals have only `yes`, which meant every ask). */
  autoApprove: z.enum(['off', 'edits', 'commands', 'all']).optional(),
  trustWorkspace: z.boolean().optional(),
  egressAllow: z.array(z.string()).optional(),
  /** The sandbox flags of `run` (--sandbox, --image, --allow, --allow-network), so commands run under the same policy. */
  sandbox: z.enum(['container', 'local']).optional(),
  image: z.string().optional(),
  allow: z.array(z.string()).optional(),
  allowNetwork: z.boolean().optional(),
});
export type CliResumeConfig = z.infer<typeof CliResumeConfigSchema>;

const OPTIONS = {
  last: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  yes: { type: 'boolean' },
  'gateway-url': { type: 'string' },
  'runs-dir': { type: 'string' },
} as const;

const RESUMABLE = new Set(['interrupted', 'cancelled', 'failed']);

/** `agent-harness resume RUN_ID|--last [--json]`: continues a journaled run, with the same output as `run`. */
export async function runResumeCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, true);
  const redact = createRedactor([io.env.AGENT_HARNESS_API_KEY]);
  const store = new JournalStore({ dir: runsDir(io.env, args.values['runs-dir']), redact });
  const runId = await pickRun(store, args.positionals, args.values.last);
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller);
  const out = createTerminalOutput(io.stderr, redact);
  let finishSession: ((r: RunResult) => Promise<RunResult>) | undefined;
  let dispose: (() => Promise<void>) | undefined;
  let gateway: CliGateway | undefined;
  let result: RunResult;
  try {
    result = await resumeRun({
      store,
      runId,
      onNote: (n) => io.stderr(`agent-harness: ${n}\n`),
      confirmRerun: confirmOnTerminal(io, args.values.yes),
      build: async (start) => {
        const parsed = CliResumeConfigSchema.safeParse(start.resume);
        if (!parsed.success) throw new UsageError(`run ${runId} was not started by the CLI (its journal has no CLI settings); resume it where it was started`);
        const cfg = parsed.data;
        // The same governed gateway as the run had: ledger, trace, budgets (the day's spend counts), retries, breakers.
        const endpoint = gatewayEndpointFromFlagsAndEnv({ gatewayUrl: args.values['gateway-url'] ?? cfg.gateway.url, protocol: cfg.gateway.protocol }, io.env);
        gateway = await openCliGateway({ ...endpoint, flags: { fallbacks: [] }, env: io.env, onNotice: (t) => io.stderr(`agent-harness: ${t}\n`) });
        for (const secret of gateway.redact.secrets()) redact.addSecret(secret);
        const autoApprove = args.values.yes ? 'all' : (cfg.autoApprove ?? (cfg.yes ? 'all' : 'off'));
        for (const secret of await envFileSecrets(cfg.workspace)) redact.addSecret(secret);
        const session = await buildCliSession({
          root: cfg.workspace,
          runId: start.runId,
          task: start.task,
          io,
          autoApprove,
          out,
          trustWorkspace: cfg.trustWorkspace,
          ...(cfg.egressAllow ? { egressAllow: cfg.egressAllow } : {}),
          profile: cfg.profile,
          sandbox: cfg.sandbox,
          image: cfg.image,
          allow: cfg.allow,
          allowNetwork: cfg.allowNetwork,
          openModel: gateway.openModel,
          // The model the run had, whatever the profile or the environment say now.
          model: cfg.gateway.model,
          budgets: cliBudgets({ fallbacks: [] }, io.env),
        });
        finishSession = session.finish;
        dispose = session.dispose;
        // The journal keeps the run's own limits; the rest is the run's assembly, as `run` had it.
        const { limits: _limits, ...run } = session.run;
        return {
          ...run,
          signal: controller.signal,
          sinks: [...run.sinks, progressSink((t) => out.write(t))],
          resumeConfig: cfg,
        };
      },
    });
    if (finishSession) result = await finishSession(result);
  } catch (e) {
    if (e instanceof RunInUseError || e instanceof JournalDamagedError || e instanceof JournalReplayError) {
      io.stderr(`agent-harness: ${e.message}\n`);
      return EXIT.failed;
    }
    if (e instanceof UnknownRunError || e instanceof NotResumableError) throw new UsageError(e.message);
    throw e;
  } finally {
    stopListening();
    out.flush();
    await dispose?.();
    await gateway?.finish();
  }
  if (args.values.json) io.stdout(`${JSON.stringify(redact(result))}\n`);
  else if (result.output) io.stdout(`${terminalSafe(result.output, redact)}\n`);
  return exitCodeFor(result.status);
}

async function pickRun(store: JournalStore, positionals: string[], last: boolean): Promise<string> {
  if (last && positionals.length > 0) throw new UsageError('give either a RUN_ID or --last, not both');
  if (!last) {
    if (positionals.length !== 1) throw new UsageError('which run? agent-harness resume RUN_ID|--last (agent-harness runs lists them)');
    return positionals[0] as string;
  }
  const runs = await store.list();
  const candidate = runs.find((r) => RESUMABLE.has(r.status));
  if (!candidate) {
    const running = runs.filter((r) => r.status === 'running').map((r) => r.id);
    const note = running.length > 0 ? ` (still running in a live process: ${running.join(', ')})` : '';
    throw new UsageError(`no unfinished run to resume in ${store.dir}${note}`);
  }
  return candidate.id;
}

/**
 * An interrupted write or command may already have happened. With --yes it runs again; on a terminal
 * the person is asked; otherwise it is not re-run and the model is told to check its effect.
 */
function confirmOnTerminal(io: CliIo, yes: boolean | undefined): ConfirmRerun {
  return async (call, kind, why) => {
    if (yes) return true;
    if (!io.interactive) {
      io.stderr(`agent-harness: not running ${call.name} again: ${why} (pass --yes to run it again)\n`);
      return false;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`agent-harness: ${why}.\n  ${call.name} (${kind ?? 'unknown kind'}) ${call.arguments.slice(0, 300)}\nRun it again? [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}
