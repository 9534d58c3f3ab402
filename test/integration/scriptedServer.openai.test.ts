import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useScriptedServer } from '../support/fixtures';

// The real OpenAI SDK against the scripted server: if the wire format drifts from what the SDK
// parses, these fail.

const server = useScriptedServer();
let client: OpenAI;

beforeAll(async () => {
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 });
});
beforeEach(() => server.reset());

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
];

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('scripted server, OpenAI chat completions', () => {
  it('streams text in several deltas that join to the scripted text', async () => {
    server.script([{ text: 'Hello there, this is a scripted answer.' }]);
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? ''));
    expect(deltas.filter((d) => d !== '').length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('Hello there, this is a scripted answer.');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((c) => c.model === 'gpt-test' && c.object === 'chat.completion.chunk')).toBe(true);
  });

  it('streams tool calls with the id and name first and the arguments in fragments', async () => {
    server.script([
      {
        text: 'Reading two files.',
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: { path: 'src/index.ts' } },
          { name: 'read_file', arguments: { path: 'README.md', offset: 10 } },
        ],
      },
    ]);
    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-test', stream: true, tools, messages: [{ role: 'user', content: 'read' }] }),
    );
    const fragments = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    const byIndex = new Map<number, { id?: string; name?: string; args: string; pieces: number }>();
    for (const f of fragments) {
      const entry = byIndex.get(f.index) ?? { args: '', pieces: 0 };
      if (f.id) entry.id = f.id;
      if (f.function?.name) entry.name = f.function.name;
      if (f.function?.arguments) {
        entry.args += f.function.arguments;
        entry.pieces += 1;
      }
      byIndex.set(f.index, entry);
    }
    const first = byIndex.get(0);
    const second = byIndex.get(1);
    expect(first).toMatchObject({ id: 'call_a', name: 'read_file' });
    expect(JSON.parse(first?.args ?? '')).toEqual({ path: 'src/index.ts' });
    expect(first?.pieces).toBeGreaterThan(1);
    expect(second?.id).toMatch(/^call_/);
    expect(JSON.parse(second?.args ?? '')).toEqual({ path: 'README.md', offset: 10 });
    // Only the first fragment of each call carries the id and the name.
    expect(fragments.filter((f) => f.id !== undefined)).toHaveLength(2);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('sends usage in a final chunk with no choices when include_usage is set', async () => {
    server.script([{ text: 'one two three', usage: { input: 40, output: 7, cacheRead: 12 } }]);
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'gpt-test',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count' }],
      }),
    );
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 52, completion_tokens: 7, total_tokens: 59, prompt_tokens_details: { cached_tokens: 12 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('sends no usage chunk without include_usage', async () => {
    server.script([{ text: 'short' }]);
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'x' }] }));
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('computes default usage from the request and reports a repeated prefix as cached', async () => {
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a careful assistant. '.repeat(20) },
      { role: 'user', content: 'First question' },
    ];
    const expectedPrompt = Math.ceil(messages.reduce((n, m) => n + Buffer.byteLength(JSON.stringify(m)), 0) / 4);
    server.script([{ text: 'first answer' }, { text: 'second answer' }]);
    const first = await client.chat.completions.create({ model: 'gpt-test', messages });
    expect(first.usage?.prompt_tokens).toBe(expectedPrompt);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(first.usage?.completion_tokens).toBe(Math.ceil('first answer'.length / 4));

    const second = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [...messages, { role: 'assistant', content: 'first answer' }, { role: 'user', content: 'Second question' }],
    });
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(expectedPrompt);
    expect(second.usage?.prompt_tokens).toBeGreaterThan(expectedPrompt);
  });

  it('answers a non-streaming request with a chat.completion object', async () => {
    server.script([{ text: 'Plain answer', toolCalls: [{ id: 'call_x', name: 'read_file', arguments: '{"path":"a.txt"}' }] }]);
    const completion = await client.chat.completions.create({ model: 'gpt-test', tools, messages: [{ role: 'user', content: 'go' }] });
    const choice = completion.choices[0];
    expect(completion.object).toBe('chat.completion');
    expect(choice?.message.content).toBe('Plain answer');
    expect(choice?.message.tool_calls?.[0]).toEqual({ id: 'call_x', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } });
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it('maps a scripted max_tokens stop to finish_reason length', async () => {
    server.script([{ text: 'cut short', stopReason: 'max_tokens' }]);
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'go' }] });
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('returns a json turn as the message text for a json_schema response_format', async () => {
    const answer = { verdict: 'ok', findings: [{ line: 3, note: 'fine' }] };
    server.script([{ json: answer }, { json: answer }]);
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: 'review', strict: true, schema: { type: 'object', properties: { verdict: { type: 'string' } } } },
    };
    const plain = await client.chat.completions.create({ model: 'gpt-test', response_format, messages: [{ role: 'user', content: 'review' }] });
    expect(JSON.parse(plain.choices[0]?.message.content ?? '')).toEqual(answer);

    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-test', stream: true, response_format, messages: [{ role: 'user', content: 'review' }] }),
    );
    expect(JSON.parse(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''))).toEqual(answer);
    expect(server.requests[1]?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'review' } } });
  });

  it('records each request with its path, headers and parsed body', async () => {
    server.script([{ text: 'a' }]);
    const extra = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-other', maxRetries: 0, defaultHeaders: { 'x-gateway-team': 'blue' } });
    await extra.chat.completions.create({ model: 'gpt-test', temperature: 0, messages: [{ role: 'user', content: 'record me' }] });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req?.protocol).toBe('openai');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-other');
    expect(req?.headers['x-gateway-team']).toBe('blue');
    expect(req?.body).toEqual({ model: 'gpt-test', temperature: 0, messages: [{ role: 'user', content: 'record me' }] });
    expect(req?.receivedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('also serves /chat/completions for gateways whose base URL already ends in /v1', async () => {
    server.script([{ text: 'via bare path' }]);
    const bare = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    const completion = await bare.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0]?.message.content).toBe('via bare path');
    expect(server.requests[0]?.path).toBe('/chat/completions');
  });

  it('rejects a tool message that answers no tool call, as the real API does, without using a turn', async () => {
    server.script([{ text: 'unused' }]);
    const call = client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 'call_missing', content: 'result' },
      ],
    });
    await expect(call).rejects.toMatchObject({ status: 400, error: { type: 'invalid_request_error' } });
    await expect(call).rejects.toThrow(/preceeding message with 'tool_calls'/);
    expect(server.pending()).toBe(1);
  });

  it('rejects an assistant tool call left without a tool answer', async () => {
    const call = client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
        { role: 'user', content: 'and?' },
      ],
    });
    await expect(call).rejects.toThrow(/did not have response messages: call_1/);
  });
});
