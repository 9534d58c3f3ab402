import { UsageError } from '../cli/cliIo';
import { checkDatabaseUrl, openTeamDatabase, requireSchema, TeamError, type TeamDatabase } from '../adapters/team/teamDatabase';

/** The database a team command works on: --database-url, else AGENT_HARNESS_DATABASE_URL; a missing or malformed one is a usage error. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  try {
    return checkDatabaseUrl(flag ?? env.AGENT_HARNESS_DATABASE_URL);
  } catch (e) {
    if (e instanceof TeamError) throw new UsageError(e.message);
    throw e;
  }
}

/** Opens the database and checks the schema; closes it when `fn` is done. */
export async function withDatabase<T>(url: string, fn: (db: TeamDatabase) => Promise<T>, opts: { schema?: boolean } = {}): Promise<T> {
  const db = await openTeamDatabase(url);
  try {
    if (opts.schema !== false) await requireSchema(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}
