import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicWire } from './anthropicWire';
import { openaiWire } from './openaiWire';
import type { WireProtocol, WireProtocolName } from './protocol';
import { IdSource } from './reply';
import { respond, sendError, sendJson } from './respond';
import { parseTurn, parseTurns, type Turn } from './turn';
import { PromptCache } from './usage';

/**
 * A real HTTP server that plays scripted model turns over the OpenAI chat-completions and Anthropic
 * messages wire formats, so the official SDKs (and the harness's adapters on them) run unchanged
 * against it. It records every request for tests to assert on.
 */

export interface RecordedRequest {
  protocol: WireProtocolName;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body; `null` when the body was not JSON. */
  body: unknown;
  receivedAt: number;
}

export type Responder = (request: RecordedRequest) => Turn | Promise<Turn>;

export interface ScriptedServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the server is for this machine only. */
  host?: string;
  /** Pause between streamed events for turns that set no `delayMs`. Default 0. */
  delayMs?: number;
  /**
   * Called with `performance.now()` when a response has been fully handed to the OS. Benchmarks use it
   * to measure only the client's time between one response and its next request.
   */
  onResponseFinished?: (request: RecordedRequest, atMs: number) => void;
}

export interface ScriptedServer {
  /** Base URL without a trailing slash. OpenAI SDK: `${url}/v1` as baseURL; Anthropic SDK: `url`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order, including rejected ones. */
  readonly requests: RecordedRequest[];
  /** Queues turns; each request (of either protocol) takes the next one. Throws on an invalid turn. */
  script(turns: readonly Turn[]): void;
  /** Answers requests with no queued turn. */
  respondWith(responder: Responder | undefined): void;
  /** How many queued turns are still unplayed. */
  pending(): number;
  /** Forgets queued turns, the responder, recorded requests, the prompt cache and id counters. */
  reset(): void;
  /** What `GET /models` lists (both protocols' shapes); undefined answers 404, like a gateway without the endpoint. Default: the scripted models. */
  offerModels(ids: readonly string[] | undefined): void;
  /** Drops open connections (including stalled streams) and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['scripted-model', 'scripted-model-mini'];

/** `GET /models` in the provider's shape: OpenAI's list object, or Anthropic's page (by the anthropic-version header). */
function sendModels(res: ServerResponse, ids: readonly string[], anthropic: boolean, requestId: string): void {
  const body = anthropic
    ? { data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' })), has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null }
    : { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1767225600, owned_by: 'scripted' })) };
  sendJson(res, 200, body, { 'x-request-id': requestId, 'request-id': requestId });
}

const ROUTES: Record<string, WireProtocol> = {
  '/v1/chat/completions': openaiWire,
  '/chat/completions': openaiWire,
  '/v1/messages': anthropicWire,
  '/messages': anthropicWire,
};

/** Request bodies larger than this are refused, so a runaway test cannot exhaust memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const queue: Turn[] = [];
  const requests: RecordedRequest[] = [];
  const ids = new IdSource();
  const cache = new PromptCache();
  const requestIds = new IdSource();
  let responder: Responder | undefined;
  let models: readonly string[] | undefined = DEFAULT_MODELS;

  async function nextTurn(request: RecordedRequest): Promise<Turn | string> {
    const queued = queue.shift();
    if (queued) return queued;
    if (!responder) {
      return `scripted server: scenario exhausted, no queued turn and no responder for request #${requests.length} (POST ${request.path})`;
    }
    const produced = parseTurn(await responder(request));
    return 'turn' in produced ? produced.turn : `scripted server: the responder returned an invalid turn: ${produced.error}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Gateways put the API under their own prefix (`/api/v1` for OpenRouter, `/llm/openai/v1` behind a
    // company gateway): any path that ends like the provider's route is that route.
    const protocol = ROUTES[path] ?? (/\/chat\/completions$/.test(path) ? openaiWire : /\/messages$/.test(path) ? anthropicWire : undefined);
    const requestId = requestIds.next('req_scripted_');
    if (req.method === 'GET' && /\/models$/.test(path) && models) {
      req.resume();
      return sendModels(res, models, 'anthropic-version' in req.headers, requestId);
    }
    if (!protocol || req.method !== 'POST') {
      req.resume();
      sendJson(res, 404, { error: { message: `scripted server: no route for ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } }, { 'x-request-id': requestId, 'request-id': requestId });
      return;
    }
    const text = await readBody(req);
    const body = text === undefined ? null : parseJson(text);
    const recorded: RecordedRequest = { protocol: protocol.name, path, headers: flattenHeaders(req), body, receivedAt: Date.now() };
    requests.push(recorded);
    if (text === undefined) return sendError(res, protocol, { status: 413, message: 'request body too large' }, requestId);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return sendError(res, protocol, { status: 400, message: 'the request body is not a JSON object' }, requestId);
    }
    const record = body as Record<string, unknown>;
    const invalid = protocol.validate(record);
    if (invalid) return sendError(res, protocol, { status: 400, message: invalid }, requestId);
    const onFinished = options.onResponseFinished;
    if (onFinished) res.once('finish', () => onFinished(recorded, performance.now()));
    const turn = await nextTurn(recorded);
    if (typeof turn === 'string') return sendError(res, protocol, { status: 500, message: turn }, requestId);
    await respond({ res, protocol, body: record, turn, ctx: { ids, cache }, requestId, defaultDelayMs: options.delayMs ?? 0 });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in a scenario or responder must reach the test as a readable 500, not a hung request.
      if (!res.headersSent) {
        sendJson(res, 500, { error: { message: `scripted server: ${e instanceof Error ? e.message : String(e)}`, type: 'server_error', param: null, code: null } }, {});
      } else res.destroy();
    });
  });
  // Long-lived SSE responses must not be killed by Node's default timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 1_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    script(turns) {
      queue.push(...parseTurns(turns));
    },
    respondWith(fn) {
      responder = fn;
    },
    offerModels(ids) {
      models = ids;
    },
    pending: () => queue.length,
    reset() {
      queue.length = 0;
      requests.length = 0;
      responder = undefined;
      cache.clear();
      ids.reset();
      requestIds.reset();
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
