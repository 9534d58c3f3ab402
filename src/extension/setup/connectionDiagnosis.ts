import { isModelError } from '../../core/model/errors';

export type ConnectionProblem = 'dns' | 'tls' | 'refused' | 'timeout' | 'network' | 'auth' | 'model' | 'endpoint' | 'protocol' | 'rate_limited' | 'server' | 'other';

export interface Diagnosis {
  problem: ConnectionProblem;
  /** One plain sentence: what is wrong and what to change. */
  message: string;
}

interface Target {
  url: string;
  protocol: 'openai' | 'anthropic';
  model: string;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$)/;

/**
 * What a failed test request says, in words a person acts on: the host name does not resolve, the
 * certificate is not trusted, nothing listens there, the key is refused, the model is unknown, or the
 * URL does not speak the chosen protocol. Reads the error's kind, status and its cause chain's codes.
 */
export function diagnoseConnection(e: unknown, t: Target): Diagnosis {
  const host = hostOf(t.url);
  const code = causeCodes(e).find(Boolean) ?? '';
  const text = e instanceof Error ? e.message : String(e);
  const kind = isModelError(e) ? e.kind : undefined;
  const status = isModelError(e) ? e.status : undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { problem: 'dns', message: `The host name "${host}" does not resolve (DNS, ${code}). Check the URL's spelling, or your network and proxy.` };
  if (TLS_CODES.test(code)) return { problem: 'tls', message: `The TLS certificate of ${host} is not trusted (${code}). If your company inspects TLS with its own certificate authority, point NODE_EXTRA_CA_CERTS at it; otherwise check the URL.` };
  if (code === 'ECONNREFUSED') return { problem: 'refused', message: `Nothing answers at ${host} (connection refused). Is the gateway${/localhost|127\.0\.0\.1/.test(host) ? ' (Ollama, LiteLLM)' : ''} running, and is the port right?` };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || /did not answer in time|timed? ?out/i.test(text)) return { problem: 'timeout', message: `${host} did not answer in time. Check the URL and whether a proxy or firewall is in the way.` };
  if (kind === 'auth') return { problem: 'auth', message: `The gateway refused the key (HTTP ${status ?? 401}). Set a valid one with "Agent Harness: Set Gateway Key".` };
  if (kind === 'protocol') return { problem: 'protocol', message: `${t.url} answered, but not as an ${label(t.protocol)} API (it sent a web page, not an event stream). Check the URL and the protocol setting.` };
  if (kind === 'rate_limited') return { problem: 'rate_limited', message: `The connection works, but the gateway is rate limiting model ${t.model} right now (HTTP 429).` };
  if (kind === 'server' || kind === 'overloaded') return { problem: 'server', message: `The connection works, but the gateway failed (HTTP ${status ?? '5xx'}). Try again later, or ask who runs it.` };
  if (status === 404 || (kind === 'bad_request' && /model/i.test(text))) {
    if (/model/i.test(text) && !/not found$|404 page|cannot (get|post)/i.test(text)) return { problem: 'model', message: `The gateway does not know the model "${t.model}" (HTTP ${status ?? 400}). Check agentHarness.gateway.model against the models it offers.` };
    return { problem: 'endpoint', message: `${t.url} has no ${label(t.protocol)} endpoint (HTTP 404). ${t.protocol === 'openai' ? 'OpenAI-compatible URLs usually end in /v1.' : 'Anthropic’s URL is https://api.anthropic.com (without /v1).'} Check the URL and the protocol setting.` };
  }
  if (kind === 'network') return { problem: 'network', message: `Cannot reach ${host}: ${text}` };
  return { problem: 'other', message: `The test request failed: ${text}` };
}

function label(p: 'openai' | 'anthropic'): string {
  return p === 'openai' ? 'OpenAI-compatible' : 'Anthropic';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The `code` of the error and each of its causes, outermost first (fetch wraps the socket's error). */
function causeCodes(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 8 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string') out.push(c);
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const x of errors) if (x && typeof x === 'object' && typeof (x as { code?: unknown }).code === 'string') out.push((x as { code: string }).code);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}
