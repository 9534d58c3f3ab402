import type { ScriptedStopReason, ScriptedToolCall } from './turn';
import type { UsageCounts } from './usage';

/** A reply after the scripted turn has been resolved against one request: ready to encode on the wire. */
export interface ResolvedReply {
  model: string;
  text: string;
  toolCalls: ResolvedToolCall[];
  stopReason: ScriptedStopReason;
  usage: UsageCounts;
}

export interface ResolvedToolCall {
  id: string;
  name: string;
  /** The exact argument text to send; may be invalid JSON when the scenario asked for it. */
  argumentsJson: string;
}

/** The encoded stream of one reply, with the spot a tool-argument cut happens at. */
export interface EncodedStream {
  frames: string[];
  /** How many frames to send so the stream stops right after the first tool call's first argument fragment. */
  cutInsideArgumentsAt?: number;
}

/** Per-server counters that give every generated id a stable, readable value. */
export class IdSource {
  private counter = 0;

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(4, '0')}`;
  }

  reset(): void {
    this.counter = 0;
  }
}

export function resolveToolCalls(calls: readonly ScriptedToolCall[] | undefined, ids: IdSource, idPrefix: string): ResolvedToolCall[] {
  return (calls ?? []).map((c) => ({
    id: c.id ?? ids.next(idPrefix),
    name: c.name,
    argumentsJson: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }));
}

/** Characters a reply emits, the basis of the default output token estimate. */
export function outputChars(text: string, calls: readonly ResolvedToolCall[]): number {
  return calls.reduce((n, c) => n + c.name.length + c.argumentsJson.length, text.length);
}

export function defaultStopReason(hasToolCalls: boolean): ScriptedStopReason {
  return hasToolCalls ? 'tool_use' : 'end_turn';
}

/**
 * Splits text into word-sized deltas (each word keeps the whitespace after it), the way models stream.
 * Joining the pieces gives the text back exactly.
 */
export function splitText(text: string): string[] {
  if (text === '') return [];
  return text.match(/\s*\S+\s*|\s+/g) ?? [text];
}

/**
 * Splits tool-call arguments into up to four fragments of similar size, cutting anywhere (inside keys,
 * strings and numbers) as providers do. Code points are never split. Joining gives the text back.
 */
export function splitArguments(json: string): string[] {
  const chars = Array.from(json);
  if (chars.length === 0) return [];
  const parts = Math.min(4, chars.length);
  const size = Math.ceil(chars.length / parts);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
