import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useScriptedServer } from '../support/fixtures';

// The real Anthropic SDK against the scripted server: if the wire format drifts from what the SDK
// parses, these fail.

const server = useScriptedServer();
let client: Anthropic;

beforeAll(async () => {
  client = new Anthropic({ baseURL: server.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
beforeEach(() => server.reset());

const tools: Anthropic.Tool[] = [
  { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'list_dir', description: 'List a directory', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
];

async function events(params: Omit<Anthropic.MessageCreateParamsStreaming, 'stream'>) {
  const out: Anthropic.RawMessageStreamEvent[] = [];
  for await (const ev of await client.messages.create({ ...params, stream: true })) out.push(ev);
  return out;
}

describe('scripted server, Anthropic messages', () => {
  it('streams text as text_delta events in the documented order', async () => {
    server.script([{ text: 'Hello from the scripted Claude stand-in.' }]);
    const evs = await events({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const types = evs.map((e) => e.type);
    // The SDK drops the ping that follows message_start; the raw-wire test checks it is sent.
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(2, -3).every((t) => t === 'content_block_delta')).toBe(true);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const text = evs.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : []));
    expect(text.length).toBeGreaterThan(3);
    expect(text.join('')).toBe('Hello from the scripted Claude stand-in.');
  });

  it('streams tool_use blocks whose input arrives as several input_json_delta fragments', async () => {
    server.script([
      {
        text: 'Looking.',
        toolCalls: [
          { id: 'toolu_a', name: 'list_dir', arguments: { path: '.' } },
          { name: 'read_file', arguments: { path: 'docs/guide.md' } },
        ],
      },
    ]);
    const evs = await events({ model: 'claude-test', max_tokens: 100, tools, messages: [{ role: 'user', content: 'look' }] });
    const starts = evs.flatMap((e) => (e.type === 'content_block_start' ? [e.content_block] : []));
    expect(starts.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    expect(starts[1]).toMatchObject({ type: 'tool_use', id: 'toolu_a', name: 'list_dir', input: {} });
    const partial = (index: number) =>
      evs.flatMap((e) => (e.type === 'content_block_delta' && e.index === index && e.delta.type === 'input_json_delta' ? [e.delta.partial_json] : []));
    expect(partial(2).length).toBeGreaterThan(1);
    expect(JSON.parse(partial(2).join(''))).toEqual({ path: 'docs/guide.md' });
    const delta = evs.find((e) => e.type === 'message_delta');
    expect(delta?.type === 'message_delta' && delta.delta.stop_reason).toBe('tool_use');
  });

  it('assembles the same message through the SDK stream helper, usage included', async () => {
    server.script([{ text: 'Reading it.', toolCalls: [{ id: 'toolu_1', name: 'read_file', arguments: { path: 'a.ts' } }], usage: { input: 120, output: 9, cacheRead: 30, cacheWrite: 4 } }]);
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 100, tools, messages: [{ role: 'user', content: 'read a.ts' }] });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 120, output_tokens: 9, cache_read_input_tokens: 30, cache_creation_input_tokens: 4 });
  });

  it('puts input usage in message_start and the output count in message_delta', async () => {
    server.script([{ text: 'some words to count here' }]);
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'count' }];
    const evs = await events({ model: 'claude-test', max_tokens: 100, system: 'Be brief.', messages });
    const start = evs[0];
    const expectedInput = Math.ceil(
      (Buffer.byteLength(JSON.stringify({ system: 'Be brief.' })) + Buffer.byteLength(JSON.stringify({ role: 'user', content: 'count' }))) / 4,
    );
    expect(start?.type === 'message_start' && start.message.usage).toMatchObject({
      input_tokens: expectedInput,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    const delta = evs.find((e) => e.type === 'message_delta');
    expect(delta?.type === 'message_delta' && delta.usage.output_tokens).toBe(Math.ceil('some words to count here'.length / 4));
  });

  it('simulates the prompt cache at cache_control breakpoints', async () => {
    server.script([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'Long stable instructions. '.repeat(40), cache_control: { type: 'ephemeral' } }];
    const first = await client.messages.create({ model: 'claude-test', max_tokens: 50, tools, system, messages: [{ role: 'user', content: 'q1' }] });
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(200);
    expect(first.usage.input_tokens).toBeGreaterThan(0);

    const second = await client.messages.create({ model: 'claude-test', max_tokens: 50, tools, system, messages: [{ role: 'user', content: 'another question' }] });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);

    // Moving the breakpoint to the end of the conversation reads the old prefix and writes the new part.
    const third = await client.messages.create({
      model: 'claude-test',
      max_tokens: 50,
      tools,
      system,
      messages: [
        { role: 'user', content: 'another question' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: [{ type: 'text', text: 'follow-up', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    expect(third.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(third.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(third.usage.input_tokens).toBe(0);
  });

  it('keeps reading a cached prefix after its breakpoint marker moves to a later block', async () => {
    server.script([{ text: 'one' }, { text: 'two' }]);
    const marked = (text: string): Anthropic.TextBlockParam => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    const first = await client.messages.create({ model: 'claude-test', max_tokens: 50, messages: [{ role: 'user', content: [marked('a first question, cached')] }] });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const second = await client.messages.create({
      model: 'claude-test',
      max_tokens: 50,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a first question, cached' }] },
        { role: 'assistant', content: 'one' },
        { role: 'user', content: [marked('a second question')] },
      ],
    });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('keeps the cache per model', async () => {
    server.script([{ text: 'one' }, { text: 'two' }]);
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'Shared system prompt.', cache_control: { type: 'ephemeral' } }];
    await client.messages.create({ model: 'claude-a', max_tokens: 50, system, messages: [{ role: 'user', content: 'x' }] });
    const other = await client.messages.create({ model: 'claude-b', max_tokens: 50, system, messages: [{ role: 'user', content: 'x' }] });
    expect(other.usage.cache_read_input_tokens).toBe(0);
    expect(other.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('reports no cache use for a request without breakpoints', async () => {
    server.script([{ text: 'a' }, { text: 'b' }]);
    const params = { model: 'claude-test', max_tokens: 50, system: 'Same system prompt', messages: [{ role: 'user' as const, content: 'same' }] };
    await client.messages.create(params);
    const again = await client.messages.create(params);
    expect(again.usage.cache_read_input_tokens).toBe(0);
    expect(again.usage.cache_creation_input_tokens).toBe(0);
  });

  it('answers a non-streaming request with a Message object', async () => {
    server.script([{ text: 'Done.', stopReason: 'max_tokens' }]);
    const message = await client.messages.create({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: 'Done.' }], stop_reason: 'max_tokens' });
    expect(message.id).toMatch(/^msg_/);
  });

  it('returns a json turn as the forced tool input when tool_choice names a tool', async () => {
    const answer = { verdict: 'changes_requested', findings: [{ file: 'a.ts', line: 2 }] };
    server.script([{ json: answer }, { json: answer }]);
    const params = {
      model: 'claude-test',
      max_tokens: 200,
      tools: [{ name: 'emit_review', description: 'Return the review', input_schema: { type: 'object' as const, properties: {} } }],
      tool_choice: { type: 'tool' as const, name: 'emit_review' },
      messages: [{ role: 'user' as const, content: 'review this' }],
    };
    const message = await client.messages.create(params);
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'emit_review', input: answer }]);
    expect(message.stop_reason).toBe('tool_use');

    const streamed = await client.messages.stream(params).finalMessage();
    const block = streamed.content[0];
    expect(block?.type === 'tool_use' && block.input).toEqual(answer);
  });

  it('returns a json turn as text when no tool is forced', async () => {
    server.script([{ json: { a: 1 } }]);
    const message = await client.messages.create({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: 'json please' }] });
    expect(message.content).toEqual([{ type: 'text', text: '{"a":1}' }]);
  });

  it('records requests with the anthropic headers and body', async () => {
    server.script([{ text: 'ok' }]);
    await client.messages.create({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: 'record' }] });
    const req = server.requests[0];
    expect(req?.protocol).toBe('anthropic');
    expect(req?.path).toBe('/v1/messages');
    // @anthropic-ai/sdk 1.x sends the key as a bearer token, not as x-api-key.
    expect(req?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(req?.headers['anthropic-version']).toBeTruthy();
    expect(req?.body).toEqual({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: 'record' }] });
  });

  it('rejects a tool_use that is not answered by a tool_result in the next message', async () => {
    server.script([{ text: 'unused' }]);
    const call = client.messages.create({
      model: 'claude-test',
      max_tokens: 10,
      tools,
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_9', name: 'read_file', input: { path: 'a' } }] },
        { role: 'user', content: 'never mind' },
      ],
    });
    await expect(call).rejects.toMatchObject({ status: 400, error: { type: 'error', error: { type: 'invalid_request_error' } } });
    await expect(call).rejects.toThrow(/toolu_9/);
    expect(server.pending()).toBe(1);
  });

  it('rejects a request without max_tokens, as the real API does', async () => {
    const raw = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-test', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
  });
});
