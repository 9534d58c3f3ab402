// One implementation of the same tool-calling run, in its own process so its peak RSS is its own.
// Usage: node bench/loopOverhead.child.mjs IMPL STEPS BASE_URL HARNESS_BUNDLE
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [impl, stepsArg, baseURL, harnessBundle] = process.argv.slice(2);
const steps = Number(stepsArg);
const benchRequire = createRequire(new URL('./package.json', import.meta.url));
const MODEL = 'gpt-4o-mini';
// Realistic payloads (npm run bench:loop -- --realistic): an 8 KB system prompt and 2 KB tool results.
const SYSTEM_BYTES = Number(process.env.BENCH_SYSTEM_BYTES ?? 0);
const RESULT_BYTES = Number(process.env.BENCH_RESULT_BYTES ?? 0);
const SYSTEM = SYSTEM_BYTES > 0 ? Array.from({ length: Math.ceil(SYSTEM_BYTES / 64) }, (_, i) => `Rule ${i}: keep edits small, explain each change, run the tests.`.padEnd(63, '.')).join('\n').slice(0, SYSTEM_BYTES) : 'bench';
const echo = (i) => (RESULT_BYTES > 0 ? `echo ${i}\n${Array.from({ length: Math.ceil(RESULT_BYTES / 48) }, (_, l) => `  ${String(l).padStart(4)} | const value${l} = compute(${i}, ${l});`.padEnd(47, ' ')).join('\n')}`.slice(0, RESULT_BYTES) : `echo ${i}`);

async function ours() {
  const { runAgent, createModelClient, defineTool, ToolRegistry } = await import(pathToFileURL(harnessBundle).href);
  const { z } = await import('zod');
  const tool = defineTool({ name: 'echo', description: 'Echo a number', kind: 'read', schema: z.object({ i: z.number() }), run: async ({ i }) => echo(i) });
  const model = await createModelClient({ url: baseURL, protocol: 'openai', model: MODEL, sdkMaxRetries: 0 }, 'bench-key');
  // No token limit and no compaction: the hand-written loops have neither, and a summary call would change what is measured.
  const r = await runAgent({ task: 'go', system: SYSTEM, model, tools: new ToolRegistry([tool]), limits: { maxTurns: steps + 5, maxTokens: 1e12 }, context: { compaction: false } });
  if (r.status !== 'completed') throw new Error(`ours ended ${r.status}: ${r.error}`);
}

async function rawSdk() {
  const OpenAI = benchRequire('openai').default;
  const client = new OpenAI({ baseURL, apiKey: 'bench-key', maxRetries: 0 });
  const tools = [{ type: 'function', function: { name: 'echo', description: 'Echo a number', parameters: { type: 'object', properties: { i: { type: 'number' } }, required: ['i'] } } }];
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'go' }];
  for (let turn = 0; turn < steps + 5; turn++) {
    const stream = await client.chat.completions.create({ model: MODEL, messages, tools, stream: true, stream_options: { include_usage: true } });
    let text = '';
    const calls = new Map();
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta;
      if (d?.content) text += d.content;
      for (const tc of d?.tool_calls ?? []) {
        const c = calls.get(tc.index) ?? { id: '', name: '', args: '' };
        if (tc.id) c.id = tc.id;
        if (tc.function?.name) c.name += tc.function.name;
        if (tc.function?.arguments) c.args += tc.function.arguments;
        calls.set(tc.index, c);
      }
    }
    if (calls.size === 0) return;
    const list = [...calls.values()];
    messages.push({ role: 'assistant', content: text || null, tool_calls: list.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })) });
    for (const c of list) messages.push({ role: 'tool', tool_call_id: c.id, content: echo(JSON.parse(c.args).i) });
  }
  throw new Error('raw loop did not finish');
}

async function aiSdk() {
  const { generateText, tool, stepCountIs } = benchRequire('ai');
  const { createOpenAI } = benchRequire('@ai-sdk/openai');
  const { z } = benchRequire('zod');
  const provider = createOpenAI({ baseURL, apiKey: 'bench-key' });
  const r = await generateText({
    model: provider.chat(MODEL),
    system: SYSTEM,
    prompt: 'go',
    maxRetries: 0,
    tools: { echo: tool({ description: 'Echo a number', inputSchema: z.object({ i: z.number() }), execute: async ({ i }) => echo(i) }) },
    stopWhen: stepCountIs(steps + 5),
  });
  if (r.finishReason !== 'stop') throw new Error(`ai sdk ended ${r.finishReason}`);
}

async function openaiAgents() {
  const agents = benchRequire('@openai/agents');
  const OpenAI = benchRequire('openai').default;
  const { z } = benchRequire('zod');
  agents.setTracingDisabled(true);
  const client = new OpenAI({ baseURL, apiKey: 'bench-key', maxRetries: 0 });
  const model = new agents.OpenAIChatCompletionsModel(client, MODEL);
  const echoTool = agents.tool({ name: 'echo', description: 'Echo a number', parameters: z.object({ i: z.number() }), execute: async ({ i }) => echo(i) });
  const agent = new agents.Agent({ name: 'bench', instructions: SYSTEM, model, tools: [echoTool] });
  const r = await agents.run(agent, 'go', { maxTurns: steps + 5 });
  if (typeof r.finalOutput !== 'string') throw new Error('agents run had no final output');
}

const impls = { ours, rawSdk, aiSdk, openaiAgents };
await impls[impl]();
const { maxRSS } = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ impl, steps, maxRssKb: maxRSS })}\n`);
