// Prompt caching on a scripted 30-turn agent run: the share of input tokens the provider could serve
// from its cache on each turn, and the run's cost with and without caching. A measurement, not a test.
// Usage: node bench/promptCache.bench.mjs [--turns 30] [--model claude-haiku-4-5] [--json]
//
// The run goes through the real Anthropic adapter and the real loop against the scripted server, which
// simulates the provider's cache from the request's `cache_control` breakpoints (see
// test/support/scriptedServer/usage.ts: tokens are estimated as UTF-8 bytes / 4, no minimum prefix).
// "With caching" is the run with the loop's cache hint on; "without" is the same run with it off.
// The OpenAI protocol (automatic prefix caching, no hint) is reported too, as the share only.
// Goal (issue 9): at least 90% of the input tokens of the turns after the second served from cache.
// The lowest single turn is reported too: a turn's uncached part is exactly what it adds (the last
// tool result), so a turn that adds a long output to a still-short prompt scores lower on its own.
import { loadTs } from './support/loadTs.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const TURNS = Number(opt('--turns', 30));
// Any Anthropic model in the price table; claude-sonnet-4-5 makes the SDK print a deprecation notice per call.
const MODEL = opt('--model', 'claude-haiku-4-5');
const JSON_OUT = args.includes('--json');

const m = await loadTs('bench/promptCache.bench.entry.ts');
const { z } = m;

// A tool set shaped like the product's (names and schemas of the fixed tools), with canned results
// of realistic sizes: file reads of a few KB, greps, short command outputs.
const body = (n, seed) => Array.from({ length: n }, (_, i) => `  line ${seed}.${i}: const value${i} = compute(${i}, "${seed}");`).join('\n');
const TOOLS = [
  ['read_file', 'Read a file of the workspace.', z.object({ path: z.string(), offset: z.number().int().optional(), limit: z.number().int().optional() }), (a) => body(60, a.path)],
  ['list_dir', 'List a folder.', z.object({ path: z.string() }), (a) => Array.from({ length: 20 }, (_, i) => `${a.path}/file${i}.ts`).join('\n')],
  ['grep', 'Search file contents.', z.object({ pattern: z.string(), path: z.string().optional(), glob: z.string().optional() }), (a) => body(15, a.pattern)],
  ['find_files', 'Find files by glob.', z.object({ pattern: z.string() }), (a) => Array.from({ length: 10 }, (_, i) => `src/${a.pattern}-${i}.ts`).join('\n')],
  ['write_file', 'Propose a new file.', z.object({ path: z.string(), content: z.string() }), (a) => `proposed ${a.path}`],
  ['edit_file', 'Propose an edit.', z.object({ path: z.string(), old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() }), (a) => `proposed an edit to ${a.path}`],
  ['run_command', 'Run a command in the sandbox.', z.object({ command: z.string(), timeout_ms: z.number().int().optional() }), (a) => `$ ${a.command}\n${body(20, 'out')}\nexit 0`],
].map(([name, description, schema, result]) => m.defineTool({ name, description, kind: 'read', schema, run: async (a) => result(a) }));

const PLAN = [
  ['read_file', (i) => ({ path: `src/module${i}.ts` })],
  ['grep', (i) => ({ pattern: `symbol${i}` })],
  ['run_command', (i) => ({ command: `npm test -- module${i}` })],
  ['edit_file', (i) => ({ path: `src/module${i}.ts`, old_string: `value${i}`, new_string: `result${i}` })],
  ['list_dir', (i) => ({ path: `src/dir${i}` })],
];

const SYSTEM = `${m.BASE_INSTRUCTIONS}\n\n# Project\n${body(40, 'project-notes')}\n`;

