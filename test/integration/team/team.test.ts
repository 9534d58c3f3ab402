import { readFile, readdir } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conversationResponder, firstUserText, assistantMessages, type Conversation } from '../../support/scriptedServer/conversations';
import { dumpSchemas, startPostgres, type TestPostgres } from '../../support/postgres';
import { expectNoStack } from '../cli/runCli';
import { TeamSubmitter } from '../../../src/team/submitRun';
import { testImage } from '../sandbox/dockerTestSupport';
import { fixConversation, makeRepo, startWorker, team, teamJson, waitFor, type FleetEnv, type WorkerProcess } from './teamFleet';
import { tempDir, useScriptedServer } from '../../support/fixtures';

/**
 * Team mode end to end with real parts: a throwaway PostgreSQL (scripts/postgres.sh), DBOS, worker
 * processes started as a person starts them, the real CLI, and the scripted model server speaking the
 * OpenAI wire format. Workers are killed with SIGKILL to prove recovery.
 */
const KEY = 'sk-team-secret-4f1c2a9e8b7d6c5e';
let pgServer: TestPostgres;
const server = useScriptedServer();
let conversations: Conversation[] = [];
let fleet: FleetEnv;
let repo: string;
const workers: WorkerProcess[] = [];

interface RunRow {
  runId: string;
  state: string;
  team: string;
  worker: string | null;
  attempts: number;
  error: string | null;
  usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  pendingApprovals: { callId: string; tool: string; summary: string }[];
}
interface Result {
  status: string;
  output: string;
  patch: string;
  filesChanged: string[];
  commandsRun: string[];
  usage: { totalTokens: number; costUsd: number };
  error?: string;
}
interface UsageJson {
  rows: { key: string; calls: number; inputTokens: number; outputTokens: number; totalTokens: number; costUsd: number }[];
  total: { calls: number; inputTokens: number; outputTokens: number; costUsd: number; totalTokens: number };
  alerts: { team: string; measure: string; threshold: number }[];
}

beforeAll(async () => {
  pgServer = await startPostgres();
  server.respondWith((req) => conversationResponder(conversations)(req));
  fleet = { databaseUrl: await pgServer.database('team_main'), gatewayUrl: `${server.url}/v1`, home: await tempDir('ah-team-home-'), apiKey: KEY };
  repo = makeRepo();
  const init = await team(fleet, ['init']);
  expect(init.code, init.stderr).toBe(0);
}, 180_000);

afterEach(async () => {
  for (const w of workers.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await w.exited;
  }
});

afterAll(async () => {
  await pgServer?.stop();
});

async function worker(id: string, args: string[] = [], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const w = await startWorker(fleet, id, args, env);
  workers.push(w);
  return w;
}

async function submit(task: string, extra: string[] = []): Promise<string> {
  const out = await team(fleet, ['submit', '--repo', repo, ...extra, '--json', task]);
  expect(out.code, out.stderr).toBe(0);
  return (JSON.parse(out.stdout) as { runId: string }).runId;
}

const status = (runId: string) => teamJson<RunRow>(fleet, ['status', runId]);
const untilState = (runId: string, states: string[], ms = 60_000) =>
  waitFor(`run ${runId} to be ${states.join(' or ')}`, async () => {
    const s = await status(runId);
    return states.includes(s.state) ? s : undefined;
  }, ms);

/** Waits for all the runs to reach one of the states, polling the one list (not a process per run). */
async function untilAll(ids: readonly string[], states: string[], ms = 90_000): Promise<RunRow[]> {
  await waitFor(`${ids.length} runs to be ${states.join(' or ')}`, async () => {
    const rows = await runStates();
    return ids.every((id) => states.includes(rows.find((r) => r.run_id === id)?.state ?? '')) || undefined;
  }, ms);
  return waitFor('the runs in team status', async () => {
    const { runs } = await teamJson<{ runs: RunRow[] }>(fleet, ['status']);
    const mine = ids.map((id) => runs.find((r) => r.runId === id));
    return mine.every((r) => r && states.includes(r.state)) ? (mine as RunRow[]) : undefined;
  }, ms);
}

