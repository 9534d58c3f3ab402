import { createRedactor } from '../../core/trace/redact';

/**
 * Gateways answer errors in their own shapes: OpenAI's `{"error": {"message"}}`, Anthropic's
 * `{"type": "error", "error": {...}}`, Portkey's `{"status": "failure", "message", "errors": [...]}`,
 * LiteLLM's OpenAI shape with a JSON message inside, Ollama's `{"error": "text"}`, FastAPI/vLLM's
 * `{"detail": ...}` or `{"object": "error", "message"}`, Cloudflare's `{"errors": [{"message"}]}`,
 * an HTML page from a proxy. Each SDK understands only its provider's shape and says "(no body)" for
 * the rest, so the gateway's own words would be lost. The fetch the SDKs are given rewrites any error
 * body into the protocol's shape, carrying the gateway's message (bounded, secrets removed) and its
 * code, so the SDK's error and our typed ModelError say what the gateway said.
 */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE = 500;

export interface GatewayErrorInfo {
  message?: string;
  code?: string;
  type?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The message, code and type of an error body in any of the shapes gateways use, or the text itself. */
export function gatewayErrorInfo(text: string, contentType = ''): GatewayErrorInfo {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    body = undefined;
  }
  if (body === undefined) {
    const plain = /html/i.test(contentType) || /^<(!doctype|html|head|body)/i.test(trimmed) ? htmlText(trimmed) : trimmed;
    return plain ? { message: bound(plain) } : {};
  }
  const info = fromJson(body);
  return info.message ? { ...info, message: bound(info.message) } : info;
}

function fromJson(body: unknown): GatewayErrorInfo {
  if (typeof body === 'string') return { message: body };
  if (Array.isArray(body)) return body.length ? fromJson(body[0]) : {};
  if (!isObject(body)) return {};
  const code = str(body.code) ?? str(body.error_code);
  const type = str(body.type) !== 'error' ? str(body.type) : undefined;
  // {"error": "text"} (Ollama) or {"error": {...}} (OpenAI, LiteLLM, Anthropic, Google).
  if (typeof body.error === 'string') return withCode({ message: body.error }, code, type);
  if (isObject(body.error)) {
    const inner = body.error;
    const message = messageOf(inner.message) ?? str(inner.msg) ?? str(inner.detail) ?? str(inner.status);
    return withCode({ ...(message ? { message: unwrapJsonMessage(message) } : {}) }, str(inner.code) ?? code, str(inner.type) ?? type);
  }
  // {"message": ..., "errors": [...]} (Portkey), {"object": "error", "message"} (vLLM).
  const details = detailsOf(body.errors);
  const message = messageOf(body.message) ?? str(body.error_description) ?? detailOf(body.detail) ?? str(body.title) ?? str(body.msg);
  if (message) return withCode({ message: details ? `${message}: ${details}` : message }, code, type);
  if (details) return withCode({ message: details }, code, type);
  return withCode({ message: JSON.stringify(body) }, code, type);
}

function withCode(info: GatewayErrorInfo, code: string | undefined, type: string | undefined): GatewayErrorInfo {
  return { ...info, ...(code ? { code } : {}), ...(type ? { type } : {}) };
}

function messageOf(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (isObject(v) || Array.isArray(v)) return JSON.stringify(v);
  return undefined;
}

/** FastAPI's `detail`: a string, or a list of `{loc, msg}`. */
function detailOf(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return v.map((d) => (isObject(d) ? str(d.msg) ?? str(d.message) : str(d))).filter(Boolean).join('; ') || undefined;
  return undefined;
}

/** Portkey's and Cloudflare's `errors`: strings or `{message}` objects. */
function detailsOf(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const parts = v.slice(0, 5).map((e) => (isObject(e) ? str(e.message) ?? str(e.msg) ?? JSON.stringify(e) : str(e) ?? JSON.stringify(e)));
  return parts.filter(Boolean).join('; ') || undefined;
}

/** LiteLLM nests the provider's JSON error inside its message string; its inner message says more. */
function unwrapJsonMessage(message: string): string {
  const at = message.indexOf('{');
  if (at === -1) return message;
  try {
    const inner = fromJson(JSON.parse(message.slice(at)));
    return inner.message ? `${message.slice(0, at).trim().replace(/[-:]\s*$/, '').trim()}${at > 0 ? ': ' : ''}${inner.message}` : message;
  } catch {
    return message;
  }
}

function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const body = html.replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const text = body.replace(/\s+/g, ' ').trim();
  return title && !text.startsWith(title.trim()) ? `${title.trim()}: ${text}` : text;
}

function bound(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE)}…` : one;
}

/**
 * A fetch for the SDKs: successful responses pass through untouched; an error response's body is
 * rewritten into the protocol's error shape with the gateway's message (secrets and key shapes
 * removed), keeping the status and headers (Retry-After and the rest).
 */
export function gatewayErrorFetch(protocol: 'openai' | 'anthropic', secrets: readonly (string | undefined)[], inner: typeof fetch = fetch): typeof fetch {
  const redact = createRedactor(secrets);
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || response.status < 400) return response;
    const text = await readBounded(response);
    const info = gatewayErrorInfo(text, response.headers.get('content-type') ?? '');
    const message = redact.text(info.message ?? `HTTP ${response.status} with no body`);
    const body =
      protocol === 'openai'
        ? { error: { message, type: info.type ?? 'gateway_error', code: info.code ?? null, param: null } }
        : { type: 'error', error: { type: info.type ?? 'api_error', message, ...(info.code ? { code: info.code } : {}) } };
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
  };
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off mid-way still says what it said so far.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES));
}
