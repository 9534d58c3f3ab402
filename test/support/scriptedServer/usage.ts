import { createHash } from 'node:crypto';
import type { ScriptedUsage } from './turn';

/**
 * Deterministic token accounting for the scripted server.
 *
 * Tokens are estimated as ceil(UTF-8 bytes / 4) of the JSON of the prompt's parts, so the same request
 * always costs the same and a bigger prompt always costs more.
 *
 * The prompt is cut into segments in the order providers cache it: the tools, then the system prompt
 * (each Anthropic system block), then every message (each Anthropic content block). The cache remembers
 * prefixes (per protocol and model) by a hash chain over segments, with `cache_control` markers removed so moving a breakpoint
 * does not change what the prefix contains.
 *
 * Anthropic (explicit caching): only requests with `cache_control` breakpoints use the cache. The
 * prefix up to the last breakpoint is the cacheable part. Its longest part that ends at a breakpoint
 * of an earlier request is read from the cache (`cache_read_input_tokens`); the rest of it is written
 * (`cache_creation_input_tokens`); what follows the last breakpoint is plain `input_tokens`. Every
 * breakpoint of the request is then remembered.
 *
 * OpenAI (automatic caching): the longest prefix, at any segment boundary, that an earlier request
 * also had counts as `prompt_tokens_details.cached_tokens` (still included in `prompt_tokens`). Every
 * segment boundary of the request is then remembered.
 *
 * Real providers also require a minimum prefix size (about 1024 tokens) and round; this simulation
 * does neither, so small test prompts show caching too.
 */

export interface UsageCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

interface Segment {
  json: string;
  breakpoint: boolean;
}

function estimate(bytes: number): number {
  return Math.ceil(bytes / 4);
}

/** Estimated output tokens for the text and tool-call arguments a reply emits (at least 1). */
export function estimateOutputTokens(outputChars: number): number {
  return Math.max(1, estimate(outputChars));
}

function stripCacheControl(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripCacheControl);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'cache_control') out[k] = stripCacheControl(v);
    return out;
  }
  return value;
}

function segment(value: unknown): Segment {
  const breakpoint = Boolean(value && typeof value === 'object' && 'cache_control' in value && (value as Record<string, unknown>).cache_control);
  return { json: JSON.stringify(stripCacheControl(value)) ?? 'null', breakpoint };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Anthropic order: tools, system blocks, then each message's content blocks (tagged with its role). */
export function anthropicSegments(body: Record<string, unknown>): Segment[] {
  const out: Segment[] = asArray(body.tools).map(segment);
  if (typeof body.system === 'string') out.push(segment({ system: body.system }));
  else for (const block of asArray(body.system)) out.push(segment(block));
  for (const message of asArray(body.messages)) {
    const m = (message ?? {}) as Record<string, unknown>;
    if (typeof m.content === 'string') {
      out.push({ json: JSON.stringify({ role: m.role, content: m.content }), breakpoint: false });
      continue;
    }
    const blocks = asArray(m.content);
    blocks.forEach((block, i) => {
      const s = segment(block);
      // The role belongs to the first block so two messages with the same blocks still differ.
      out.push(i === 0 ? { json: `${JSON.stringify(m.role)}${s.json}`, breakpoint: s.breakpoint } : s);
    });
  }
  return out;
}

/** OpenAI order: tools, then each message (the system prompt is a message there). */
export function openaiSegments(body: Record<string, unknown>): Segment[] {
  return [...asArray(body.tools), ...asArray(body.messages)].map((v) => ({ json: JSON.stringify(v) ?? 'null', breakpoint: false }));
}

/** Remembers prompt prefixes across requests. One per server; `clear()` forgets everything. */
export class PromptCache {
  private readonly seen = new Set<string>();

  clear(): void {
    this.seen.clear();
  }

  /** Usage of an Anthropic request, simulating explicit `cache_control` breakpoints. */
  anthropicInput(body: Record<string, unknown>): Omit<UsageCounts, 'output'> {
    const segments = anthropicSegments(body);
    const { hashes, tokensAt } = this.chain(segments, `anthropic:${String(body.model)}`);
    const total = tokensAt[segments.length] ?? 0;
    const breakpoints = segments.flatMap((s, i) => (s.breakpoint ? [i + 1] : []));
    const last = breakpoints[breakpoints.length - 1];
    if (last === undefined) return { input: total, cacheRead: 0, cacheWrite: 0 };
    let readUpTo = 0;
    for (let k = last; k > 0; k--) {
      if (this.seen.has(hashes[k] ?? '')) {
        readUpTo = k;
        break;
      }
    }
    for (const k of breakpoints) this.seen.add(hashes[k] ?? '');
    const cacheRead = tokensAt[readUpTo] ?? 0;
    const cacheWrite = (tokensAt[last] ?? 0) - cacheRead;
    return { input: total - cacheRead - cacheWrite, cacheRead, cacheWrite };
  }

  /** Usage of an OpenAI request: `input` here is the whole prompt, `cacheRead` the part already seen. */
  openaiInput(body: Record<string, unknown>): { prompt: number; cached: number } {
    const segments = openaiSegments(body);
    const { hashes, tokensAt } = this.chain(segments, `openai:${String(body.model)}`);
    let cachedUpTo = 0;
    for (let k = segments.length; k > 0; k--) {
      if (this.seen.has(hashes[k] ?? '')) {
        cachedUpTo = k;
        break;
      }
    }
    for (let k = 1; k <= segments.length; k++) this.seen.add(hashes[k] ?? '');
    return { prompt: tokensAt[segments.length] ?? 0, cached: tokensAt[cachedUpTo] ?? 0 };
  }

  /**
   * `hashes[k]` identifies the first k segments; `tokensAt[k]` is their estimated token count. The seed
   * keeps protocols and models apart, as each provider caches per model.
   */
  private chain(segments: Segment[], seed: string): { hashes: string[]; tokensAt: number[] } {
    const hashes = [''];
    const tokensAt = [0];
    let bytes = 0;
    let previous = seed;
    for (const s of segments) {
      previous = createHash('sha256').update(previous).update('\u0000').update(s.json).digest('hex');
      bytes += Buffer.byteLength(s.json);
      hashes.push(previous);
      tokensAt.push(estimate(bytes));
    }
    return { hashes, tokensAt };
  }
}

/** Applies a turn's scripted overrides on top of the computed counts. */
export function applyOverrides(computed: UsageCounts, scripted: ScriptedUsage | undefined): UsageCounts {
  return {
    input: scripted?.input ?? computed.input,
    output: scripted?.output ?? computed.output,
    cacheRead: scripted?.cacheRead ?? computed.cacheRead,
    cacheWrite: scripted?.cacheWrite ?? computed.cacheWrite,
  };
}
