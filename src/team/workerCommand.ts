import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { EXIT, UsageError, type CliIo } from '../cli/cliIo';
import { parseCliArgs } from '../cli/cliArgs';
import { GATEWAY_FLAG_OPTIONS, parseGatewayFlags } from '../cli/gatewayFlags';
import { gatewayFromFlagsAndEnv } from '../cli/gatewayFromEnv';
import { openTeamDatabase, requireSchema } from '../adapters/team/teamDatabase';
import { databaseUrl } from './teamDatabaseUrl';
import { runWorker } from './teamWorker';

const OPTIONS = {
  'database-url': { type: 'string' },
  json: { type: 'boolean', default: false },
  concurrency: { type: 'string' },
  id: { type: 'string' },
  'gateway-url': { type: 'string' },
  protocol: { type: 'string' },
  model: { type: 'string' },
  sandbox: { type: 'string' },
  image: { type: 'string' },
  'approval-timeout': { type: 'string' },
  drain: { type: 'string' },
  ...GATEWAY_FLAG_OPTIONS,
} as const;

/**
 * `agent-harness team worker`: one stateless worker of the fleet. The gateway key comes from this
 * process's environment (AGENT_HARNESS_API_KEY, or a file named by AGENT_HARNESS_API_KEY_FILE), never
 * from the database. SIGTERM or SIGINT drains it; the process exits when it has stopped.
 */
export async function workerCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, OPTIONS, false);
  const concurrency = values.concurrency !== undefined ? whole(values.concurrency, '--concurrency') : 2;
  const id = values.id ?? `${os.hostname()}-${process.pid}`;
  if (!/^[\w.-]{1,100}$/.test(id)) throw new UsageError(`--id must be letters, digits, '.', '_' or '-', got "${id}"`);
  const sandbox = values.sandbox;
  if (sandbox !== undefined && sandbox !== 'container' && sandbox !== 'local') throw new UsageError(`--sandbox must be container or local, got "${sandbox}"`);
  const env = await withKeyFile(io.env);
  // The gateway is checked now, so a misconfigured worker stops before it takes a run.
  gatewayFromFlagsAndEnv({ gatewayUrl: values['gateway-url'], protocol: values.protocol, model: values.model ?? env.AGENT_HARNESS_MODEL ?? 'unset' }, env);
  const flags = await parseGatewayFlags(values);
  const url = databaseUrl(values['database-url'], env);
  const db = await openTeamDatabase(url, { max: 4 });
  const log = (line: string) => io.stderr(`${new Date().toISOString()} ${id}: ${line}\n`);
  try {
    await requireSchema(db);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => stop());
    await runWorker({
      db,
      workerId: id,
      concurrency,
      gatewayUrl: values['gateway-url'],
      protocol: values.protocol,
      flags,
      env: values.model ? { ...env, AGENT_HARNESS_MODEL: values.model } : env,
      ...(sandbox ? { sandbox } : {}),
      ...(values.image ? { image: values.image } : {}),
      ...(values['approval-timeout'] !== undefined ? { approvalTimeoutSeconds: whole(values['approval-timeout'], '--approval-timeout') } : {}),
      ...(values.drain !== undefined ? { drainMs: whole(values.drain, '--drain') * 1000 } : {}),
      log,
      stopped,
    });
  } finally {
    await db.close().catch(() => undefined);
  }
  return EXIT.ok;
}

async function withKeyFile(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const file = env.AGENT_HARNESS_API_KEY_FILE;
  if (!file || env.AGENT_HARNESS_API_KEY) return env;
  try {
    return { ...env, AGENT_HARNESS_API_KEY: (await readFile(file, 'utf8')).trim() };
  } catch (e) {
    throw new UsageError(`AGENT_HARNESS_API_KEY_FILE: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function whole(v: string, flag: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n <= 0) throw new UsageError(`${flag} must be a positive whole number, got "${v}"`);
  return n;
}
