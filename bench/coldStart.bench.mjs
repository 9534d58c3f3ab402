// What a CLI invocation costs before it does any work, against an empty Node (`node -e 0`) measured in
// the same run, interleaved: `--version`, `policy check-command -- ls`, and a 5-turn scripted run
// (four tool calls and an answer, local mode, against the scripted server). A measurement, not a test.
// Then the cost of history: a one-turn run with an empty usage ledger against the same run with a
// month of 200,000 ledger rows, without and with a day budget (which needs today's spend).
// Usage: npm run bench:start [-- --runs 9] [--ledger-rows 200000] [--json]
//
// CPU is the child's own user+system time, read at its exit by a preloaded hook (Node has no
// rusage of children); wall is spawn to exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTs, median, repoRoot } from './support/loadTs.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 9) || 9;
const asJson = args.includes('--json');
const LEDGER_ROWS = Number(args.includes('--ledger-rows') ? args[args.indexOf('--ledger-rows') + 1] : 200_000);
const cli = path.join(repoRoot, 'dist/cli.js');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ah-bench-start-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const cpuHook = path.join(tmp, 'cpu.cjs');
writeFileSync(cpuHook, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(3, JSON.stringify({ cpu: (u.user + u.system) / 1e6 })); });\n");
const workspace = path.join(tmp, 'ws');
const { mkdirSync } = await import('node:fs');
mkdirSync(workspace);
for (let i = 0; i < 4; i++) writeFileSync(path.join(workspace, `f${i}.ts`), `export const v${i} = ${i};\n`.repeat(40));

const { startScriptedServer } = await loadTs('bench/support/serverEntry.ts');
const server = await startScriptedServer();
const FIVE_TURNS = [
  { toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] },
  { toolCalls: [{ name: 'read_file', arguments: { path: 'f0.ts' } }] },
  { toolCalls: [{ name: 'read_file', arguments: { path: 'f1.ts' } }] },
  { toolCalls: [{ name: 'find_files', arguments: { pattern: '**/*.ts' } }] },
  { text: 'Read four files; nothing to change.' },
];

