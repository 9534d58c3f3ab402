// Per-step harness overhead for a tool-calling run: ours vs a hand-written loop on the raw SDK,
// the Vercel AI SDK's generateText and @openai/agents, all pointed at the same scripted server.
// A measurement, not a test. Usage: npm run bench:loop [-- --runs 7]
//
// A step is one model call plus its tool call. Overhead per step is measured on the server: from the
// moment a response has been fully sent to the moment the next request has arrived. That is exactly
// what the harness does between two model calls (read the end of the stream, assemble and validate
// the tool call, run the tool, build and send the next request), without the server's own work.
// The full step time (request to request) is reported too. Each run is a fresh child process, so
// peak RSS is its own.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { bundleTs, loadTs, median, percentile, repoRoot } from './support/loadTs.mjs';

const run = promisify(execFile);
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
const IMPLS = ['ours', 'rawSdk', 'aiSdk', 'openaiAgents'];
// --realistic: an 8 KB system prompt and 2 KB tool results, at 20 and 200 steps (issue 21's goals).
const REALISTIC = args.includes('--realistic');
const STEP_COUNTS = REALISTIC ? [20, 200] : [20, 50];
const childEnv = { ...process.env, ...(REALISTIC ? { BENCH_SYSTEM_BYTES: '8192', BENCH_RESULT_BYTES: '2048' } : {}) };

if (!existsSync(new URL('./node_modules/ai', import.meta.url))) {
  console.error('bench: peers missing; run `npm install --prefix bench` first (npm run bench:loop does it)');
  process.exit(2);
}

const { startScriptedServer } = await loadTs('bench/support/serverEntry.ts');
const harnessBundle = await bundleTs('bench/support/harnessEntry.ts');
process.on('exit', () => rmSync(harnessBundle, { force: true }));
let finishes = [];
const server = await startScriptedServer({ onResponseFinished: (_req, at) => finishes.push(at) });
let arrivals = [];
let target = 0;
server.respondWith((req) => {
  arrivals.push(performance.now());
  const toolResults = (req.body.messages ?? []).filter((m) => m.role === 'tool').length;
  if (toolResults < target) return { toolCalls: [{ name: 'echo', arguments: { i: toolResults } }], usage: { input: 200 + toolResults * 20, output: 12 } };
  return { text: 'done', usage: { input: 200 + toolResults * 20, output: 2 } };
});

const results = {};
for (const steps of STEP_COUNTS) {
  for (let r = 0; r < runs; r++) {
    // Interleave implementations so drift in machine load hits all of them alike.
    for (const impl of IMPLS) {
      arrivals = [];
      finishes = [];
      target = steps;
      const { stdout } = await run(process.execPath, ['bench/loopOverhead.child.mjs', impl, String(steps), `${server.url}/v1`, harnessBundle], { cwd: repoRoot, env: childEnv });
      const { maxRssKb } = JSON.parse(stdout.trim().split('\n').at(-1));
      if (arrivals.length !== steps + 1) throw new Error(`${impl} made ${arrivals.length} model calls, expected ${steps + 1}`);
      const key = `${impl}/${steps}`;
      results[key] ??= { overhead: [], perStep: [], rss: [] };
      // Skip the first gap: it includes module loading and connection setup.
      for (let i = 2; i < arrivals.length; i++) {
        results[key].perStep.push(arrivals[i] - arrivals[i - 1]);
        results[key].overhead.push(arrivals[i] - finishes[i - 1]);
      }
      results[key].rss.push(maxRssKb / 1024);
    }
  }
}
await server.close();

const rows = [];
for (const steps of STEP_COUNTS) {
  for (const impl of IMPLS) {
    const { overhead, perStep, rss } = results[`${impl}/${steps}`];
    rows.push({ steps, impl, medianMs: median(overhead), p99Ms: percentile(overhead, 99), stepMedianMs: median(perStep), peakRssMb: Math.max(...rss) });
  }
}
if (args.includes('--json')) {
  const ratios = Object.fromEntries(
    STEP_COUNTS.map((steps) => {
      const m = (impl) => rows.find((r) => r.steps === steps && r.impl === impl).medianMs;
      return [steps, { oursOverOpenaiAgents: m('ours') / m('openaiAgents'), oursOverAiSdk: m('ours') / m('aiSdk'), oursOverRawSdk: m('ours') / m('rawSdk') }];
    }),
  );
  console.log(JSON.stringify({ runs, realistic: REALISTIC, rows, ratios }));
  process.exit(0);
}
console.log(`runs per implementation: ${runs}; node ${process.version}; payloads: ${REALISTIC ? '8 KB system prompt, 2 KB tool results' : 'tiny'}`);
console.log('steps  implementation   overhead median ms/step   overhead p99 ms/step   step median ms   peak RSS MB');
for (const r of rows) {
  console.log(`${String(r.steps).padEnd(6)} ${r.impl.padEnd(16)} ${r.medianMs.toFixed(3).padStart(23)} ${r.p99Ms.toFixed(3).padStart(22)} ${r.stepMedianMs.toFixed(3).padStart(16)} ${r.peakRssMb.toFixed(1).padStart(13)}`);
}
// Two readings of "harness overhead": the whole client time per step, and the time a harness adds on
// top of the hand-written loop on the raw SDK (the floor any harness on the same SDK pays).
for (const steps of STEP_COUNTS) {
  const m = (impl) => rows.find((r) => r.steps === steps && r.impl === impl).medianMs;
  const added = (impl) => Math.max(m(impl) - m('rawSdk'), 0);
  console.log(`${steps} steps, client time per step: ours/aiSdk = ${(m('ours') / m('aiSdk')).toFixed(2)} (goal <= 1.10), ours/openaiAgents = ${(m('ours') / m('openaiAgents')).toFixed(2)} (goal <= 0.50), ours/rawSdk = ${(m('ours') / m('rawSdk')).toFixed(2)}${steps === 200 ? ' (goal <= 1.20)' : ''}`);
  console.log(
    `${steps} steps, added over the raw SDK loop: ours ${added('ours').toFixed(3)} ms, aiSdk ${added('aiSdk').toFixed(3)} ms, openaiAgents ${added('openaiAgents').toFixed(3)} ms; ` +
      `ours/aiSdk = ${(added('ours') / added('aiSdk')).toFixed(2)}, ours/openaiAgents = ${(added('ours') / added('openaiAgents')).toFixed(2)}`,
  );
}
