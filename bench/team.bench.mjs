// Team mode under load, with a fault: 100 runs across 3 worker processes against the scripted model
// server; one worker is killed with SIGKILL mid-way. Reports whether all runs completed, model calls
// asked twice, ledger vs the runs' own totals, throughput, run latency, PostgreSQL connections used,
// and the per-run overhead of team mode against the single-machine CLI on the same scripted run.
// A measurement, not a test.  Usage: npm run bench:team [-- --runs 100 --workers 3 --concurrency 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadTs, median, percentile } from './support/loadTs.mjs';
import { cli, cliJson, fixConversations, makeDemoRepo, startFleet } from '../scripts/lib/teamFleet.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || dflt : dflt;
};
const RUNS = opt('--runs', 100);
const WORKERS = opt('--workers', 3);
const CONCURRENCY = opt('--concurrency', 4);
const DELAY = opt('--delay-ms', 20);
const say = (t) => process.stderr.write(`bench:team: ${t}\n`);

const m = await loadTs('bench/team.bench.entry.ts');
const server = await m.startScriptedServer();
const loadTasks = Array.from({ length: RUNS }, (_, i) => `Load run #${i}.`);
const soloTasks = Array.from({ length: 5 }, (_, i) => `Solo run #${i}.`);
const cliTasks = Array.from({ length: 5 }, (_, i) => `Cli run #${i}.`);
const conversations = fixConversations([...loadTasks, ...soloTasks, ...cliTasks], DELAY);
server.respondWith((req) => m.conversationResponder(conversations)(req));

const repo = makeDemoRepo();
const fleet = await startFleet({ gatewayUrl: `${server.url}/v1` });
const db = new pg.Client({ connectionString: fleet.databaseUrl });
await db.connect();
const rows = async (ids) => (await db.query('SELECT run_id, state, worker, attempts, submitted_at, started_at, finished_at, result FROM agent_harness.runs WHERE run_id = ANY($1)', [ids])).rows;
const until = async (ids, ms) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await rows(ids);
    if (r.length === ids.length && r.every((x) => ['completed', 'failed', 'cancelled'].includes(x.state))) return r;
    if (Date.now() > deadline) throw new Error(`runs not finished after ${ms} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
};
const submit = async (task) => (await cliJson(['team', 'submit', '--repo', repo, '--team', 'bench', '--yes', task], fleet.env)).runId;

try {
  // 1. Per-run overhead on an idle fleet: one run at a time, team vs `agent-harness run` on the same script.
  const solo = await fleet.startWorker('solo', ['--concurrency', '1']);
  const teamSolo = [];
  for (const t of soloTasks) {
    const id = await submit(t);
    const [r] = await until([id], 60_000);
    teamSolo.push({ e2e: r.finished_at - r.submitted_at, run: r.finished_at - r.started_at });
  }
  const cliSolo = [];
  for (const t of cliTasks) {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'ah-bench-cli-'));
    execFileSync('git', ['clone', '-q', repo, ws]);
    const t0 = performance.now();
    const out = await cli(['run', '--workspace', ws, '--sandbox', 'local', '--yes', t], fleet.env);
    cliSolo.push(performance.now() - t0);
    if (out.code !== 0) throw new Error(`agent-harness run failed: ${out.stderr}`);
    rmSync(ws, { recursive: true, force: true });
  }

  solo.child.kill('SIGTERM');
  await solo.exited;

  // 2. Load with a fault: the runs are queued first (each submit is a process; on a small machine they
  // would compete with the workers), then the workers start together on the full queue.
  server.requests.length = 0;
  let maxConnections = 0;
  const sampler = setInterval(() => {
    db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`).then((r) => (maxConnections = Math.max(maxConnections, r.rows[0].n))).catch(() => undefined);
  }, 100);
  say(`submitting ${RUNS} runs`);
  const ids = [];
  for (let i = 0; i < loadTasks.length; i += 10) ids.push(...(await Promise.all(loadTasks.slice(i, i + 10).map(submit))));
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => fleet.startWorker(`bench-${i + 1}`, ['--concurrency', String(CONCURRENCY)])));
  const victim = workers[0];
  for (;;) {
    const r = await rows(ids);
    if (r.filter((x) => x.state === 'completed').length >= RUNS * 0.3 && r.some((x) => x.worker === victim.id && x.state === 'running')) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  say(`killed ${victim.id} (SIGKILL) with runs in progress`);
  const done = await until(ids, 300_000);
  clearInterval(sampler);

  const completed = done.filter((r) => r.state === 'completed').length;
  const recovered = done.filter((r) => r.attempts > 1).length;
  const byTurn = new Map();
  for (const req of server.requests) {
    const key = `${m.firstUserText(req.body)}|${m.assistantMessages(req.body)}`;
    if (key.startsWith('Load run')) byTurn.set(key, (byTurn.get(key) ?? 0) + 1);
  }
  const asked = [...byTurn.values()].reduce((a, b) => a + b, 0);
  const askedTwice = [...byTurn.values()].reduce((a, n) => a + (n - 1), 0);
  const ledger = (await db.query(`SELECT count(*)::int AS calls, coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0)::bigint AS tokens FROM agent_harness.ledger WHERE run_id = ANY($1)`, [ids])).rows[0];
  const runTokens = done.reduce((a, r) => a + (r.result?.usage?.totalTokens ?? 0), 0);
  const first = Math.min(...done.map((r) => +r.started_at));
  const last = Math.max(...done.map((r) => +r.finished_at));
  const runMs = done.map((r) => r.finished_at - r.started_at);
  const e2eMs = done.map((r) => r.finished_at - r.submitted_at);

  const fmt = (n) => `${Math.round(n)} ms`;
  const lines = [
    `team mode on ${os.cpus().length} CPUs, ${RUNS} runs on ${WORKERS} workers x ${CONCURRENCY}, scripted model (${DELAY} ms between streamed events), one worker SIGKILLed mid-way`,
    `  completed                 ${completed}/${RUNS} (${recovered} recovered on another worker after the kill)`,
    `  model calls               ${asked} asked for ${RUNS * 2} turns; asked twice: ${askedTwice} (calls in flight on the killed worker; none that had completed)`,
    `  ledger                    ${ledger.calls} calls, ${ledger.tokens} tokens; the runs' own totals: ${runTokens} tokens (${Number(ledger.tokens) === runTokens ? 'equal' : 'DIFFERENT'})`,
    `  throughput                ${((RUNS / (last - first)) * 60_000).toFixed(1)} runs/minute (first start to last finish, ${((last - first) / 1000).toFixed(1)} s; the kill was ${((killedAt - first) / 1000).toFixed(1)} s in)`,
    `  run latency (start→end)   p50 ${fmt(percentile(runMs, 50))}, p95 ${fmt(percentile(runMs, 95))}`,
    `  submit→end (with queue)   p50 ${fmt(percentile(e2eMs, 50))}, p95 ${fmt(percentile(e2eMs, 95))}`,
    `  PostgreSQL connections    ${maxConnections} at most (this benchmark's own one included)`,
    `per-run overhead on an idle fleet, median of ${soloTasks.length} (same scripted run):`,
    `  agent-harness run (CLI process, start to exit)   ${fmt(median(cliSolo))}`,
    `  team run, worker start to end                   ${fmt(median(teamSolo.map((x) => x.run)))}`,
    `  team run, submit to end (queue pickup included)  ${fmt(median(teamSolo.map((x) => x.e2e)))}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await db.end();
  await fleet.stop();
  await server.close();
  rmSync(repo, { recursive: true, force: true });
}
