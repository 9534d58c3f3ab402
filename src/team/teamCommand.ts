import { EXIT, UsageError, type CliIo } from '../cli/cliIo';
import { exitCodeFor } from '../cli/exitCodes';
import { reportError } from '../cli/reportError';
import { RunStatusSchema } from '../core/agent/runResult';
import { parseCliArgs } from '../cli/cliArgs';
import { GATEWAY_FLAG_OPTIONS, parseGatewayFlags } from '../cli/gatewayFlags';
import { parseSince } from '../cli/usageCommand';
import { TeamError, maskUrl } from '../adapters/team/teamDatabase';
import { databaseUrl, withDatabase } from './teamDatabaseUrl';
import { initTeamSchema } from '../adapters/team/teamSchema';
import { TeamStore } from '../adapters/team/teamStore';
import { TeamLedger, type TeamUsageGrouping } from '../adapters/team/teamLedger';
import { TeamClient } from '../adapters/team/teamEngine';
import { TeamSubmitter } from './submitRun';
import { renderResult, renderRuns, renderStatus, renderUsage } from './teamOutput';

const COMMON = {
  'database-url': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export const TEAM_HELP = `agent-harness team: a fleet of headless agents on DBOS + PostgreSQL

  team init                     create or migrate the schema (idempotent)
  team worker [--concurrency N] [--id NAME] [--gateway-url URL] [--protocol P] [--model NAME]
              [--sandbox container|local] [--image NAME] [--approval-timeout SECONDS] [--drain SECONDS]
  team submit --repo PATH|URL [--ref REF] [--team NAME] [--profile NAME] [--model NAME] [--yes]
              [--gateway-url URL (must be the workers' own)] [--protocol P] [--fallback-model NAME]...
              [--max-tokens N] [--max-cost USD] [--prices FILE] "TASK"
  team status [RUN_ID]
  team approve RUN_ID CALL_ID|--all
  team reject RUN_ID CALL_ID [--reason TEXT]
  team cancel RUN_ID
  team result RUN_ID
  team usage [--by team|model|profile|day] [--since 7d]
  team budget TEAM [--day-tokens N] [--day-cost USD] [--webhook URL]

Every command takes --database-url URL (default AGENT_HARNESS_DATABASE_URL) and --json. Workers read the
gateway key from their own environment (AGENT_HARNESS_API_KEY or AGENT_HARNESS_API_KEY_FILE); nothing
secret is stored in the database.
`;

type Sub = (argv: string[], io: CliIo) => Promise<number>;

const SUBCOMMANDS: Record<string, Sub> = {
  init: initCommand,
  worker: async (argv, io) => (await import('./workerCommand')).workerCommand(argv, io),
  submit: submitCommand,
  status: statusCommand,
  approve: (argv, io) => decideCommand(argv, io, true),
  reject: (argv, io) => decideCommand(argv, io, false),
  cancel: cancelCommand,
  result: resultCommand,
  usage: usageCommand,
  budget: budgetCommand,
};

export async function runTeamCommand(argv: string[], io: CliIo): Promise<number> {
  quietDbosDeprecation();
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === 'help') {
    io.stdout(TEAM_HELP);
    return sub ? EXIT.ok : EXIT.usage;
  }
  try {
    const handler = SUBCOMMANDS[sub];
    if (!handler) throw new UsageError(`unknown team command "${sub}": use ${Object.keys(SUBCOMMANDS).join(', ')}`);
    return await handler(rest, io);
  } catch (e) {
    if (e instanceof TeamError) {
      io.stderr(`agent-harness: ${e.message}\n`);
      return EXIT.failed;
    }
    // Reported here, not by the CLI's main: this bundle has its own copies of the error classes.
    return reportError(e, io);
  }
}

/**
 * DBOS 5.3's connection hook sends a query while pg is still connecting, which pg 8 reports as a
 * DeprecationWarning on every new connection; it is DBOS's, harmless, and would bury the worker's log.
 */
function quietDbosDeprecation(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning instanceof Error ? warning.message : warning).includes('client is already executing a query')) return;
    (emit as (...a: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

async function initCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, COMMON, false);
  const url = databaseUrl(values['database-url'], io.env);
  const { applied } = await withDatabase(url, (db) => initTeamSchema(db), { schema: false });
  if (values.json) io.stdout(`${JSON.stringify({ database: maskUrl(url), applied })}\n`);
  else io.stdout(applied.length > 0 ? `team schema created in ${maskUrl(url)} (version ${applied.at(-1)})\n` : `team schema in ${maskUrl(url)} is current\n`);
  return EXIT.ok;
}

