import pg from 'pg';

/**
 * Team mode's PostgreSQL: one database holds DBOS's system schema (workflows, steps, queues,
 * messages) and ours, `agent_harness` (runs, approvals, the usage ledger, budgets, alerts, workers).
 * No key or secret is ever written here: run definitions carry none, and results are redacted.
 */
export const TEAM_SCHEMA = 'agent_harness';
export const DBOS_SCHEMA = 'dbos';
export const SCHEMA_VERSION = 1;

/** A problem a person must fix (an unreachable database, a missing schema, an unknown run): shown as is. */
export class TeamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamError';
  }
}

/** The URL without its password, for messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}

export function checkDatabaseUrl(url: string | undefined): string {
  if (!url) throw new TeamError('no database: give --database-url URL or set AGENT_HARNESS_DATABASE_URL (postgres://USER@HOST:PORT/DATABASE)');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TeamError(`the database URL is not a URL: give postgres://USER@HOST:PORT/DATABASE`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new TeamError(`the database URL must start with postgres://, got ${u.protocol}//`);
  if (u.pathname.length <= 1) throw new TeamError(`the database URL names no database: ${maskUrl(url)} (add /DATABASE)`);
  return url;
}

/** Why a connection failed, in words (the driver's codes are not). */
export function connectionProblem(e: unknown, url: string): TeamError {
  const err = e as NodeJS.ErrnoException & { code?: string };
  const where = maskUrl(url);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new TeamError(`cannot reach the database at ${where}: connection refused (is PostgreSQL running on that host and port?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TeamError(`cannot reach the database at ${where}: the host name does not resolve`);
    case 'ETIMEDOUT':
      return new TeamError(`cannot reach the database at ${where}: the connection timed out`);
    case '3D000':
      return new TeamError(`the database in ${where} does not exist: create it (createdb) or fix the URL`);
    case '28P01':
    case '28000':
      return new TeamError(`the database at ${where} refused the login: ${err.message}`);
    default:
      return new TeamError(`cannot use the database at ${where}: ${err.message}`);
  }
}

export interface TeamDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens a small pool and proves the database answers (a clear error when it does not). */
export async function openTeamDatabase(url: string, opts: { max?: number } = {}): Promise<TeamDatabase> {
  checkDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 4, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 10_000 });
  // An idle client's error (the server went away) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw connectionProblem(e, url);
  }
  return { url, pool, close: () => pool.end() };
}

/** Every command but `team init` needs the schema; a database without it is named with the fix. */
export async function requireSchema(db: TeamDatabase): Promise<void> {
  const exists = await db.pool.query<{ t: string | null }>(`SELECT to_regclass('${TEAM_SCHEMA}.schema_version')::text AS t`);
  const version = exists.rows[0]?.t ? ((await db.pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${TEAM_SCHEMA}.schema_version`)).rows[0]?.version ?? null) : null;
  if (version === null) throw new TeamError(`the team schema is missing in ${maskUrl(db.url)}: run agent-harness team init --database-url URL first`);
  if (version > SCHEMA_VERSION) throw new TeamError(`the team schema in ${maskUrl(db.url)} is version ${version}, newer than this agent-harness understands (${SCHEMA_VERSION}): upgrade agent-harness`);
  if (version < SCHEMA_VERSION) throw new TeamError(`the team schema in ${maskUrl(db.url)} is version ${version}: run agent-harness team init to migrate it`);
}

/** Runs `fn` in one transaction; rolled back on any error. */
export async function inTransaction<T>(db: TeamDatabase, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
