/**
 * The one redaction used for every record, the ledger, logs and anything shown in the webview.
 * Three layers, because each alone misses cases: the configured secrets themselves (exact match,
 * wherever they appear), values under names that carry credentials (an `authorization` header, an
 * `api_key` field), and strings shaped like well-known key formats (a key pasted into a prompt).
 */
export const REDACTED = '[REDACTED]';

/** Field names whose values are credentials whatever they look like. */
const SECRET_FIELD = /^(authorization|proxy-authorization|x-api-key|api[-_]?key|x-goog-api-key|cookie|set-cookie|password|passwd|secret|client[-_]?secret|(access|refresh|id|auth)[-_]?token|token)$/i;

/** Formats of keys and tokens that are unmistakable on their own. */
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic, Stripe-style secret keys
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
];

/** Secrets shorter than this are not matched verbatim: "abc" would redact half of every record. */
const MIN_SECRET_LENGTH = 8;

export interface Redactor {
  /** A deep copy of `value` with every secret replaced. Never mutates the input. */
  <T>(value: T): T;
  text(s: string): string;
  /** Adds a secret (a key set after start-up, e.g. a new one from SecretStorage). */
  addSecret(secret: string | undefined): void;
}

export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  // Kept longest first, so a secret that contains another is replaced whole.
  let exact: string[] = [];
  const addSecret = (secret: string | undefined) => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || exact.includes(secret)) return;
    exact = [...exact, secret].sort((a, b) => b.length - a.length);
  };
  for (const s of secrets) addSecret(s);

  const text = (s: string): string => {
    let out = s;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
    return out;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    if (value instanceof Error) return { name: value.name, message: text(value.message) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELD.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : walk(v, depth + 1);
    }
    return out;
  };

  const redact = (<T>(value: T): T => walk(value, 0) as T) as Redactor;
  redact.text = text;
  redact.addSecret = addSecret;
  return redact;
}
