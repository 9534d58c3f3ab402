import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { useScriptedServer } from '../support/fixtures';

// Every fault the scripted server injects, seen through the real SDKs of both protocols.


const server = useScriptedServer();
beforeEach(() => server.reset());

interface Seen {
  text: string;
  /** Argument fragments per tool call index, in arrival order. */
  args: Map<number, string[]>;
  events: number;
}

/** One protocol behind the same small surface, so each fault is written once for both. */
interface Driver {
  name: 'openai' | 'anthropic';
  sdk: { APIError: new (...args: never[]) => Error };
  /** Streams a call, feeding what arrives into `seen`; rejects when the SDK throws. */
  stream(seen: Seen, signal?: AbortSignal): Promise<void>;
  /** A non-streaming call; resolves to what the SDK returned. */
  create(): Promise<unknown>;
  /** The provider's error type inside an HTTP error body. */
  bodyErrorType(error: unknown): unknown;
}

function newSeen(): Seen {
  return { text: '', args: new Map(), events: 0 };
}

function push(seen: Seen, index: number, fragment: string): void {
  seen.args.set(index, [...(seen.args.get(index) ?? []), fragment]);
}

function openaiDriver(): Driver {
  const client = (): OpenAI => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
  const params = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'go' }] };
  return {
    name: 'openai',
    sdk: OpenAI,
    async stream(seen, signal) {
      const stream = await client().chat.completions.create({ ...params, stream: true }, { signal });
      for await (const chunk of stream) {
        seen.events += 1;
        const delta = chunk.choices[0]?.delta;
        seen.text += delta?.content ?? '';
        for (const tc of delta?.tool_calls ?? []) if (tc.function?.arguments) push(seen, tc.index, tc.function.arguments);
      }
    },
    create: () => client().chat.completions.create(params),
    bodyErrorType: (e) => (e as { error?: { type?: unknown } }).error?.type,
  };
}

function anthropicDriver(): Driver {
  const client = (): Anthropic => new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
  const params = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user' as const, content: 'go' }] };
  return {
    name: 'anthropic',
    sdk: Anthropic,
    async stream(seen, signal) {
      const stream = await client().messages.create({ ...params, stream: true }, { signal });
      for await (const ev of stream) {
        seen.events += 1;
        if (ev.type !== 'content_block_delta') continue;
        if (ev.delta.type === 'text_delta') seen.text += ev.delta.text;
        if (ev.delta.type === 'input_json_delta') push(seen, ev.index, ev.delta.partial_json);
      }
    },
    create: () => client().messages.create(params),
    bodyErrorType: (e) => (e as { error?: { error?: { type?: unknown } } }).error?.error?.type,
  };
}

async function failure(p: Promise<unknown>): Promise<Error & { status?: number; headers?: Headers; error?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { status?: number; headers?: Headers };
  }
  throw new Error('expected the call to fail');
}

const TEXT = 'The quick brown fox jumps over the lazy dog again and again.';