/** The runs' states straight from the table, for polling fast while workers race (the CLI's view is tested above). */
async function runStates(): Promise<{ run_id: string; state: string; worker: string | null }[]> {
  const c = new pg.Client({ connectionString: fleet.databaseUrl });
  await c.connect();
  try {
    return (await c.query<{ run_id: string; state: string; worker: string | null }>('SELECT run_id, state, worker FROM agent_harness.runs')).rows;
  } finally {
    await c.end();
  }
}

async function storedResults(ids: readonly string[]): Promise<Result[]> {
  const c = new pg.Client({ connectionString: fleet.databaseUrl });
  await c.connect();
  try {
    const rows = (await c.query<{ run_id: string; result: Result }>('SELECT run_id, result FROM agent_harness.runs WHERE run_id = ANY($1)', [ids])).rows;
    return ids.map((id) => rows.find((r) => r.run_id === id)!.result);
  } finally {
    await c.end();
  }
}

/** Runs `fn` over the items, `width` at a time (each submit is a process; thirty at once would starve the machine). */
async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
}

/** Requests the scripted server received for a task, by turn: a turn asked twice was paid twice. */
function requestsByTurn(match: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of server.requests) {
    if (!firstUserText(r.body).includes(match)) continue;
    const n = assistantMessages(r.body);
    m.set(n, (m.get(n) ?? 0) + 1);
  }
  return m;
}

describe('team mode: bad input is a clear message, a non-zero exit, and nothing written', () => {
  it('an unreachable database, a missing schema, an unknown run, a bad repository or ref, credentials in a URL', async () => {
    const unreachable = await team({ ...fleet, databaseUrl: 'postgres://postgres@127.0.0.1:1/nothing' }, ['status']);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toMatch(/cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/nothing: connection refused/);
    expectNoStack(unreachable.stderr);

    const empty = { ...fleet, databaseUrl: await pgServer.database('team_empty') };
    for (const args of [['status'], ['submit', '--repo', repo, 'task'], ['usage']]) {
      const missing = await team(empty, args);
      expect(missing.code, args.join(' ')).not.toBe(0);
      expect(missing.stderr).toMatch(/the team schema is missing in .+: run agent-harness team init/);
      expectNoStack(missing.stderr);
    }
    const noDb = await team({ ...fleet, databaseUrl: '' }, ['status']);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/no database: give --database-url URL or set AGENT_HARNESS_DATABASE_URL/);

    // init is idempotent
    const again = await teamJson<{ applied: number[] }>(fleet, ['init']);
    expect(again.applied).toEqual([]);

    for (const args of [['status', 'no-such-run'], ['result', 'no-such-run'], ['approve', 'no-such-run', 'call_1'], ['cancel', 'no-such-run']]) {
      const unknown = await team(fleet, args);
      expect(unknown.code, args.join(' ')).toBe(1);
      expect(unknown.stderr).toContain('no team run "no-such-run"');
      expectNoStack(unknown.stderr);
    }

    const before = await teamJson<{ runs: RunRow[] }>(fleet, ['status']);
    const badRepo = await team(fleet, ['submit', '--repo', path.join(repo, 'missing'), 'task']);
    expect(badRepo.code).not.toBe(0);
    expect(badRepo.stderr).toMatch(/the repository .+missing does not exist/);
    const notGit = await team(fleet, ['submit', '--repo', os.tmpdir(), 'task']);
    expect(notGit.code).not.toBe(0);
    expect(notGit.stderr).toMatch(/cannot read the repository/);
    const badRef = await team(fleet, ['submit', '--repo', repo, '--ref', 'no-such-branch', 'task']);
    expect(badRef.code).not.toBe(0);
    expect(badRef.stderr).toContain('the ref "no-such-branch" does not exist');
    const creds = await team(fleet, ['submit', '--repo', 'https://user:hunter2@example.com/r.git', 'task']);
    expect(creds.code).not.toBe(0);
    expect(creds.stderr).toContain('carries credentials');
    const gatewayCreds = await team(fleet, ['submit', '--repo', repo, '--gateway-url', 'https://user:pw@gw.example/v1', 'task']);
    expect(gatewayCreds.code).toBe(2);
    expect(gatewayCreds.stderr).toContain('--gateway-url carries credentials');
    const badBudget = await team(fleet, ['submit', '--repo', repo, '--max-cost', 'lots', 'task']);
    expect(badBudget.code).toBe(2);
    expect(badBudget.stderr).toContain('--max-cost must be a positive amount');
    for (const o of [badRepo, notGit, badRef, creds, gatewayCreds, badBudget]) expectNoStack(o.stderr);
    const after = await teamJson<{ runs: RunRow[] }>(fleet, ['status']);
    expect(after.runs.length).toBe(before.runs.length);
  });
});

