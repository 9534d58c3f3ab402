import Anthropic from '@anthropic-ai/sdk';
import type { ToolCall } from '../../core/model/messages';
import { MAX_LISTED_MODELS, type ModelClient, type ModelRequest, type ModelStreamEvent, type StopReason } from '../../core/model/modelClient';
import { ModelError } from '../../core/model/errors';
import { emptyUsage, type Usage } from '../../core/model/usage';
import { NO_KEY, stripTrailingSlash, type GatewayConfig } from './gatewayConfig';
import { toModelError } from './sdkErrors';
import { gatewayErrorFetch } from './gatewayErrorBody';
import { assertEventStream } from './protocolCheck';
import { IdleWatchdog, type AdapterOptions } from './resilience/idleWatchdog';
import { toAnthropicRequest } from './anthropicWire';

interface OpenBlock {
  kind: 'text' | 'tool_use';
  id: string;
  name: string;
  json: string;
}

/** Anthropic messages through the official SDK, pointed at the gateway URL. */
export class AnthropicModelClient implements ModelClient {
  readonly protocol = 'anthropic' as const;
  readonly model: string;
  private readonly client: Anthropic;
  private readonly url: string;

  constructor(config: GatewayConfig, apiKey: string | undefined, private readonly options: AdapterOptions = {}) {
    this.model = config.model;
    this.url = stripTrailingSlash(config.url);
    this.client = new Anthropic({
      baseURL: this.url,
      apiKey: apiKey || NO_KEY,
      defaultHeaders: config.headers,
      maxRetries: config.sdkMaxRetries,
      timeout: config.timeoutMs,
      // Error bodies in any gateway's shape reach the SDK in Anthropic's, with the gateway's message.
      fetch: gatewayErrorFetch('anthropic', [apiKey, ...Object.values(config.headers ?? {})]),
    });
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const ids = new Set<string>();
    for await (const m of this.client.models.list({ limit: 100 }, { signal, timeout: 5_000, maxRetries: 0 })) {
      ids.add(m.id);
      if (ids.size >= MAX_LISTED_MODELS) break;
    }
    return [...ids].sort((a, b) => a.localeCompare(b));
  }

  async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const ctx = { url: this.url, model: this.model, sdk: Anthropic };
    const blocks = new Map<number, OpenBlock>();
    const toolCalls: ToolCall[] = [];
    let text = '';
    let structured: string | undefined;
    let stop: string | null = null;
    let finished = false;
    const usage: Usage = emptyUsage();
    let model = this.model;
    const watchdog = new IdleWatchdog(this.options.idleTimeoutMs, signal);
    try {
      const { data: stream, response } = await this.client.messages
        .create(toAnthropicRequest(this.model, request), { signal: watchdog.signal })
        .withResponse();
      assertEventStream(response, this.url);
      watchdog.kick();
      for await (const ev of stream) {
        watchdog.kick();
        switch (ev.type) {
          case 'message_start': {
            model = ev.message.model || model;
            const u = ev.message.usage;
            usage.inputTokens = u.input_tokens ?? 0;
            usage.cacheReadTokens = u.cache_read_input_tokens ?? 0;
            usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
            usage.outputTokens = u.output_tokens ?? 0;
            break;
          }
          case 'content_block_start': {
            const b = ev.content_block;
            if (b.type === 'tool_use') blocks.set(ev.index, { kind: 'tool_use', id: b.id, name: b.name, json: '' });
            else if (b.type === 'text') {
              blocks.set(ev.index, { kind: 'text', id: '', name: '', json: '' });
              if (b.text) {
                text += b.text;
                yield { type: 'text_delta', text: b.text };
              }
            }
            break;
          }
          case 'content_block_delta': {
            const d = ev.delta;
            if (d.type === 'text_delta') {
              text += d.text;
              yield { type: 'text_delta', text: d.text };
            } else if (d.type === 'input_json_delta') {
              const b = blocks.get(ev.index);
              if (b) b.json += d.partial_json;
            }
            break;
          }
          case 'content_block_stop': {
            // Only now is a tool call complete; before this point it may be cut and must not run.
            const b = blocks.get(ev.index);
            if (b?.kind === 'tool_use') {
              const call: ToolCall = { id: b.id, name: b.name, arguments: b.json === '' ? '{}' : b.json };
              if (request.output && b.name === request.output.name) structured = call.arguments;
              else toolCalls.push(call);
            }
            break;
          }
          case 'message_delta': {
            if (ev.delta.stop_reason) stop = ev.delta.stop_reason;
            const u = ev.usage;
            if (u.output_tokens != null) usage.outputTokens = u.output_tokens;
            if (u.input_tokens != null) usage.inputTokens = u.input_tokens;
            if (u.cache_read_input_tokens != null) usage.cacheReadTokens = u.cache_read_input_tokens;
            if (u.cache_creation_input_tokens != null) usage.cacheWriteTokens = u.cache_creation_input_tokens;
            break;
          }
          case 'message_stop':
            finished = true;
            break;
          default:
            break;
        }
      }
    } catch (e) {
      // A stall aborts the request through the watchdog; it is a broken stream, not a cancellation.
      if (watchdog.stalled && !signal?.aborted) throw watchdog.stallError(this.url, this.model);
      throw toModelError(e, ctx);
    } finally {
      watchdog.dispose();
    }
    if (!finished) {
      throw new ModelError({ kind: 'stream_broken', message: `the stream from ${this.url} ended before the model finished its turn`, url: this.url, model: this.model });
    }
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield {
      type: 'response',
      response: {
        message: { role: 'assistant', text: structured ?? text, toolCalls },
        stopReason: structured !== undefined ? 'end_turn' : mapStop(stop),
        usage,
        model,
      },
    };
  }
}

function mapStop(s: string | null): StopReason {
  switch (s) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}
