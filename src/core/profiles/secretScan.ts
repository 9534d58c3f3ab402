/**
 * Finds values in a parsed configuration file that look like credentials, so a profile can never carry
 * one. It errs towards refusing: a false alarm costs a rename, a missed key costs a rotation.
 */

export interface SecretFinding {
  /** Dotted path of the field ("model", "approvals.tools.x", "env.0"). */
  field: string;
  /** What it looks like ("an OpenAI-style API key (sk-...)"). Never the value itself. */
  kind: string;
}

const KEY_PATTERNS: readonly { kind: string; re: RegExp }[] = [
  { kind: 'an Anthropic API key (sk-ant-...)', re: /\bsk-ant-[A-Za-z0-9_-]{8,}/ },
  { kind: 'an OpenAI-style API key (sk-...)', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/ },
  { kind: 'an AWS access key id (AKIA...)', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a GitHub token (ghp_...)', re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/ },
  { kind: 'a Slack token (xox...)', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Google API key (AIza...)', re: /\bAIza[0-9A-Za-z_-]{35}/ },
  { kind: 'a private key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { kind: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { kind: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/ },
  { kind: 'a URL with a password', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i },
];

/** Field names that only ever hold a credential; any non-empty value under them is refused. */
const SECRET_KEY_NAMES = /(?:^|_)(?:apikey|api_key|token|accesstoken|authtoken|bearertoken|secret|secretkey|clientsecret|password|passwd|privatekey|credential|credentials|authorization)$/;

const MIN_RANDOM_TOKEN = 32;
const MIN_ENTROPY_BITS_PER_CHAR = 4.2;

export function findSecrets(value: unknown, path: string[] = []): SecretFinding[] {
  const out: SecretFinding[] = [];
  walk(value, path, out);
  return out;
}

function walk(value: unknown, path: string[], out: SecretFinding[]): void {
  if (typeof value === 'string') {
    const kind = classifyString(value);
    if (kind) out.push({ field: fieldName(path), kind });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, String(i)], out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isSecretKeyName(k) && hasValue(v)) {
        out.push({ field: fieldName([...path, k]), kind: `a credential field ("${k}")` });
        continue;
      }
      walk(v, [...path, k], out);
    }
  }
}

/** apiKey, api-key, API_KEY, gatewayToken, clientSecret... but not maxTokens or tokenBudget. */
export function isSecretKeyName(key: string): boolean {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s.]+/g, '_')
    .toLowerCase();
  const squashed = snake.replace(/_/g, '');
  return SECRET_KEY_NAMES.test(snake) || SECRET_KEY_NAMES.test(squashed);
}

function hasValue(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return true;
}

export function classifyString(s: string): string | undefined {
  for (const { kind, re } of KEY_PATTERNS) if (re.test(s)) return kind;
  for (const token of s.split(/[\s"'`,;()[\]{}<>]+/)) {
    if (looksRandom(token)) return 'a long random token (possibly a key)';
  }
  return undefined;
}

/**
 * A long run of key-alphabet characters with high Shannon entropy and mixed character classes.
 * Hex digests (at most 4 bits a character) and ordinary words, paths and URLs stay below the bar.
 */
export function looksRandom(token: string): boolean {
  if (token.length < MIN_RANDOM_TOKEN || !/^[A-Za-z0-9_+/=.-]+$/.test(token)) return false;
  if (token.includes('/') && /^[./]|\/\//.test(token)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(token)).length;
  if (classes < 3) return false;
  // Long identifiers ("LongCamelCaseName2") have high entropy too; random keys scatter digits through.
  const digitsInside = (token.slice(0, -4).match(/[0-9]/g) ?? []).length;
  if (digitsInside < 2) return false;
  return entropy(token) >= MIN_ENTROPY_BITS_PER_CHAR;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function fieldName(path: string[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}
