import type { Message, ToolSpec } from '../model/messages';
import type { Usage } from '../model/usage';

/**
 * Token accounting for the current context, without a tokenizer: the provider's own count for the
 * prompt of the last call (input + cache read + cache write) plus its output (the assistant message
 * now in the context) is exact for everything up to that message; what was appended since (tool
 * results) is estimated at 4 bytes of JSON per token. Before the first call, and after a compaction
 * rewrote the messages, everything is estimated until the next call reports real numbers.
 */
export function estimateTokens(value: unknown): number {
  return Math.ceil(Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value)) / 4);
}

export class ContextMeter {
  private measured: number | undefined;
  private measuredCount = 0;

  constructor(
    private readonly system: string,
    private readonly tools: readonly ToolSpec[],
  ) {}

  /** Called after a model call, with the messages including the assistant's reply. */
  observe(usage: Usage, messageCount: number): void {
    this.measured = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
    this.measuredCount = messageCount;
  }

  /** The messages were rewritten (compaction): provider numbers no longer describe them. */
  invalidate(): void {
    this.measured = undefined;
  }

  current(messages: readonly Message[]): number {
    if (this.measured !== undefined && messages.length >= this.measuredCount) {
      return this.measured + messages.slice(this.measuredCount).reduce((n, m) => n + estimateTokens(m), 0);
    }
    return estimateTokens(this.system) + estimateTokens(this.tools) + messages.reduce((n, m) => n + estimateTokens(m), 0);
  }
}
