// What the production gateway layer (retry policy, breaker, rate limiter, budgets, usage ledger and
// trace) adds to a model call when nothing fails. A measurement, not a test; the goal is < 0.5 ms
// median per call. Usage: node bench/gatewayOverhead.bench.mjs [--runs 7] [--calls 200]
//
// Two measurements:
//  1. over HTTP: a bare SDK adapter vs the resilient client around the same adapter, both against the
//     scripted server, interleaved in blocks so drift in machine load hits both alike. The difference
//     of the medians is the overhead, seen through network noise.
//  2. in memory: the resilient client around an in-memory model vs that model alone, which isolates the
//     layer's own cost (no sockets) and so gives the precise number.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTs, median, percentile } from './support/loadTs.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) || dflt : dflt;
};
const runs = opt('--runs', 7);
const calls = opt('--calls', 200);

const m = await loadTs('bench/gatewayOverhead.bench.entry.ts');
const dir = await mkdtemp(path.join(tmpdir(), 'ah-gateway-bench-'));
const server = await m.startScriptedServer();
server.respondWith(() => ({ text: 'ok', usage: { input: 1200, output: 20 } }));

const request = {
  system: 'You are a coding agent.',
  messages: [{ role: 'user', content: 'Fix the failing test in src/stats.js. '.repeat(20) }],
  tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
};

/** Everything production wires: breaker registry with a state file, rate limits, budgets, ledger, trace, context. */
async function production(inner) {
  const clock = m.systemResilienceClock;
  const breakers = await m.BreakerRegistry.create({ clock, store: undefined });
  const redact = m.createRedactor(['sk-bench-key-0123456789']);
  const ledger = new m.UsageLedger(path.join(dir, 'usage'), redact);
  const traces = new m.JsonlTraceWriter(path.join(dir, 'traces'));
  const trace = new m.TraceRecorder({ write: traces.write, redact });
  const tracker = new m.RunContextTracker();
  tracker.sink({ type: 'run_started', runId: 'bench', seq: 0, time: '', task: '', model: inner.model, protocol: inner.protocol, profile: 'coder', limits: { maxTurns: 1, maxToolCalls: 1, maxTokens: 1 }, tools: [], skills: [] });
  const rateLimiter = new m.RateLimiter({ [inner.model]: { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 } }, clock);
  const budget = new m.BudgetGuard({ limits: { run: { tokens: 1e12, costUsd: 1e9 }, day: { costUsd: 1e9 } } });
  const client = new m.ResilientModelClient({
    routes: [{ client: inner, credential: 'bench' }],
    breakers,
    rateLimiter,
    budget,
    context: tracker.context,
    onCall: (r) => {
      ledger.append(r);
      trace.onModelCall(r);
    },
  });
  return { client, flush: () => Promise.all([ledger.flush(), traces.flush()]) };
}

async function timeCalls(client, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    let ok = false;
    for await (const ev of client.stream(request)) if (ev.type === 'response') ok = true;
    out.push(performance.now() - t0);
    if (!ok) throw new Error('no response');
  }
  return out;
}

async function compare(label, bare, wrapped, flush) {
  const samples = { bare: [], wrapped: [] };
  await timeCalls(bare, 20);
  await timeCalls(wrapped, 20);
  const diffs = [];
  for (let r = 0; r < runs; r++) {
    // Blocks of 10 calls alternate, so both see the same machine conditions.
    const b = [];
    const w = [];
    for (let i = 0; i < calls; i += 10) {
      b.push(...(await timeCalls(bare, 10)));
      w.push(...(await timeCalls(wrapped, 10)));
    }
    await flush();
    samples.bare.push(...b);
    samples.wrapped.push(...w);
    diffs.push(median(w) - median(b));
  }
  const mb = median(samples.bare);
  const mw = median(samples.wrapped);
  console.log(
    `${label.padEnd(28)} bare median ${mb.toFixed(3)} ms (p99 ${percentile(samples.bare, 99).toFixed(3)})  resilient median ${mw.toFixed(3)} ms (p99 ${percentile(samples.wrapped, 99).toFixed(3)})  overhead: median of per-run differences ${median(diffs).toFixed(3)} ms`,
  );
  return median(diffs);
}

console.log(`node ${process.version}; ${runs} runs x ${calls} calls per client`);
const results = {};
for (const protocol of ['openai', 'anthropic']) {
  const config = { url: protocol === 'openai' ? `${server.url}/v1` : server.url, protocol, model: protocol === 'openai' ? 'gpt-4o' : 'claude-haiku-4-5', sdkMaxRetries: 0 };
  const bare = await m.createModelClient(config, 'sk-bench-key-0123456789');
  const inner = await m.createModelClient(config, 'sk-bench-key-0123456789');
  const { client, flush } = await production(inner);
  results[`http/${protocol}`] = await compare(`over HTTP (${protocol})`, bare, client, flush);
}
{
  // An in-memory model that answers every call at once, the same way each time.
  const endless = (name) => {
    const fake = new m.FakeModelClient([], name);
    const usage = { inputTokens: 1200, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
    fake.stream = async function* () {
      yield { type: 'text_delta', text: 'ok' };
      yield { type: 'response', response: { message: { role: 'assistant', text: 'ok', toolCalls: [] }, stopReason: 'end_turn', usage, model: name } };
    };
    return fake;
  };
  const bare = endless('gpt-4o');
  const { client, flush } = await production(endless('gpt-4o'));
  results.memory = await compare('in memory (layer alone)', bare, client, flush);
}
await server.close();
await rm(dir, { recursive: true, force: true });
const worst = Math.max(...Object.values(results));
console.log(`overhead per call when nothing fails: worst ${worst.toFixed(3)} ms (goal < 0.5 ms) -> ${worst < 0.5 ? 'met' : 'NOT met'}`);
