import { randomUUID } from 'node:crypto';
import { runAgent } from '../core/agent/loop';
import type { AttemptRequest, AttemptRun, EvalAssembler } from '../core/eval/runEval';
import { locateWasmDirs } from '../core/policy/command/wasmLocation';
import type { SandboxMode } from '../core/ports';
import { envFileSecrets } from '../adapters/secrets/envFileSecrets';
import type { CliIo } from './cliIo';
import { buildCliSession } from './cliSession';
import { cliBudgets, openCliGateway, type GatewayFlags } from './gatewayFlags';
import { gatewayEndpointFromFlagsAndEnv } from './gatewayFromEnv';
import { createTerminalOutput } from './terminalOutput';

export interface CliEvalOptions {
  io: CliIo;
  gatewayUrl?: string;
  protocol?: string;
  flags: GatewayFlags;
  sandbox?: SandboxMode;
  image?: string;
}

/**
 * The CLI's runs for eval attempts: the same gateway (ledger, budgets, breakers, traces) and session
 * (profile, skills, policy, sandbox) as `agent-harness run`, labelled as the eval's; edits applied
 * without asking (the copy is thrown away), commands as the policy allows, nobody asked. What a run
 * prints (sandbox notices, pending changes) is kept out of the eval's progress.
 */
export function cliEvalAssembler(opts: CliEvalOptions): EvalAssembler {
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, env: opts.io.env, interactive: false };
  return {
    wasmDirs: locateWasmDirs(),
    async open(req: AttemptRequest): Promise<AttemptRun> {
      const endpoint = gatewayEndpointFromFlagsAndEnv({ gatewayUrl: opts.gatewayUrl, protocol: opts.protocol }, opts.io.env);
      const gateway = await openCliGateway({ ...endpoint, flags: opts.flags, env: opts.io.env });
      const runId = randomUUID();
      try {
        for (const secret of await envFileSecrets(req.root)) gateway.redact.addSecret(secret);
        const out = createTerminalOutput(() => undefined, gateway.redact);
        const session = await buildCliSession({
          root: req.root,
          runId,
          task: req.task,
          io: quiet,
          autoApprove: 'edits',
          out,
          profile: req.profile,
          sandbox: opts.sandbox,
          image: opts.image,
          openModel: gateway.openModel,
          ...(req.model !== undefined ? { model: req.model } : {}),
          budgets: cliBudgets({ ...opts.flags, ...(req.maxCostUsd !== undefined ? { maxCostUsd: req.maxCostUsd } : {}) }, opts.io.env),
          ...(req.maxTurns !== undefined ? { maxTurns: req.maxTurns } : {}),
          label: req.label,
        });
        return {
          model: session.run.model.model,
          async run(signal) {
            let turns = 0;
            const ran = await runAgent({
              runId,
              task: req.task,
              ...session.run,
              signal,
              sinks: [...session.run.sinks, (ev) => void (ev.type === 'model_call_started' && turns++)],
            });
            return { result: await session.finish(ran), turns };
          },
          commands: () => session.sandbox ?? session.commandsDisabled,
          async dispose() {
            try {
              await session.dispose();
            } finally {
              await gateway.finish();
            }
          },
        };
      } catch (e) {
        await gateway.finish();
        throw e;
      }
    },
  };
}
