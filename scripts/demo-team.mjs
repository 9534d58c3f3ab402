// The local team demo, offline: a throwaway PostgreSQL, the scripted model server, three workers,
// twenty submitted runs, then their results. Everything started here is stopped at the end.
//   npm run demo:team
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { cli, cliJson, fixConversations, makeDemoRepo, root, startFleet } from './lib/teamFleet.mjs';

const say = (t) => process.stderr.write(`demo: ${t}\n`);
const tasks = Array.from({ length: 20 }, (_, i) => `Fix add.js (demo run #${i + 1}).`);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ah-team-demo-'));
const scenario = path.join(scratch, 'scripted-model.json');
writeFileSync(scenario, JSON.stringify({ conversations: fixConversations(tasks, 20) }));

const server = spawn(process.execPath, [path.join(root, 'dist/dev/scriptedServer.js'), '--port', '0', '--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d.toString();
    const m = /listening on (http\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', () => reject(new Error('the scripted model server did not start')));
});
say(`OFFLINE DEMO: the scripted model server at ${url} answers (not a real model)`);

let fleet;
try {
  fleet = await startFleet({ gatewayUrl: `${url}/v1` });
  say(`PostgreSQL at ${fleet.databaseUrl}; starting three workers`);
  await Promise.all(['worker-1', 'worker-2', 'worker-3'].map((id) => fleet.startWorker(id, ['--concurrency', '3'])));
  const repo = makeDemoRepo();
  await cli(['team', 'budget', 'demo', '--day-tokens', '200000'], fleet.env);
  say(`submitting ${tasks.length} runs against ${repo}`);
  const ids = [];
  for (let i = 0; i < tasks.length; i += 5) {
    const batch = await Promise.all(tasks.slice(i, i + 5).map((t) => cliJson(['team', 'submit', '--repo', repo, '--team', 'demo', '--yes', t], fleet.env)));
    ids.push(...batch.map((b) => b.runId));
  }
  const started = Date.now();
  for (;;) {
    const { runs } = await cliJson(['team', 'status'], fleet.env);
    const mine = runs.filter((r) => ids.includes(r.runId));
    const done = mine.filter((r) => ['completed', 'failed', 'cancelled'].includes(r.state)).length;
    say(`${done}/${ids.length} runs finished`);
    if (done === ids.length) break;
    if (Date.now() - started > 180_000) throw new Error('the runs did not finish within 3 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stdout.write((await cli(['team', 'status'], fleet.env)).stdout);
  process.stdout.write('\n');
  process.stdout.write((await cli(['team', 'usage', '--by', 'team'], fleet.env)).stdout);
  process.stdout.write('\n');
  process.stdout.write((await cli(['team', 'result', ids[0]], fleet.env)).stdout);
  rmSync(repo, { recursive: true, force: true });
} finally {
  if (fleet) await fleet.stop();
  server.kill();
  rmSync(scratch, { recursive: true, force: true });
}
