import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedServer } from '../support/scriptedServer/server';
import { loadScenario } from '../support/scriptedServer/turn';
import { tempDir, useScriptedServer } from '../support/fixtures';

// Scenario files, the raw wire bytes, and the server's own bookkeeping (routes, bad bodies, reset, close).

const SCENARIOS = join(__dirname, '..', 'fixtures', 'scenarios');

const server = useScriptedServer();
let scratch: string;

beforeAll(async () => {
  scratch = await tempDir('scripted-scenarios-');
});
beforeEach(() => server.reset());

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('scenario files', () => {
  it('loads every scenario in test/fixtures/scenarios', async () => {
    const files = (await readdir(SCENARIOS)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const scenario = await loadScenario(join(SCENARIOS, file));
      expect(scenario.turns.length, file).toBeGreaterThan(0);
      expect(scenario.description, file).toBeTruthy();
    }
  });

  it('plays a scenario through the real SDK, turn by turn', async () => {
    const { turns } = await loadScenario(join(SCENARIOS, 'rateLimitedThenAnswer.json'));
    server.script(turns);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const params = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }] };
    await expect(client.chat.completions.create(params)).rejects.toMatchObject({ status: 429 });
    const answer = await client.chat.completions.create(params);
    expect(answer.choices[0]?.message.content).toBe('Answered after the rate limit.');
    expect(server.pending()).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('names the file and the reason when a scenario cannot be used', async () => {
    const missing = join(scratch, 'missing.json');
    await expect(loadScenario(missing)).rejects.toThrow(`cannot read scenario ${missing}: ENOENT`);

    const broken = join(scratch, 'broken.json');
    await writeFile(broken, '{"turns": [');
    await expect(loadScenario(broken)).rejects.toThrow(/broken\.json is not valid JSON/);

    const noTurns = join(scratch, 'noTurns.json');
    await writeFile(noTurns, '{"steps": []}');
    await expect(loadScenario(noTurns)).rejects.toThrow(/noTurns\.json is invalid: .*turns/);

    const badTurn = join(scratch, 'badTurn.json');
    await writeFile(badTurn, JSON.stringify({ turns: [{ text: 'ok' }, { toolCalls: [{ arguments: {} }] }] }));
    await expect(loadScenario(badTurn)).rejects.toThrow(/badTurn\.json is invalid: turns\.1\.toolCalls\.0\.name/);

    const badFault = join(scratch, 'badFault.json');
    await writeFile(badFault, JSON.stringify({ turns: [{ fault: 'stall', afterEvents: -1 }] }));
    await expect(loadScenario(badFault)).rejects.toThrow(/turns\.0\.afterEvents/);
  });
});

describe('raw wire format', () => {
  it('OpenAI: only data lines, each a JSON chunk, ending with [DONE]', async () => {
    server.script([{ text: 'raw bytes', toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] }]);
    const res = await post('/v1/chat/completions', { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const frames = text.split('\n\n').filter((f) => f !== '');
    expect(frames.every((f) => f.startsWith('data: ') && !f.includes('\n'))).toBe(true);
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as { id: string; choices: unknown[] });
    // One completion id across all chunks, as the API does.
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('Anthropic: event names match the data type, with a ping after message_start', async () => {
    server.script([{ text: 'raw bytes', toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] }]);
    const res = await post('/v1/messages', { model: 'c', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const frames = (await res.text()).split('\n\n').filter((f) => f !== '');
    const parsed = frames.map((f) => {
      const [eventLine, dataLine] = f.split('\n');
      return { event: eventLine?.replace(/^event: /, ''), data: JSON.parse(dataLine?.replace(/^data: /, '') ?? '') as { type: string } };
    });
    expect(parsed.every((p) => p.event === p.data.type)).toBe(true);
    expect(parsed.slice(0, 2).map((p) => p.event)).toEqual(['message_start', 'ping']);
    expect(parsed.at(-1)?.event).toBe('message_stop');
  });
});

describe('server bookkeeping', () => {
  it('answers an unknown route with 404 and records nothing', async () => {
    const res = await post('/v1/completions', { model: 'm', prompt: 'x' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no route for POST \/v1\/completions/);
    expect(server.requests).toHaveLength(0);
  });

  it('answers a body that is not JSON with a 400 in the protocol shape and records it as null', async () => {
    server.script([{ text: 'unused' }]);
    const res = await post('/v1/messages', '{"model": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'the request body is not a JSON object' } });
    expect(server.requests[0]?.body).toBeNull();
    expect(server.pending()).toBe(1);
  });

  it('serves queued turns before the responder, across both protocols', async () => {
    server.script([{ text: 'queued' }]);
    server.respondWith((req) => ({ text: `dynamic for ${req.protocol}` }));
    const a = await (await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).json();
    const b = await (await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).json();
    const c = await (await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] })).json();
    expect(a).toMatchObject({ content: [{ text: 'queued' }] });
    expect(b).toMatchObject({ content: [{ text: 'dynamic for anthropic' }] });
    expect(c).toMatchObject({ choices: [{ message: { content: 'dynamic for openai' } }] });
  });

  it('reset forgets turns, responder, requests and the prompt cache', async () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'same prompt, long enough to count' }] };
    type Usage = { usage: { prompt_tokens_details: { cached_tokens: number } } };
    server.script([{ text: 'one' }, { text: 'two' }, { text: 'left over' }]);
    await post('/v1/chat/completions', body);
    const repeated = (await (await post('/v1/chat/completions', body)).json()) as Usage;
    expect(repeated.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    server.respondWith(() => ({ text: 'responder' }));

    server.reset();
    expect(server.requests).toHaveLength(0);
    expect(server.pending()).toBe(0);
    expect((await post('/v1/chat/completions', body)).status).toBe(500);
    server.script([{ text: 'fresh' }]);
    const fresh = (await (await post('/v1/chat/completions', body)).json()) as Usage;
    expect(fresh.usage.prompt_tokens_details.cached_tokens).toBe(0);
  });

  it('close drops a stalled stream instead of waiting for it', async () => {
    const own = await startScriptedServer();
    own.script([{ fault: 'stall', afterEvents: 1 }]);
    const res = await fetch(`${own.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const reading = res.text().then(
      () => 'ended',
      () => 'failed',
    );
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await reading).toBe('failed');
  });
});
