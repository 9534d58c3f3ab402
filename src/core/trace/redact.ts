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

/** True when the text holds a string shaped like a well-known key or token (for taint detection). */
export function containsKeyShape(text: string): boolean {
  return KEY_SHAPES.some((shape) => {
    shape.lastIndex = 0;
    const hit = shape.test(text);
    shape.lastIndex = 0;
    return hit;
  });
}

/** Secrets shorter than this are not matched verbatim: "abc" would redact half of every record. */
const MIN_SECRET_LENGTH = 8;

export interface Redactor {
  /** A deep copy of `value` with every secret replaced. Never mutates the input. */
  <T>(value: T): T;
  text(s: string): string;
  /** Adds a secret (a key set after start-up, e.g. a new one from SecretStorage). */
  addSecret(secret: string | undefined): void;
  /** Where secrets occur in `s` (exact ones and key shapes), as [start, end) ranges; for stream redaction. */
  spans(s: string): [number, number][];
  /** Exact secrets (longest first), for finding a partial one at the end of a stream chunk. */
  secrets(): readonly string[];
  /**
   * A deep copy with secrets replaced inside string values only, field names and structure untouched
   * (for records that are read back, like run journals: a field named `token` keeps its value unless
   * the value itself is a secret).
   */
  strings<T>(value: T): T;
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

  const spans = (s: string): [number, number][] => {
    const out: [number, number][] = [];
    for (const secret of exact) {
      for (let i = s.indexOf(secret); i >= 0; i = s.indexOf(secret, i + 1)) out.push([i, i + secret.length]);
    }
    for (const shape of KEY_SHAPES) {
      const re = new RegExp(shape.source, shape.flags.includes('g') ? shape.flags : `${shape.flags}g`);
      for (const m of s.matchAll(re)) out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };

  const stringsOnly = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (Array.isArray(value)) return value.map((v) => stringsOnly(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringsOnly(v, depth + 1)]));
  };

  const redact = (<T>(value: T): T => walk(value, 0) as T) as Redactor;
  redact.strings = <T>(value: T): T => stringsOnly(value, 0) as T;
  redact.text = text;
  redact.addSecret = addSecret;
  redact.spans = spans;
  redact.secrets = () => exact;
  return redact;
}

/** A stream redactor holds back at most this much of a line without a newline before it lets text out. */
const MAX_HELD = 4096;
/** …and always keeps this much of the end, where a secret may still be arriving. */
const TAIL_HELD = 512;

export interface StreamRedactor {
  /** Redacted text that can be shown now (possibly empty: the rest is held until it is safe). */
  push(chunk: string): string;
  /** Everything still held, redacted (at the end of the stream). */
  flush(): string;
}

/**
 * Redaction for text that arrives in pieces (command output, streamed model text): a secret split
 * across two chunks is still caught. Text is let out up to the last newline (secrets never span
 * lines) and, on a very long line, up to TAIL_HELD characters from its end; the cut never falls inside
 * a secret or a key-shaped string, nor where the held tail could be the start of a known secret.
 */
export function createStreamRedactor(redactor: Redactor): StreamRedactor {
  let held = '';
  return {
    push(chunk) {
      const buf = held + chunk;
      let cut = buf.lastIndexOf('\n') + 1;
      if (cut === 0 && buf.length > MAX_HELD) cut = buf.length - TAIL_HELD;
      if (cut <= 0) {
        held = buf;
        return '';
      }
      for (const [start, end] of redactor.spans(buf)) if (start < cut && end > cut) cut = start;
      // A known secret whose start is in the buffer but whose end has not arrived yet.
      for (const secret of redactor.secrets()) {
        for (let start = Math.max(0, buf.length - secret.length + 1); start < cut; start++) {
          if (secret.startsWith(buf.slice(start))) {
            cut = start;
            break;
          }
        }
      }
      held = buf.slice(cut);
      return redactor.text(buf.slice(0, cut));
    },
    flush() {
      const out = redactor.text(held);
      held = '';
      return out;
    },
  };
}
