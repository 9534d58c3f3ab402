import type { ToolCall } from './messages';
import type { ModelClient, ModelRequest, ModelStreamEvent, StopReason } from './modelClient';
import { ModelError } from './errors';
import type { Usage } from './usage';

/** One scripted model turn for the in-memory fake. */
export interface FakeTurn {
  text?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: string | Record<string, unknown> }>;
  usage?: Partial<Usage>;
  stopReason?: StopReason;
  /** Throw this instead of answering. */
  error?: ModelError;
  /** Wait this long (or until aborted) before answering, to test cancellation. */
  delayMs?: number;
}

/**
 * An in-memory ModelClient for unit tests of the core: it plays scripted turns, records every
 * request, and honours the abort signal like the real adapters. Wire-level behaviour is tested
 * against the scripted HTTP server instead.
 */
export class FakeModelClient implements ModelClient {
  readonly protocol = 'openai' as const;
  readonly requests: ModelRequest[] = [];
  private next = 0;

  constructor(
    private readonly turns: FakeTurn[],
    readonly model = 'fake-model',
  ) {}

  async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    this.requests.push(structuredClone({ ...request, messages: [...request.messages] }));
    const turn = this.turns[this.next++];
    if (!turn) throw new ModelError({ kind: 'bad_request', message: `fake model has no turn ${this.next}` });
    if (turn.delayMs) await sleep(turn.delayMs, signal);
    if (signal?.aborted) throw new ModelError({ kind: 'cancelled', message: 'cancelled' });
    if (turn.error) throw turn.error;
    if (turn.text) yield { type: 'text_delta', text: turn.text };
    const toolCalls: ToolCall[] = (turn.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${this.next}_${i}`,
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    }));
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield {
      type: 'response',
      response: {
        message: { role: 'assistant', text: turn.text ?? '', toolCalls },
        stopReason: turn.stopReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn'),
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, ...turn.usage },
        model: this.model,
      },
    };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
