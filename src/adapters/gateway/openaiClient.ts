import OpenAI from 'openai';
import type { ToolCall } from '../../core/model/messages';
import { MAX_LISTED_MODELS, type ModelClient, type ModelRequest, type ModelStreamEvent, type StopReason } from '../../core/model/modelClient';
import { ModelError } from '../../core/model/errors';
import { emptyUsage, type Usage } from '../../core/model/usage';
import { NO_KEY, stripTrailingSlash, type GatewayConfig } from './gatewayConfig';
import { toModelError } from './sdkErrors';
import { gatewayErrorFetch } from './gatewayErrorBody';
import { assertEventStream } from './protocolCheck';
import { IdleWatchdog, type AdapterOptions } from './resilience/idleWatchdog';
import { toOpenAIRequest } from './openaiWire';

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** OpenAI-compatible chat completions through the official SDK, pointed at the gateway URL. */
export class OpenAIModelClient implements ModelClient {
  readonly protocol = 'openai' as const;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly url: string;

  constructor(config: GatewayConfig, apiKey: string | undefined, private readonly options: AdapterOptions = {}) {
    this.model = config.model;
    this.url = stripTrailingSlash(config.url);
    this.client = new OpenAI({
      baseURL: this.url,
      apiKey: apiKey || NO_KEY,
      organization: null,
      project: null,
      defaultHeaders: config.headers,
      maxRetries: config.sdkMaxRetries,
      timeout: config.timeoutMs,
      // Error bodies in any gateway's shape reach the SDK in OpenAI's, with the gateway's message.
      fetch: gatewayErrorFetch('openai', [apiKey, ...Object.values(config.headers ?? {})]),
    });
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const ids = new Set<string>();
    for await (const m of this.client.models.list({ signal, timeout: 5_000, maxRetries: 0 })) {
      ids.add(m.id);
      if (ids.size >= MAX_LISTED_MODELS) break;
    }
    return [...ids].sort((a, b) => a.localeCompare(b));
  }

  async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const ctx = { url: this.url, model: this.model, sdk: OpenAI };
    const calls = new Map<number, PartialCall>();
    let text = '';
    let finish: string | null = null;
    let usage: Usage | undefined;
    let model = this.model;
    const watchdog = new IdleWatchdog(this.options.idleTimeoutMs, signal);
    try {
      const { data: stream, response } = await this.client.chat.completions
        .create(toOpenAIRequest(this.model, request), { signal: watchdog.signal })
        .withResponse();
      assertEventStream(response, this.url);
      watchdog.kick();
      for await (const chunk of stream) {
        watchdog.kick();
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = fromOpenAIUsage(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) {
          text += delta.content;
          yield { type: 'text_delta', text: delta.content };
        }
        for (const tc of delta?.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.arguments += tc.function.arguments;
          calls.set(tc.index, cur);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (e) {
      // A stall aborts the request through the watchdog; it is a broken stream, not a cancellation.
      if (watchdog.stalled && !signal?.aborted) throw watchdog.stallError(this.url, this.model);
      throw toModelError(e, ctx);
    } finally {
      watchdog.dispose();
    }
    // A stream that closed without a finish reason was cut: its partial tool calls must never run.
    if (finish === null) {
      throw new ModelError({ kind: 'stream_broken', message: `the stream from ${this.url} ended before the model finished its turn`, url: this.url, model: this.model });
    }
    const toolCalls: ToolCall[] = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: c.arguments }));
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield {
      type: 'response',
      response: {
        message: { role: 'assistant', text, toolCalls },
        stopReason: mapFinish(finish),
        usage: usage ?? emptyUsage(),
        model,
      },
    };
  }
}

function fromOpenAIUsage(u: OpenAI.Completions.CompletionUsage): Usage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, u.prompt_tokens - cached),
    outputTokens: u.completion_tokens,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

function mapFinish(f: string): StopReason {
  switch (f) {
    case 'stop':
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    default:
      return 'other';
  }
}
