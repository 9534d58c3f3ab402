import { PROTOCOLS, type Protocol } from '../../core/model/modelClient';

export interface FallbackModel {
  model: string;
  /** Undefined: the primary's protocol. */
  protocol?: Protocol;
}

/**
 * A fallback model entry that cannot be read. The message does not name where the entry came from,
 * so the CLI can prefix its flag and the extension its setting.
 */
export class FallbackSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FallbackSpecError';
  }
}

/** `NAME` or `NAME@openai` / `NAME@anthropic`. A model name may itself contain `@`; only a known protocol suffix is split off. */
export function parseFallback(spec: string): FallbackModel {
  const s = spec.trim();
  const at = s.lastIndexOf('@');
  if (at > 0) {
    const suffix = s.slice(at + 1);
    if ((PROTOCOLS as readonly string[]).includes(suffix)) return { model: s.slice(0, at), protocol: suffix as Protocol };
    if (/^[a-z]+$/i.test(suffix) && !s.slice(0, at).includes('/')) {
      throw new FallbackSpecError(`${spec}: unknown protocol "${suffix}"; use NAME, NAME@openai or NAME@anthropic`);
    }
  }
  if (!s || s.startsWith('@')) throw new FallbackSpecError(`needs a model name: NAME[@openai|@anthropic], got "${spec}"`);
  return { model: s };
}

/**
 * The same gateway reached over the other protocol: OpenAI-compatible base URLs conventionally end
 * in `/v1` (the SDK appends `/chat/completions`), Anthropic ones do not (the SDK appends `/v1/messages`).
 */
export function urlForProtocol(url: string, from: Protocol, to: Protocol): string {
  const u = url.replace(/\/+$/, '');
  if (from === to) return u;
  if (to === 'anthropic') return u.replace(/\/v1$/, '');
  return /\/v1$/.test(u) ? u : `${u}/v1`;
}