async function run(server, protocol, cache) {
  server.reset();
  let turn = 0;
  server.respondWith(() => {
    const i = turn++;
    if (i >= TURNS - 1) return { text: 'All done: the modules are updated and the tests pass.' };
    const [name, argsFor] = PLAN[i % PLAN.length];
    return { text: `Step ${i}: next I use ${name}.`, toolCalls: [{ id: `call_${i}`, name, arguments: argsFor(i) }] };
  });
  const url = protocol === 'openai' ? `${server.url}/v1` : server.url;
  const model = await m.createModelClient({ url, protocol, model: protocol === 'openai' ? 'gpt-4o' : MODEL, sdkMaxRetries: 0 }, 'sk-bench');
  const usages = [];
  const res = await m.runAgent({
    task: 'Rename value to result in every module and keep the tests green.',
    system: SYSTEM,
    model,
    tools: new m.ToolRegistry(TOOLS),
    cache,
    limits: { maxTurns: TURNS + 1, maxToolCalls: TURNS + 1 },
    loopRepeats: 0,
    sinks: [(e) => e.type === 'usage' && usages.push(e.usage)],
  });
  if (res.status !== 'completed') throw new Error(`run ended ${res.status}: ${res.error}`);
  return { usages, result: res };
}

const share = (u) => u.cacheReadTokens / (u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens);
const promptTokens = (u) => u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;

const server = await m.startScriptedServer();
try {
  const cached = await run(server, 'anthropic', true);
  const plain = await run(server, 'anthropic', false);
  const openai = await run(server, 'openai', false);

  const after2 = cached.usages.slice(2);
  const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
  const aggregate = sum(after2, (u) => u.cacheReadTokens) / sum(after2, promptTokens);
  const minShare = Math.min(...after2.map(share));
  const openaiAfter2 = openai.usages.slice(2);
  const openaiAggregate = sum(openaiAfter2, (u) => u.cacheReadTokens) / sum(openaiAfter2, promptTokens);
  const costWith = cached.result.usage.costUsd;
  const costWithout = plain.result.usage.costUsd;
  const out = {
    turns: TURNS,
    model: MODEL,
    promptTokensFirstTurn: promptTokens(cached.usages[0]),
    promptTokensLastTurn: promptTokens(cached.usages.at(-1)),
    anthropic: {
      cacheShareAfterTurn2: aggregate,
      minTurnShareAfterTurn2: minShare,
      perTurnShare: cached.usages.map(share),
      cacheReadTokens: cached.result.usage.cacheReadTokens,
      cacheWriteTokens: cached.result.usage.cacheWriteTokens,
      uncachedInputTokens: cached.result.usage.inputTokens,
      costWithCachingUsd: costWith,
      costWithoutCachingUsd: costWithout,
      saving: 1 - costWith / costWithout,
    },
    openai: { cacheShareAfterTurn2: openaiAggregate, minTurnShareAfterTurn2: Math.min(...openaiAfter2.map(share)), costUsd: openai.result.usage.costUsd },
    goalMet: aggregate >= 0.9,
  };
  if (JSON_OUT) console.log(JSON.stringify(out));
  else {
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    console.log(`prompt cache, scripted ${TURNS}-turn run (${MODEL}); prompt grows from ${out.promptTokensFirstTurn} to ${out.promptTokensLastTurn} tokens`);
    console.log(`anthropic (breakpoints): input of turns 3-${TURNS} served from cache: ${pct(aggregate)} (goal >= 90%: ${out.goalMet ? 'met' : 'NOT met'}); lowest single turn ${pct(minShare)}`);
    console.log(`  per turn: ${out.anthropic.perTurnShare.map((s) => (s * 100).toFixed(0)).join(' ')}`);
    console.log(`  tokens: cache read ${out.anthropic.cacheReadTokens}, cache write ${out.anthropic.cacheWriteTokens}, uncached input ${out.anthropic.uncachedInputTokens}`);
    console.log(`  cost with caching $${costWith.toFixed(4)}, without $${costWithout.toFixed(4)} (saving ${pct(out.anthropic.saving)})`);
    console.log(`openai (automatic prefix caching): after turn 2 ${pct(openaiAggregate)} overall, lowest turn ${pct(out.openai.minTurnShareAfterTurn2)}; cost $${out.openai.costUsd.toFixed(4)} (gpt-4o)`);
  }
} finally {
  await server.close();
}