const SUBMIT_OPTIONS = {
  ...COMMON,
  repo: { type: 'string' },
  ref: { type: 'string' },
  team: { type: 'string' },
  profile: { type: 'string' },
  model: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'gateway-url': { type: 'string' },
  protocol: { type: 'string' },
  ...GATEWAY_FLAG_OPTIONS,
} as const;

async function submitCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, SUBMIT_OPTIONS, true);
  const task = positionals.join(' ').trim();
  if (!task) throw new UsageError('no task given: agent-harness team submit --repo PATH|URL "TASK"');
  if (!values.repo) throw new UsageError('no repository given: --repo PATH|GIT_URL');
  // `run`'s gateway flags, checked here as `run` checks them; they travel with the run (no secret among them).
  const flags = await parseGatewayFlags(values);
  if (values.protocol !== undefined && !['openai', 'anthropic'].includes(values.protocol)) throw new UsageError(`--protocol must be openai or anthropic, got "${values.protocol}"`);
  if (values['gateway-url'] !== undefined) checkGatewayUrl(values['gateway-url']);
  const gateway = {
    ...(values['gateway-url'] !== undefined ? { url: values['gateway-url'] } : {}),
    ...(values.protocol !== undefined ? { protocol: values.protocol } : {}),
    ...(values['fallback-model'] ? { fallbackModels: values['fallback-model'] } : {}),
    ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
    ...(flags.maxCostUsd !== undefined ? { maxCostUsd: flags.maxCostUsd } : {}),
    ...(flags.prices ? { prices: flags.prices } : {}),
  };
  const team = values.team ?? 'default';
  if (!/^[\w.-]{1,64}$/.test(team)) throw new UsageError(`--team must be 1-64 letters, digits, '.', '_' or '-', got "${team}"`);
  const url = databaseUrl(values['database-url'], io.env);
  const submitter = await TeamSubmitter.open(url);
  let def;
  try {
    def = await submitter.submit({ repo: values.repo, ...(values.ref ? { ref: values.ref } : {}), team, task, ...(values.profile ? { profile: values.profile } : {}), ...(values.model ? { model: values.model } : {}), yes: values.yes, gateway });
  } finally {
    await submitter.close();
  }
  if (values.json) io.stdout(`${JSON.stringify({ runId: def.runId })}\n`);
  else io.stdout(`${def.runId}\n`);
  return EXIT.ok;
}

async function statusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, COMMON, true);
  const url = databaseUrl(values['database-url'], io.env);
  return withDatabase(url, async (db) => {
    const store = new TeamStore(db);
    if (positionals[0]) {
      const run = await store.get(positionals[0]);
      io.stdout(values.json ? `${JSON.stringify(run)}\n` : renderStatus(run));
    } else {
      const runs = await store.list();
      io.stdout(values.json ? `${JSON.stringify({ runs, workers: await store.workers() })}\n` : renderRuns(runs));
    }
    return EXIT.ok;
  });
}

async function decideCommand(argv: string[], io: CliIo, approve: boolean): Promise<number> {
  const opts = approve ? { ...COMMON, all: { type: 'boolean', default: false } } as const : { ...COMMON, reason: { type: 'string' } } as const;
  const { values, positionals } = parseCliArgs(argv, opts, true);
  const v = values as { 'database-url'?: string; json: boolean; all?: boolean; reason?: string };
  const [runId, callId] = positionals;
  const verb = approve ? 'approve' : 'reject';
  if (!runId) throw new UsageError(`agent-harness team ${verb} RUN_ID ${approve ? 'CALL_ID|--all' : 'CALL_ID [--reason TEXT]'}`);
  if (!callId && !v.all) throw new UsageError(`give the call to ${verb} (CALL_ID, see team status ${runId})${approve ? ' or --all' : ''}`);
  if (callId && v.all) throw new UsageError('give a CALL_ID or --all, not both');
  const url = databaseUrl(v['database-url'], io.env);
  return withDatabase(url, async (db) => {
    const calls = await new TeamStore(db).pendingCalls(runId, callId ?? 'all');
    const client = await TeamClient.open(url);
    try {
      for (const c of calls) await client.sendApproval(runId, c, approve ? { approved: true } : { approved: false, ...(v.reason ? { reason: v.reason } : {}) });
    } finally {
      await client.close();
    }
    io.stdout(v.json ? `${JSON.stringify({ runId, [approve ? 'approved' : 'rejected']: calls })}\n` : `${approve ? 'approved' : 'rejected'} ${calls.join(', ')} in run ${runId}\n`);
    return EXIT.ok;
  });
}