describe('team mode: runs on workers', () => {
  it('a submitted run is checked out at its ref, completes on a worker, and its result is a patch (the repository is untouched)', async () => {
    conversations = [fixConversation('Fix add.js at v1')];
    await worker('solo');
    const runId = await submit('Fix add.js at v1', ['--ref', 'v1', '--team', 'web', '--yes']);
    const done = await untilState(runId, ['completed', 'failed']);
    expect(done).toMatchObject({ state: 'completed', team: 'web', worker: 'solo', attempts: 1 });
    expect(done.usage.calls).toBe(2);
    const result = await teamJson<Result & { runId: string; state: string }>(fleet, ['result', runId]);
    expect(result.status).toBe('completed');
    expect(result.output).toBe('Fixed add.js (Fix add.js at v1).');
    expect(result.filesChanged).toEqual(['add.js']);
    expect(result.patch).toContain('-  return a - b;\n+  return a + b;');
    expect(await readFile(path.join(repo, 'add.js'), 'utf8')).toContain('return a - b;');
    const text = await team(fleet, ['result', runId]);
    expect(text.stdout).toContain('proposed patch (not applied or pushed anywhere)');

    const list = await teamJson<{ runs: RunRow[] }>(fleet, ['status']);
    const row = list.runs.find((r) => r.runId === runId)!;
    expect(row).toMatchObject({ runId, state: 'completed', team: 'web', worker: 'solo' });
    expect(row.usage.inputTokens).toBeGreaterThan(0);
    const usage = await teamJson<UsageJson>(fleet, ['usage', '--by', 'team']);
    const web = usage.rows.find((r) => r.key === 'web')!;
    expect(web.calls).toBe(2);
    expect(usage.total.calls).toBeGreaterThanOrEqual(2);
    // No workspace is left behind.
    expect((await readdir(os.tmpdir())).filter((d) => d.startsWith('agent-harness-team-solo--'))).toEqual([]);

    // `run`'s gateway flags travel with the run: the worker's own gateway URL is accepted (with a
    // run budget on top), another one fails the run before the worker's key goes anywhere.
    conversations = [fixConversation('Same gateway'), fixConversation('Other gateway')];
    const same = await submit('Same gateway', ['--gateway-url', fleet.gatewayUrl, '--protocol', 'openai', '--max-tokens', '500000', '--yes']);
    const other = await submit('Other gateway', ['--gateway-url', 'https://gateway.elsewhere.example/v1', '--yes']);
    expect((await untilState(same, ['completed', 'failed'])).state).toBe('completed');
    const refused = await untilState(other, ['completed', 'failed']);
    expect(refused.state).toBe('failed');
    expect(refused.error).toContain("a worker's key only goes to its own gateway");
    expect(requestsByTurn('Other gateway').size).toBe(0);
  });

  it('an approval waits durably: its worker is killed, another takes the run over, a person approves, and nothing is paid or run twice', async () => {
    conversations = [fixConversation('Fix add.js and run the tests', { runTests: true })];
    const first = await worker('a1');
    const runId = await submit('Fix add.js and run the tests');
    const waiting = await untilState(runId, ['waiting']);
    expect(waiting.pendingApprovals).toHaveLength(1);
    const call = waiting.pendingApprovals[0]!;
    expect(call.summary).toBe('run_command: node test.js');
    const text = await team(fleet, ['status', runId]);
    expect(text.stdout).toContain(`agent-harness team approve ${runId} ${call.callId}`);

    first.child.kill('SIGKILL');
    await first.exited;
    const second = await worker('a2');
    // Recovered by the live worker within 30 s (it re-asks nothing: the run is still waiting on the same call).
    await waitFor('the run to move to a2', async () => (await status(runId)).worker === 'a2' || undefined, 30_000);
    expect((await status(runId)).pendingApprovals.map((p) => p.callId)).toEqual([call.callId]);
    const approve = await team(fleet, ['approve', runId, call.callId]);
    expect(approve.code, approve.stderr).toBe(0);
    const done = await untilState(runId, ['completed', 'failed']);
    expect(done).toMatchObject({ state: 'completed', worker: 'a2', attempts: 2 });
    const result = await teamJson<Result>(fleet, ['result', runId]);
    expect(result.commandsRun).toEqual(['node test.js']);
    // The edit made on a1 is in the patch: a2 rebuilt the workspace from the recorded effect.
    expect(result.patch).toContain('+  return a + b;');
    // Three turns, each asked exactly once across both workers.
    expect([...requestsByTurn('Fix add.js and run the tests').entries()].sort()).toEqual([[0, 1], [1, 1], [2, 1]]);
    // a1's one run is recovered by a2. A worker an earlier test stopped ('solo') may be claimed in the
    // same sweep (stopped workers are claimed to take back runs they handed back) or earlier by a1.
    expect(second.log()).toMatch(/recovered 1 run of (?:[\w-]+, )*a1$/m);
    const again = await team(fleet, ['approve', runId, call.callId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`has no pending approval "${call.callId}"`);
  }, 120_000);

  it('a rejection reaches the model with its reason; SIGTERM drains a worker and hands a waiting run to another', async () => {
    conversations = [fixConversation('Reject the test run', { runTests: true })];
    const w1 = await worker('d1', ['--drain', '1']);
    const runId = await submit('Reject the test run');
    const waiting = await untilState(runId, ['waiting']);
    w1.child.kill('SIGTERM');
    expect(await w1.exited).toBe(0);
    expect(w1.log()).toMatch(/worker d1 stopped; 1 run handed back/);
    await worker('d2');
    await waitFor('the run to move to d2', async () => (await status(runId)).worker === 'd2' || undefined, 30_000);
    const reject = await team(fleet, ['reject', runId, waiting.pendingApprovals[0]!.callId, '--reason', 'not on this branch']);
    expect(reject.code, reject.stderr).toBe(0);
    await untilState(runId, ['completed']);
    const result = await teamJson<Result>(fleet, ['result', runId]);
    expect(result.commandsRun).toEqual([]);
    const third = server.requests.filter((r) => firstUserText(r.body).includes('Reject the test run') && assistantMessages(r.body) === 2)[0]!;
    expect(JSON.stringify(third.body)).toContain('the user declined: not on this branch');
  }, 120_000);

  it('commands run in the worker\'s container sandbox, on the run\'s checkout', async () => {
    conversations = [
      {
        match: 'List and fix in the container',
        turns: [
          { toolCalls: [{ name: 'edit_file', arguments: { path: 'add.js', old_string: 'return a - b;', new_string: 'return a + b;' } }], usage: { input: 900, output: 30 } },
          { toolCalls: [{ name: 'run_command', arguments: { command: 'cat add.js' } }], usage: { input: 1000, output: 20 } },
          { text: 'Done in the container.', usage: { input: 1100, output: 10 } },
        ],
      } as Conversation,
    ];
    const w = await startWorker(fleet, 'box1', ['--sandbox', 'container', '--image', testImage]);
    workers.push(w);
    const runId = await submit('List and fix in the container', ['--yes']);
    await untilState(runId, ['completed', 'failed'], 90_000);
    const result = await teamJson<Result>(fleet, ['result', runId]);
    expect(result.status, result.error).toBe('completed');
    expect(result.commandsRun).toEqual(['cat add.js']);
    // The command saw the edit the run had made in its checkout (the container mounts it).
    const third = server.requests.filter((r) => firstUserText(r.body).includes('List and fix in the container') && assistantMessages(r.body) === 2)[0]!;
    expect(JSON.stringify(third.body)).toContain('return a + b;');
  }, 120_000);

  it('with --approval-timeout a call nobody decides counts as rejected, and the run goes on', async () => {
    conversations = [fixConversation('Nobody answers', { runTests: true })];
    await worker('t1', ['--approval-timeout', '2']);
    const runId = await submit('Nobody answers');
    await untilState(runId, ['completed', 'failed'], 60_000);
    const result = await teamJson<Result>(fleet, ['result', runId]);
    expect(result.status).toBe('completed');
    expect(result.commandsRun).toEqual([]);
    const third = server.requests.filter((r) => firstUserText(r.body).includes('Nobody answers') && assistantMessages(r.body) === 2)[0]!;
    expect(JSON.stringify(third.body)).toContain('nobody decided within 2 s, so it counts as rejected');
  }, 60_000);

  it('cancel stops a waiting run', async () => {
    conversations = [fixConversation('Cancel me', { runTests: true })];
    await worker('c1');
    const runId = await submit('Cancel me');
    await untilState(runId, ['waiting']);
    const out = await team(fleet, ['cancel', runId]);
    expect(out.code, out.stderr).toBe(0);
    expect((await status(runId)).state).toBe('cancelled');
    const again = await team(fleet, ['cancel', runId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has already ended (cancelled)');
    // The worker lets go of it: the run is not continued later.
    await new Promise((r) => setTimeout(r, 2500));
    expect(requestsByTurn('Cancel me').get(2)).toBeUndefined();
  }, 60_000);
});

describe('team budgets', () => {
  it('a team day budget holds across concurrent runs on two workers (overspend at most one call per run), with alerts at 50/80/100% and a webhook', async () => {
    const hooks: unknown[] = [];
    const hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/alerts`;
    try {
      const tasks = Array.from({ length: 6 }, (_, i) => `Budget run #${i}.`);
      conversations = tasks.map((t) => fixConversation(t, { delayMs: 100 }));
      // Each call is ~1k input tokens plus the scripted server's cache tokens; the budget allows a few calls.
      const set = await team(fleet, ['budget', 'tight', '--day-tokens', '6000', '--webhook', hookUrl]);
      expect(set.code, set.stderr).toBe(0);
      await worker('b1', ['--concurrency', '3']);
      await worker('b2', ['--concurrency', '3']);
      const ids = await inBatches(tasks, 3, (t) => submit(t, ['--team', 'tight', '--yes']));
      const rows = await untilAll(ids, ['completed', 'failed']);
      const results = await storedResults(ids);
      const stopped = results.filter((r) => r.status === 'budget_exceeded');
      expect(stopped.length).toBeGreaterThan(0);
      expect(stopped[0]!.error).toMatch(/team tight has used its day budget of 6000 tokens/);
      const usage = await teamJson<UsageJson>(fleet, ['usage', '--by', 'team']);
      const tight = usage.rows.find((r) => r.key === 'tight')!;
      const maxCall = 1100 + 30 + 5000; // generous bound on one call's tokens
      expect(tight.totalTokens).toBeLessThanOrEqual(6000 + ids.length * maxCall);
      // The shared ledger is the sum of what the runs themselves counted.
      expect(tight.calls).toBe(rows.reduce((n, r) => n + r.usage.calls, 0));
      expect(tight.totalTokens).toBe(results.reduce((n, r) => n + r.usage.totalTokens, 0));
      const alerts = usage.alerts.filter((a) => a.team === 'tight').map((a) => `${a.measure}:${a.threshold}`);
      expect(alerts).toEqual(['tokens:50', 'tokens:80', 'tokens:100']);
      await waitFor('the webhook', async () => hooks.length >= 1 || undefined, 10_000);
      expect(JSON.stringify(hooks)).toContain('"threshold":100');
      const text = await team(fleet, ['usage']);
      expect(text.stdout).toMatch(/alert: team tight reached 100% of its day tokens budget/);
    } finally {
      hookServer.close();
    }
  }, 120_000);
});

describe('team mode: a worker killed mid-way under load', () => {
  it('100 runs on 3 workers, one killed with SIGKILL: all complete, none lost or run twice, the ledger is the sum of the runs', async () => {
    const tasks = Array.from({ length: 100 }, (_, i) => `Load run #${i}.`);
    conversations = tasks.map((t) => fixConversation(t, { delayMs: 60 }));
    // Queued first, in this process through the same submitter as `team submit` (a hundred CLI
    // processes would starve a small machine), so the three workers start together on a full queue.
    const submitter = await TeamSubmitter.open(fleet.databaseUrl);
    const ids: string[] = [];
    try {
      for (const task of tasks) ids.push((await submitter.submit({ repo, team: 'load', task, yes: true })).runId);
    } finally {
      await submitter.close();
    }
    const victim = await worker('k1', ['--concurrency', '4']);
    await worker('k2', ['--concurrency', '4']);
    await worker('k3', ['--concurrency', '4']);
    // Killed while it holds runs, after some have finished.
    await waitFor('k1 to be running runs after some finished', async () => {
      const mine = (await runStates()).filter((r) => ids.includes(r.run_id));
      return (mine.filter((r) => r.state === 'completed').length >= 3 && mine.some((r) => r.worker === 'k1' && r.state === 'running')) || undefined;
    });
    victim.child.kill('SIGKILL');
    await victim.exited;
    const rows = await untilAll(ids, ['completed', 'failed']);
    expect(rows.map((r) => r.state)).toEqual(ids.map(() => 'completed'));
    const results = await storedResults(ids);
    for (const r of results) expect(r.patch).toContain('+  return a + b;');
    // Every run made exactly its two recorded calls (the ledger), and was recorded once.
    expect(rows.map((r) => r.usage.calls)).toEqual(ids.map(() => 2));
    const usage = await teamJson<UsageJson>(fleet, ['usage', '--by', 'team']);
    const load = usage.rows.find((r) => r.key === 'load')!;
    expect(load.calls).toBe(200);
    expect(load.totalTokens).toBe(results.reduce((n, r) => n + r.usage.totalTokens, 0));
    // A completed call is never asked again; only a call in flight on k1 when it died can be (its answer was lost with k1).
    let repeats = 0;
    for (const t of tasks) for (const n of requestsByTurn(t).values()) repeats += n - 1;
    const onVictim = rows.filter((r) => r.attempts > 1).length;
    expect(onVictim).toBeGreaterThan(0);
    expect(repeats).toBeLessThanOrEqual(onVictim);
  }, 240_000);

  it('no secret went into the database: the gateway key is nowhere in DBOS\'s tables or ours', async () => {
    const dump = await dumpSchemas(fleet.databaseUrl, ['dbos', 'agent_harness']);
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).not.toContain(KEY);
    expect(dump).not.toContain(KEY.slice(3, 20));
  });
});

