import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const SCRIPT = path.resolve(__dirname, '../../scripts/postgres.sh');

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/agent_harness */
  url: string;
  /** A new, empty database on the same server. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

function sh(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, ...args], { timeout: 300_000 }, (err, stdout, stderr) => (err ? reject(new Error(`scripts/postgres.sh ${args[0]} failed: ${stderr || err.message}`)) : resolve(stdout.trim())));
  });
}

/** A throwaway PostgreSQL started by the project's own script (installed where CI=true needs it), stopped and removed after. */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ah-pg-'));
  const url = await sh(['start', dir]);
  return {
    url,
    async database(name: string) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      await sh(['stop', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table in the given schemas, as text: to prove what never went into the database. */
export async function dumpSchemas(url: string, schemas: readonly string[]): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ s: string; t: string }>(`SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`, [schemas]);
    const parts: string[] = [];
    for (const { s, t } of tables.rows) {
      const rows = await client.query<{ r: string }>(`SELECT x::text AS r FROM "${s}"."${t}" x`);
      parts.push(...rows.rows.map((r) => r.r));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
