import { ensureSystemDatabase } from '@dbos-inc/dbos-sdk/internal/system_database';
import { DBOS_SCHEMA, SCHEMA_VERSION, TEAM_SCHEMA, TeamError, inTransaction, maskUrl, type TeamDatabase } from './teamDatabase';

const S = TEAM_SCHEMA;

/** Version 1 of the team schema. A released version is never changed; a new one is appended. */
const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE ${S}.runs (
      run_id text PRIMARY KEY,
      team text NOT NULL,
      repo text NOT NULL,
      ref text,
      task text NOT NULL,
      profile text,
      model text,
      yes boolean NOT NULL DEFAULT false,
      state text NOT NULL CHECK (state IN ('queued', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
      worker text,
      commit_sha text,
      submitted_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      result jsonb,
      error text
    );
    CREATE INDEX runs_state ON ${S}.runs (state);
    CREATE INDEX runs_team ON ${S}.runs (team, submitted_at);
    CREATE TABLE ${S}.approvals (
      run_id text NOT NULL REFERENCES ${S}.runs (run_id) ON DELETE CASCADE,
      call_id text NOT NULL,
      tool text NOT NULL,
      summary text NOT NULL,
      reasons jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'timed_out')),
      reason text,
      asked_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      PRIMARY KEY (run_id, call_id)
    );
    CREATE TABLE ${S}.ledger (
      run_id text NOT NULL,
      step text NOT NULL,
      team text NOT NULL,
      profile text NOT NULL,
      model text NOT NULL,
      day date NOT NULL,
      input_tokens bigint NOT NULL,
      output_tokens bigint NOT NULL,
      cache_read_tokens bigint NOT NULL,
      cache_write_tokens bigint NOT NULL,
      cost_usd numeric,
      latency_ms integer NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, step)
    );
    CREATE INDEX ledger_team_day ON ${S}.ledger (team, day);
    CREATE TABLE ${S}.budgets (
      team text PRIMARY KEY,
      day_tokens bigint,
      day_cost_usd numeric,
      webhook_url text
    );
    CREATE TABLE ${S}.alerts (
      team text NOT NULL,
      day date NOT NULL,
      measure text NOT NULL CHECK (measure IN ('tokens', 'cost')),
      threshold integer NOT NULL,
      used numeric NOT NULL,
      budget numeric NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (team, day, measure, threshold)
    );
    CREATE TABLE ${S}.workers (
      id text PRIMARY KEY,
      host text NOT NULL,
      pid integer NOT NULL,
      concurrency integer NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'draining', 'stopped', 'dead', 'recovered')),
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};

/**
 * Creates or migrates both schemas: DBOS's system tables (by DBOS's own migration) and ours. Safe to
 * run again and from several processes at once (an advisory lock serialises it). Returns the
 * versions applied now (empty when the schema was already current).
 */
export async function initTeamSchema(db: TeamDatabase): Promise<{ applied: number[] }> {
  try {
    await ensureSystemDatabase(db.url, quietLogger, undefined, DBOS_SCHEMA);
  } catch (e) {
    throw new TeamError(`could not create DBOS's system tables in ${maskUrl(db.url)}: ${(e as Error).message}`);
  }
  return inTransaction(db, async (c) => {
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('${S}.migrate'))`);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${S}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const r = await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${S}.schema_version`);
    const current = r.rows[0]?.v ?? 0;
    if (current > SCHEMA_VERSION) throw new TeamError(`the team schema is version ${current}, newer than this agent-harness (${SCHEMA_VERSION}): upgrade agent-harness`);
    const applied: number[] = [];
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      await c.query(MIGRATIONS[v]!);
      await c.query(`INSERT INTO ${S}.schema_version (version) VALUES ($1)`, [v]);
      applied.push(v);
    }
    return { applied };
  });
}

/** DBOS's migration logs through this; team init reports the outcome itself. */
const quietLogger = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as Parameters<typeof ensureSystemDatabase>[1];
