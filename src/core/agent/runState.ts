import type { AssistantMessage, Message, ToolResultMessage } from '../model/messages';
import { addUsage, CostSum, emptyUsage, withTotals, type Usage, type UsageTotals } from '../model/usage';
import type { RunResult, RunStatus, SkillUse } from './runResult';

/**
 * Everything a run accumulates as it goes: the conversation, what it changed and ran, what it spent,
 * and its counters. The steps (compaction, a model turn, the tool calls) read and update it; the
 * result is made from it in one place.
 */
export class RunState {
  messages: Message[];
  readonly filesChanged = new Set<string>();
  readonly commandsRun: string[] = [];
  usage: Usage = emptyUsage();
  readonly cost = new CostSum();
  output = '';
  turns = 0;
  toolCalls = 0;
  /** Model calls made (retries included) and the model that answered last. */
  readonly calls: { attempts: number; model: string };

  constructor(history: readonly Message[], task: string, model: string) {
    this.messages = [...history, { role: 'user', content: task }];
    this.calls = { attempts: 0, model };
  }

  /** Usage of one model call, priced (null: the model's price is unknown). */
  spend(usage: Usage, cost: number | null): void {
    this.usage = addUsage(this.usage, usage);
    this.cost.add(cost);
  }

  /** Usage already totalled (a compaction's summary call). */
  spendTotals(totals: Pick<UsageTotals, 'costUsd' | 'costUnknown'> & Usage): void {
    this.usage = addUsage(this.usage, { inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, cacheReadTokens: totals.cacheReadTokens, cacheWriteTokens: totals.cacheWriteTokens });
    this.cost.addTotals(totals);
  }

  result(status: RunStatus, skillsUsed: SkillUse[], error?: string): RunResult {
    return {
      status,
      output: this.output,
      filesChanged: [...this.filesChanged].sort(),
      commandsRun: [...this.commandsRun],
      skillsUsed,
      usage: withTotals(this.usage, this.cost.usd, this.cost.unknown),
      model: this.calls.model,
      attempts: this.calls.attempts,
      ...(error !== undefined ? { error } : {}),
    };
  }

  /** Every tool call in the history must have a result, or the next request (e.g. a resumed chat) is invalid. */
  answerUnrun(assistant: AssistantMessage, why: string): void {
    const answered = new Set(this.messages.filter((m): m is ToolResultMessage => m.role === 'tool').map((m) => m.callId));
    for (const call of assistant.toolCalls) {
      if (!answered.has(call.id)) this.messages.push({ role: 'tool', callId: call.id, toolName: call.name, content: why, isError: true });
    }
  }
}

/** Ends the loop from deep inside a step with a status that names why. */
export class StopRun {
  constructor(
    readonly status: RunStatus,
    readonly reason: string,
  ) {}
}