/** Runs one child; resolves { wall, cpu } (seconds). */
function measure(argv, env = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-r', cpuHook, ...argv], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let report = '';
    let stderr = '';
    child.stdio[3].on('data', (d) => (report += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim()}`));
      resolve({ wall, cpu: JSON.parse(report).cpu });
    });
  });
}

const runEnv = {
  AGENT_HARNESS_HOME: path.join(tmp, 'home'),
  AGENT_HARNESS_API_KEY: 'bench-key',
  AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1`,
  AGENT_HARNESS_PROTOCOL: 'openai',
  AGENT_HARNESS_MODEL: 'bench-model',
};
// A month of history: LEDGER_ROWS rows in this month's ledger file (spread over its days so far).
const bigHome = path.join(tmp, 'big-home');
{
  const now = new Date();
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  mkdirSync(path.join(bigHome, 'usage'), { recursive: true });
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const span = Math.max(1, now.getTime() - start);
  const chunk = [];
  const file = path.join(bigHome, 'usage', `usage-${month}.jsonl`);
  writeFileSync(file, '');
  for (let i = 0; i < LEDGER_ROWS; i++) {
    const time = new Date(start + Math.floor((span * i) / LEDGER_ROWS)).toISOString();
    chunk.push(JSON.stringify({ time, runId: `r${i >> 4}`, step: `r${i >> 4}:m${i & 15}`, profile: 'coder', skills: [], model: 'bench-model', protocol: 'openai', attempt: 1, usage: { inputTokens: 900, outputTokens: 40, cacheReadTokens: 3000, cacheWriteTokens: 0 }, costUsd: 0.001, latencyMs: 800, outcome: 'ok' }));
    if (chunk.length === 10_000) writeFileSync(file, `${chunk.splice(0).join('\n')}\n`, { flag: 'a' });
  }
  if (chunk.length) writeFileSync(file, `${chunk.join('\n')}\n`, { flag: 'a' });
}
const ONE_TURN = [{ text: 'Nothing to do.' }];
async function oneTurn(home, extraEnv = {}) {
  server.reset();
  server.script(ONE_TURN);
  return measure([cli, 'run', '--workspace', workspace, '--sandbox', 'local', '--trust-workspace', '--json', 'Say hi.'], { ...runEnv, AGENT_HARNESS_HOME: home, ...extraEnv });
}
const DAY_BUDGET = { AGENT_HARNESS_MAX_TOKENS_PER_DAY: String(1e12) };

const CASES = {
  'node -e 0': () => measure(['-e', '0']),
  'agent-harness --version': () => measure([cli, '--version']),
  'policy check-command -- ls': () => measure([cli, 'policy', 'check-command', '--', 'ls']),
  '5-turn scripted run': async () => {
    server.reset();
    server.script(FIVE_TURNS);
    const r = await measure([cli, 'run', '--workspace', workspace, '--sandbox', 'local', '--trust-workspace', '--json', 'Read the code and report.'], runEnv);
    if (server.requests.length !== 5) throw new Error(`the run made ${server.requests.length} model calls, expected 5`);
    return r;
  },
  '1-turn run, empty ledger': () => oneTurn(path.join(tmp, `empty-home-${Math.random()}`)),
  '1-turn run, empty ledger, day budget': () => oneTurn(path.join(tmp, `empty-home-${Math.random()}`), DAY_BUDGET),
  [`1-turn run, ${LEDGER_ROWS / 1000}k-row ledger`]: () => oneTurn(bigHome),
  [`1-turn run, ${LEDGER_ROWS / 1000}k-row ledger, day budget`]: () => oneTurn(bigHome, DAY_BUDGET),
};

const samples = Object.fromEntries(Object.keys(CASES).map((k) => [k, { wall: [], cpu: [] }]));
await CASES['5-turn scripted run'](); // warm the OS file cache once; not counted
// The first run with a day budget over the big ledger builds its running totals: timed on its own.
const firstBudgetRun = await oneTurn(bigHome, DAY_BUDGET);
for (let r = 0; r < runs; r++) {
  for (const [name, run] of Object.entries(CASES)) {
    const { wall, cpu } = await run();
    samples[name].wall.push(wall);
    samples[name].cpu.push(cpu);
  }
}
await server.close();

const base = { wall: median(samples['node -e 0'].wall), cpu: median(samples['node -e 0'].cpu) };
const rows = Object.entries(samples).map(([name, s]) => {
  const wall = median(s.wall);
  const cpu = median(s.cpu);
  return { name, wallMs: wall * 1000, cpuS: cpu, wallRatio: wall / base.wall };
});
const row = (name) => rows.find((r) => r.name === name);
const historyCost = (withBig, empty) => row(withBig).wallMs / row(empty).wallMs - 1;
const history = {
  noBudget: historyCost(`1-turn run, ${LEDGER_ROWS / 1000}k-row ledger`, '1-turn run, empty ledger'),
  dayBudget: historyCost(`1-turn run, ${LEDGER_ROWS / 1000}k-row ledger, day budget`, '1-turn run, empty ledger, day budget'),
  firstDayBudgetRunMs: firstBudgetRun.wall * 1000,
};
if (asJson) {
  console.log(JSON.stringify({ runs, rows, history }));
} else {
  console.log(`cold start, median of ${runs} interleaved runs (node ${process.version}, ${os.cpus().length} CPUs)`);
  console.log(`${'case'.padEnd(42)}wall ms   x node -e 0   CPU s`);
  for (const r of rows) console.log(`${r.name.padEnd(42)}${r.wallMs.toFixed(0).padStart(7)}   ${r.wallRatio.toFixed(2).padStart(11)}   ${r.cpuS.toFixed(3)}`);
  console.log(`a ${LEDGER_ROWS / 1000}k-row month costs a run ${(history.noBudget * 100).toFixed(1)}% without a day budget and ${(history.dayBudget * 100).toFixed(1)}% with one (goal <= 10%); the first run with a day budget builds the running totals: ${history.firstDayBudgetRunMs.toFixed(0)} ms`);
}
