import type { CompactionRecord } from '../journal/journalRecord';
import type { Message, ToolSpec } from '../model/messages';
import type { ModelClient } from '../model/modelClient';
import type { Pricing } from '../model/pricing';
import { emptyUsage, type Usage } from '../model/usage';
import { applyCompaction, DEFAULT_COMPACTION_THRESHOLD, DEFAULT_KEEP_TURNS, planCompaction, renderSummary, summarise } from './compaction';
import { ContextMeter } from './contextMeter';
import { contextWindowFor, type ModelWindowTable } from './modelWindows';

export interface ContextOptions {
  /** User additions to the model-window table. */
  windows?: ModelWindowTable;
  /** Overrides the table for this run. */
  window?: number;
  /** Compact when the context passes this share of the window. Default 0.8. */
  threshold?: number;
  keepTurns?: number;
  /** Default true. */
  compaction?: boolean;
  /** The model that writes summaries; defaults to the run's model. */
  summaryModel?: ModelClient;
}

const LAST_CHANCE = 0.95;

export interface Compacted {
  messages: Message[];
  summary: string;
  usage: Usage;
  costUsd: number;
  /** The summary's model had no known price. */
  costUnknown?: boolean;
  tokensBefore: number;
  tokensAfter: number;
}

/** Keeps the run's context inside the model's window: measures it, and compacts when it passes the threshold. */
export class ContextManager {
  readonly window: number;
  private readonly meter: ContextMeter;
  private threshold: number;
  private readonly configuredThreshold: number;

  constructor(
    private readonly options: ContextOptions,
    private readonly model: ModelClient,
    system: string,
    tools: readonly ToolSpec[],
    private readonly pricing: Pricing,
  ) {
    this.window = options.window ?? contextWindowFor(model.model, options.windows);
    this.threshold = this.configuredThreshold = options.threshold ?? DEFAULT_COMPACTION_THRESHOLD;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new Error(`the compaction threshold must be above 0 and at most 1, got ${this.threshold}`);
    this.meter = new ContextMeter(system, tools);
  }

  tokens(messages: readonly Message[]): number {
    return this.meter.current(messages);
  }

  observe(usage: Usage, messageCount: number): void {
    this.meter.observe(usage, messageCount);
  }

  /**
   * A summary call that failed (the model did not answer in the schema twice, a gateway error) does not
   * end the run while the context still fits: compaction is tried again only near the window's edge,
   * and fails the run there, since the next model call would overflow.
   */
  compactionFailed(messages: readonly Message[], error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    if (this.threshold >= LAST_CHANCE || this.tokens(messages) >= LAST_CHANCE * this.window) {
      throw new Error(`the context is nearly full (${this.tokens(messages)} of ${this.window} tokens) and compacting it failed: ${why}`);
    }
    this.threshold = LAST_CHANCE;
  }

  needsCompaction(messages: readonly Message[]): boolean {
    return this.options.compaction !== false && this.tokens(messages) > this.threshold * this.window;
  }

  /**
   * Summarises the older turns (or takes the summary a previous session journaled for this step, so a
   * resume neither pays for it again nor gets a different summary). Undefined when nothing can be cut.
   */
  async compact(input: {
    messages: readonly Message[];
    task: string;
    filesChanged: readonly string[];
    commandsRun: readonly string[];
    recorded?: CompactionRecord;
    signal?: AbortSignal;
  }): Promise<Compacted | undefined> {
    const plan = planCompaction(input.messages, this.window, this.options.keepTurns ?? DEFAULT_KEEP_TURNS);
    if (!plan) return undefined;
    const tokensBefore = this.tokens(input.messages);
    let summary: string;
    let usage: Usage = emptyUsage();
    let costUsd = 0;
    let costUnknown = false;
    if (input.recorded) {
      summary = input.recorded.summary;
      usage = input.recorded.usage;
      costUsd = input.recorded.costUsd;
    } else {
      const res = await summarise({
        model: this.options.summaryModel ?? this.model,
        task: input.task,
        plan,
        filesChanged: input.filesChanged,
        commandsRun: input.commandsRun,
        window: this.window,
        pricing: this.pricing,
        signal: input.signal,
      });
      summary = renderSummary(input.task, res.summary);
      const { totalTokens: _t, costUsd: cost, costUnknown: unknown, ...plain } = res.usage;
      costUnknown = unknown === true;
      usage = plain;
      costUsd = cost;
    }
    const messages = applyCompaction(summary, plan);
    this.meter.invalidate();
    this.threshold = this.configuredThreshold;
    return { messages, summary, usage, costUsd, ...(costUnknown ? { costUnknown } : {}), tokensBefore, tokensAfter: this.tokens(messages) };
  }
}
