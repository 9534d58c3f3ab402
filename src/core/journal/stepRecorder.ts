import { createHash } from 'node:crypto';
import type { RunResult } from '../agent/runResult';
import type { ToolCall } from '../model/messages';
import type { ModelResponse } from '../model/modelClient';
import type { Usage } from '../model/usage';
import type { ToolKind } from '../tools/defineTool';
import type { ToolCallOutcome } from '../tools/registry';
import type { CompactionRecord, JournalRecordInput, ModelCallRecord, RunJournal, RunStartRecord } from './journalRecord';
import { interruptedCallAction, type ReplayState } from './replayState';

/**
 * Asked on resume about a write or a command that was started but never reported back: it may have
 * taken effect. `true` runs it again; `false` tells the model it was interrupted instead.
 */
export type ConfirmRerun = (call: ToolCall, kind: ToolKind | undefined, why: string) => Promise<boolean>;

export type ToolStep =
  | { action: 'replay'; outcome: ToolCallOutcome }
  | { action: 'run' }
  | { action: 'skip'; outcome: ToolCallOutcome };

/**
 * The loop's one contact with durability: it writes each record before the loop acts on it, and on
 * resume answers each step from the journal when the journal already has it. Without a journal and a
 * replay state every method is a no-op, so the loop has a single code path.
 */
export class StepRecorder {
  constructor(
    private readonly journal: RunJournal | undefined,
    private readonly replay: ReplayState | undefined,
    private readonly confirmRerun: ConfirmRerun | undefined,
  ) {}

  private write(record: JournalRecordInput): void {
    if (!this.journal) return;
    try {
      this.journal.append(record);
    } catch (e) {
      throw new JournalWriteError(`could not write the run journal, so the run stopped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  get resuming(): boolean {
    return this.replay !== undefined;
  }

  start(record: Omit<RunStartRecord, 'v' | 'time' | 'kind' | 'systemHash'> & { system: string }): void {
    if (this.replay) return;
    const { system, ...rest } = record;
    this.write({ kind: 'run_started', ...rest, systemHash: hashSystem(system) });
  }

  recordedModelCall(step: string): ModelCallRecord | undefined {
    return this.replay?.modelCalls.get(step);
  }

  modelCall(step: string, response: ModelResponse, costUsd: number, attempts: number): void {
    this.write({ kind: 'model_call', step, response, costUsd, attempts });
  }

  recordedCompaction(step: string): CompactionRecord | undefined {
    return this.replay?.compactions.get(step);
  }

  compaction(step: string, summary: string, usage: Usage, costUsd: number): void {
    this.write({ kind: 'compaction', step, summary, usage, costUsd });
  }

  /** Decides how a tool call is served: from the journal, by running it (intent journaled first), or not at all. */
  async beforeTool(step: string, call: ToolCall, kind: ToolKind | undefined): Promise<ToolStep> {
    const done = this.replay?.toolResults.get(call.id);
    if (done) {
      const { content, isError, filesChanged, commandsRun } = done;
      return { action: 'replay', outcome: { content, isError, filesChanged, commandsRun } };
    }
    if (this.replay?.toolIntents.has(call.id) && interruptedCallAction(this.replay, call.id, kind) === 'ask') {
      const why = `the run was interrupted while ${call.name} was running, so it may or may not have taken effect`;
      const again = this.confirmRerun ? await this.confirmRerun(call, kind, why) : false;
      if (!again) {
        return {
          action: 'skip',
          outcome: {
            content: `Not run again: ${why}. Check its effect (for example read the file or look at the state the command changes) before trying it again.`,
            isError: true,
          },
        };
      }
    }
    this.write({ kind: 'tool_intent', step, call, toolKind: kind ?? 'unknown' });
    return { action: 'run' };
  }

  toolResult(step: string, call: ToolCall, outcome: ToolCallOutcome): void {
    this.write({
      kind: 'tool_result',
      step,
      callId: call.id,
      name: call.name,
      content: outcome.content,
      isError: outcome.isError,
      filesChanged: outcome.filesChanged ?? [],
      commandsRun: outcome.commandsRun ?? [],
    });
  }

  /** The end record is best effort: when the journal itself failed, the run's result still goes to the caller. */
  end(result: RunResult): void {
    try {
      this.journal?.append({ kind: 'run_ended', result });
    } catch {
      /* the caller gets the result; a later resume sees the run as interrupted */
    }
  }
}

/** Fail closed: a step that cannot be journaled is not taken, so the run stops with this error. */
export class JournalWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalWriteError';
  }
}

export function hashSystem(system: string): string {
  return createHash('sha256').update(system).digest('hex');
}