describe.each([openaiDriver, anthropicDriver])('faults through the real SDK (%o)', (makeDriver) => {
  const d = makeDriver();

  it(`${d.name}: 429 carries retry-after headers and the rate-limit error shape`, async () => {
    server.script([{ fault: 'status', status: 429, headers: { 'retry-after': '7', 'retry-after-ms': '6500' } }]);
    const e = await failure(d.create());
    expect(e).toBeInstanceOf(d.sdk.APIError);
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('7');
    expect(e.headers?.get('retry-after-ms')).toBe('6500');
    expect(e.headers?.get(d.name === 'openai' ? 'x-request-id' : 'request-id')).toMatch(/^req_/);
    expect(d.bodyErrorType(e)).toBe(d.name === 'openai' ? 'requests' : 'rate_limit_error');
  });

  it(`${d.name}: 529 is overloaded, 500 a server error, 401 an auth error`, async () => {
    server.script([
      { fault: 'status', status: 529 },
      { fault: 'status', status: 500 },
      { fault: 'status', status: 401 },
    ]);
    const overloaded = await failure(d.create());
    const serverError = await failure(d.create());
    const auth = await failure(d.create());
    expect([overloaded.status, serverError.status, auth.status]).toEqual([529, 500, 401]);
    if (d.name === 'anthropic') {
      expect([overloaded, serverError, auth].map(d.bodyErrorType)).toEqual(['overloaded_error', 'api_error', 'authentication_error']);
      expect(auth).toBeInstanceOf(Anthropic.AuthenticationError);
    } else {
      expect([overloaded, serverError].map(d.bodyErrorType)).toEqual(['server_error', 'server_error']);
      expect((auth as { code?: unknown }).code).toBe('invalid_api_key');
      expect(auth).toBeInstanceOf(OpenAI.AuthenticationError);
    }
  });

  it(`${d.name}: 400 context_length_exceeded reads as a prompt that is too long`, async () => {
    server.script([{ fault: 'status', status: 400, code: 'context_length_exceeded' }]);
    const e = await failure(d.create());
    expect(e.status).toBe(400);
    expect(e.message).toMatch(d.name === 'openai' ? /maximum context length/ : /prompt is too long/);
    expect(d.bodyErrorType(e)).toBe('invalid_request_error');
  });

  it(`${d.name}: a scripted body and message replace the defaults`, async () => {
    server.script([
      { fault: 'status', status: 503, body: { detail: 'gateway says no' }, headers: { 'x-gateway': 'edge-1' } },
      { fault: 'status', status: 503, body: { detail: 'gateway says no' } },
      { fault: 'status', status: 418, message: 'teapot' },
    ]);
    const custom = await failure(d.create());
    expect(custom.status).toBe(503);
    expect(custom.headers?.get('x-gateway')).toBe('edge-1');
    // The SDKs do not expose a body that is not in their error shape, so the wire is checked directly.
    const raw = await fetch(`${server.url}${d.name === 'openai' ? '/v1/chat/completions' : '/v1/messages'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.requests[0]?.body),
    });
    expect(await raw.json()).toEqual({ detail: 'gateway says no' });
    const teapot = await failure(d.create());
    expect(teapot.status).toBe(418);
    expect(teapot.message).toContain('teapot');
  });

  it(`${d.name}: an exhausted scenario answers 500 saying so`, async () => {
    const e = await failure(d.create());
    expect(e.status).toBe(500);
    expect(e.message).toMatch(/scenario exhausted/);
    expect(server.requests).toHaveLength(1);
  });

  it(`${d.name}: a cut stream breaks the SDK iteration after the events that were sent`, async () => {
    server.script([{ fault: 'cut', afterEvents: 4, text: TEXT }]);
    const seen = newSeen();
    const e = await failure(d.stream(seen));
    expect(e.message).toMatch(/terminated/);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(TEXT.startsWith(seen.text)).toBe(true);
    expect(seen.text).not.toBe(TEXT);
  });

  it(`${d.name}: a cut inside tool arguments leaves the call incomplete`, async () => {
    server.script([{ fault: 'cut', inToolArguments: true, toolCalls: [{ name: 'read_file', arguments: { path: 'src/some/long/path.ts' } }] }]);
    const seen = newSeen();
    await failure(d.stream(seen));
    const fragments = [...seen.args.values()];
    expect(fragments).toHaveLength(1);
    expect(fragments[0]).toHaveLength(1);
    expect(() => JSON.parse(fragments[0]?.join('') ?? '')).toThrow();
  });

  it(`${d.name}: a cut non-streaming response fails the call`, async () => {
    server.script([{ fault: 'cut', text: TEXT }]);
    const e = await failure(d.create());
    expect(e.message).toMatch(/terminated/);
  });

  it(`${d.name}: a stall sends some events then nothing until the client gives up`, async () => {
    server.script([{ fault: 'stall', afterEvents: 3, text: TEXT }]);
    const seen = newSeen();
    const controller = new AbortController();
    const streaming = d.stream(seen, controller.signal).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
    const eventsDuringStall = seen.events;
    controller.abort();
    await streaming;
    // The SDKs drop pings; what remains of the first three frames is what a harness would see.
    expect(eventsDuringStall).toBe(d.name === 'openai' ? 3 : 2);
    expect(seen.text).not.toBe(TEXT);
    // The server has not left the stalled request hanging: the next turn is served normally.
    server.script([{ text: 'after' }]);
    await expect(d.create()).resolves.toBeTruthy();
  });

  it(`${d.name}: a stall with ms pauses, then finishes the answer`, async () => {
    server.script([{ fault: 'stall', afterEvents: 2, ms: 300, text: TEXT }]);
    const seen = newSeen();
    const started = Date.now();
    await d.stream(seen);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(seen.text).toBe(TEXT);
  });

  it(`${d.name}: a malformed chunk makes the SDK throw a JSON error`, async () => {
    server.script([{ fault: 'malformed', afterEvents: 3, text: TEXT }]);
    const seen = newSeen();
    const e = await failure(d.stream(seen));
    expect(e).toBeInstanceOf(SyntaxError);
    expect(seen.events).toBeGreaterThan(0);
    server.script([{ fault: 'malformed' }]);
    expect(await failure(d.create())).toBeInstanceOf(SyntaxError);
  });

  it(`${d.name}: an html page arrives as a 200 that is neither JSON nor SSE`, async () => {
    server.script([{ fault: 'html' }, { fault: 'html' }]);
    const seen = newSeen();
    await d.stream(seen);
    expect(seen.events).toBe(0);
    const body = await d.create();
    expect(typeof body).toBe('string');
    expect(String(body)).toMatch(/^<!DOCTYPE html>/);
  });

  it(`${d.name}: an in-stream error event surfaces as the SDK's API error`, async () => {
    server.script([{ fault: 'sse_error', afterEvents: 4, text: TEXT }]);
    const seen = newSeen();
    const e = await failure(d.stream(seen));
    expect(e).toBeInstanceOf(d.sdk.APIError);
    expect(seen.text.length).toBeGreaterThan(0);
    if (d.name === 'anthropic') expect((e as { type?: unknown }).type).toBe('overloaded_error');
    else expect(d.bodyErrorType(e)).toBe('server_error');
  });

  it(`${d.name}: an in-stream error on a non-streaming call becomes an error status`, async () => {
    server.script([{ fault: 'sse_error', errorType: d.name === 'anthropic' ? 'api_error' : 'server_error', message: 'boom' }]);
    const e = await failure(d.create());
    expect(e.status).toBe(500);
    expect(e.message).toContain('boom');
  });

  it(`${d.name}: delayMs spaces out the streamed events`, async () => {
    server.script([{ text: 'one two three', delayMs: 40 }]);
    const seen = newSeen();
    const started = Date.now();
    await d.stream(seen);
    // At least five frames follow the first one on both protocols.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 40 - 10);
    expect(seen.text).toBe('one two three');
  });
});

describe('scripted turns that are wrong', () => {
  it('rejects an invalid turn when it is scripted, naming the field', () => {
    expect(() => server.script([{ text: 'ok' }, { txt: 'typo' } as never])).toThrow(/turns\.1: Unrecognized key: "txt"/);
    expect(() => server.script([{ fault: 'status', status: 200 } as never])).toThrow(/turns\.0\.status: Too small/);
    expect(() => server.script([{ fault: 'explode' } as never])).toThrow(/turns\.0\.fault/);
    expect(server.pending()).toBe(0);
  });

  it('answers 500 when a responder returns something that is not a turn', async () => {
    server.respondWith(() => ({ fault: 'nope' }) as never);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const e = await failure(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.status).toBe(500);
    expect(e.message).toMatch(/responder returned an invalid turn/);
  });

  it('refuses a cut inside tool arguments when the turn has no tool call', async () => {
    server.script([{ fault: 'cut', inToolArguments: true, text: 'no tools here' }]);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const e = await failure(client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }));
    expect(e.status).toBe(500);
    expect(e.message).toMatch(/needs a scripted tool call/);
  });
});
