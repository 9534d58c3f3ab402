import type { ModelClient, ModelRequest, ModelStreamEvent, Protocol } from '../../../src/core/model/modelClient';
import { ModelError } from '../../../src/core/model/errors';
import type { Usage } from '../../../src/core/model/usage';

/** One scripted answer of the in-memory client: text, then an error (mid-stream when text came first) or a response. */
export interface ScriptStep {
  text?: string;
  error?: ModelError;
  usage?: Partial<Usage>;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  model?: string;
}

/** A ModelClient for resilience tests: it plays steps in order and counts its calls. */
export class ScriptedClient implements ModelClient {
  calls = 0;
  readonly requests: ModelRequest[] = [];
  constructor(
    readonly model: string,
    private readonly steps: ScriptStep[],
    readonly protocol: Protocol = 'openai',
  ) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    const step = this.steps[Math.min(this.calls, this.steps.length - 1)];
    this.calls++;
    if (!step) throw new Error('no steps');
    if (step.text) yield { type: 'text_delta', text: step.text };
    if (step.error) throw step.error;
    for (const call of step.toolCalls ?? []) yield { type: 'tool_call', call };
    yield {
      type: 'response',
      response: {
        message: { role: 'assistant', text: step.text ?? '', toolCalls: step.toolCalls ?? [] },
        stopReason: step.toolCalls?.length ? 'tool_use' : 'end_turn',
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, ...step.usage },
        model: step.model ?? this.model,
      },
    };
  }
}

export const fail = (kind: ModelError['kind'], extra: Partial<ConstructorParameters<typeof ModelError>[0]> = {}) =>
  new ModelError({ kind, message: `${kind} failure`, ...extra });