async function cancelCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, COMMON, true);
  const runId = positionals[0];
  if (!runId) throw new UsageError('agent-harness team cancel RUN_ID');
  const url = databaseUrl(values['database-url'], io.env);
  return withDatabase(url, async (db) => {
    const store = new TeamStore(db);
    const run = await store.get(runId);
    if (run.state === 'completed' || run.state === 'failed' || run.state === 'cancelled') throw new TeamError(`run ${runId} has already ended (${run.state})`);
    const client = await TeamClient.open(url);
    try {
      await client.cancel(runId);
    } finally {
      await client.close();
    }
    await store.markCancelled(runId);
    io.stdout(values.json ? `${JSON.stringify({ runId, state: 'cancelled' })}\n` : `cancelled ${runId}\n`);
    return EXIT.ok;
  });
}

async function resultCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, COMMON, true);
  const runId = positionals[0];
  if (!runId) throw new UsageError('agent-harness team result RUN_ID');
  const url = databaseUrl(values['database-url'], io.env);
  return withDatabase(url, async (db) => {
    const { row, result } = await new TeamStore(db).result(runId);
    if (!result) throw new TeamError(`run ${runId} has no result yet (it is ${row.state})`);
    io.stdout(values.json ? `${JSON.stringify({ runId, state: row.state, team: row.team, ...result })}\n` : renderResult(row, result));
    // Like `agent-harness run`: the exit code says how the run ended.
    return exitCodeFor(RunStatusSchema.catch('failed').parse(result.status));
  });
}

const GROUPINGS: readonly TeamUsageGrouping[] = ['team', 'model', 'profile', 'day'];

async function usageCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, { ...COMMON, by: { type: 'string', default: 'team' }, since: { type: 'string' } }, false);
  const by = values.by as TeamUsageGrouping;
  if (!GROUPINGS.includes(by)) throw new UsageError(`--by must be one of ${GROUPINGS.join(', ')}; got "${values.by}"`);
  const since = values.since !== undefined ? parseSince(values.since, new Date()) : undefined;
  const url = databaseUrl(values['database-url'], io.env);
  return withDatabase(url, async (db) => {
    const summary = await new TeamLedger(db).summary(by, since);
    io.stdout(values.json ? `${JSON.stringify(summary)}\n` : renderUsage(summary));
    return EXIT.ok;
  });
}

async function budgetCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, { ...COMMON, 'day-tokens': { type: 'string' }, 'day-cost': { type: 'string' }, webhook: { type: 'string' } }, true);
  const team = positionals[0];
  if (!team) throw new UsageError('agent-harness team budget TEAM [--day-tokens N] [--day-cost USD] [--webhook URL]');
  const url = databaseUrl(values['database-url'], io.env);
  const dayTokens = values['day-tokens'] !== undefined ? positive(values['day-tokens'], '--day-tokens', true) : undefined;
  const dayCostUsd = values['day-cost'] !== undefined ? positive(values['day-cost'].replace(/^\$/, ''), '--day-cost', false) : undefined;
  if (values.webhook !== undefined && !/^https?:\/\//.test(values.webhook)) throw new UsageError(`--webhook must be an http(s) URL, got "${values.webhook}"`);
  return withDatabase(url, async (db) => {
    const ledger = new TeamLedger(db);
    if (dayTokens !== undefined || dayCostUsd !== undefined || values.webhook !== undefined) {
      const old = await ledger.budget(team);
      await ledger.setBudget({ ...old, team, ...(dayTokens !== undefined ? { dayTokens } : {}), ...(dayCostUsd !== undefined ? { dayCostUsd } : {}), ...(values.webhook !== undefined ? { webhookUrl: values.webhook } : {}) });
    }
    const b = (await ledger.budget(team)) ?? { team };
    io.stdout(values.json ? `${JSON.stringify(b)}\n` : `team ${team}: ${b.dayTokens !== undefined ? `${b.dayTokens} tokens` : 'no token limit'}, ${b.dayCostUsd !== undefined ? `$${b.dayCostUsd}` : 'no cost limit'} per UTC day${b.webhookUrl ? `, alerts to ${b.webhookUrl}` : ''}\n`);
    return EXIT.ok;
  });
}

function checkGatewayUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--gateway-url is not a URL: "${url}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--gateway-url must be http(s), got ${u.protocol}//`);
  if (u.username || u.password) throw new UsageError('--gateway-url carries credentials: run definitions never hold secrets (workers use their own key)');
}

function positive(v: string, flag: string, whole: boolean): number {
  const n = Number(v);
  if (!(whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v.trim()) || !(n > 0)) throw new UsageError(`${flag} must be a positive ${whole ? 'whole number' : 'amount'}, got "${v}"`);
  return n;
}
