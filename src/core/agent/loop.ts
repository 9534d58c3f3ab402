import { randomUUID } from 'node:crypto';
import type { AssistantMessage, Message, ToolResultMessage } from '../model/messages';
import type { ModelClient, ModelResponse } from '../model/modelClient';
import { isModelError } from '../model/errors';
import { DEFAULT_PRICES, estimateCost, type PriceTable } from '../model/pricing';
import { addUsage, emptyUsage, totalTokens, withTotals, type Usage } from '../model/usage';
import type { ToolRegistry } from '../tools/registry';
import { EventEmitter, type EventSink } from './events';
import { DEFAULT_LIMITS, type RunLimits } from './limits';
import type { RunResult, RunStatus, SkillUse } from './runResult';

export interface RunOptions {
  task: string;
  system: string;
  model: ModelClient;
  tools: ToolRegistry;
  runId?: string;
  /** Earlier conversation (chat); the task is appended as the next user message. */
  history?: readonly Message[];
  limits?: Partial<RunLimits>;
  signal?: AbortSignal;
  sinks?: readonly EventSink[];
  prices?: PriceTable;
  profile?: string;
  skillsUsed?: readonly SkillUse[];
  maxOutputTokens?: number;
  now?: () => Date;
}

/** Ends the loop from deep inside a step with a status that names why. */
class StopRun {
  constructor(readonly status: RunStatus, readonly reason: string) {}
}

/**
 * The agent loop: stream one model turn, run its tool calls, feed the results back, and repeat until
 * the model ends its turn, a limit is reached, the signal aborts, or the model call fails.
 * It is a plain function over ports; every observable step goes out as a typed event.
 */
export async function runAgent(opts: RunOptions): Promise<RunResult> {
  const runId = opts.runId ?? randomUUID();
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const prices = opts.prices ?? DEFAULT_PRICES;
  const signal = opts.signal ?? new AbortController().signal;
  const events = new EventEmitter(runId, opts.sinks ?? [], opts.now);
  const skillsUsed = [...(opts.skillsUsed ?? [])];

  const messages: Message[] = [...(opts.history ?? []), { role: 'user', content: opts.task }];
  const filesChanged = new Set<string>();
  const commandsRun: string[] = [];
  let usage: Usage = emptyUsage();
  let costUsd = 0;
  let output = '';
  let turns = 0;
  let toolCalls = 0;
  const calls = { attempts: 0, model: opts.model.model };

  const result = (status: RunStatus, error?: string): RunResult => ({
    status,
    output,
    filesChanged: [...filesChanged].sort(),
    commandsRun: [...commandsRun],
    skillsUsed,
    usage: withTotals(usage, costUsd),
    model: calls.model,
    attempts: calls.attempts,
    ...(error !== undefined ? { error } : {}),
  });

  events.emit({
    type: 'run_started',
    task: opts.task,
    model: opts.model.model,
    protocol: opts.model.protocol,
    profile: opts.profile ?? 'coder',
    limits,
    tools: opts.tools.list().map((t) => t.name),
    skills: skillsUsed,
  });

  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (turns >= limits.maxTurns) throw new StopRun('max_turns', `reached the limit of ${limits.maxTurns} model turns`);
      const step = `${runId}:m${turns}`;
      events.emit({ type: 'model_call_started', step, turn: turns, messageCount: messages.length });
      const started = performance.now();
      const response = await streamTurn(opts, messages, step, events, signal, calls);
      turns++;

      const callCost = estimateCost(response.model, response.usage, prices);
      usage = addUsage(usage, response.usage);
      costUsd += callCost;
      const assistant: AssistantMessage = response.message;
      messages.push(assistant);
      if (assistant.text) output = assistant.text;
      events.emit({
        type: 'model_call_finished',
        step,
        message: assistant,
        stopReason: response.stopReason,
        model: response.model,
        latencyMs: performance.now() - started,
      });
      events.emit({ type: 'usage', step, model: response.model, usage: response.usage, costUsd: callCost, runUsage: usage, runCostUsd: costUsd });

      if (assistant.toolCalls.length === 0) {
        const status: RunStatus = 'completed';
        const res = result(status);
        events.emit({ type: 'run_finished', result: res });
        return res;
      }
      if (totalTokens(usage) >= limits.maxTokens) {
        answerUnrun(messages, assistant, 'not run: the run reached its token limit');
        throw new StopRun('max_tokens', `reached the limit of ${limits.maxTokens} tokens (used ${totalTokens(usage)})`);
      }

      for (const call of assistant.toolCalls) {
        if (signal.aborted) throw signal.reason;
        if (toolCalls >= limits.maxToolCalls) {
          answerUnrun(messages, assistant, 'not run: the run reached its tool-call limit');
          throw new StopRun('max_tool_calls', `reached the limit of ${limits.maxToolCalls} tool calls`);
        }
        toolCalls++;
        events.emit({ type: 'tool_call_started', step, callId: call.id, name: call.name, arguments: call.arguments });
        const t0 = performance.now();
        const out = await opts.tools.call(call.name, call.arguments, { runId, callId: call.id, signal });
        for (const f of out.filesChanged ?? []) filesChanged.add(f);
        commandsRun.push(...(out.commandsRun ?? []));
        const toolMessage: ToolResultMessage = { role: 'tool', callId: call.id, toolName: call.name, content: out.content, isError: out.isError };
        messages.push(toolMessage);
        events.emit({
          type: 'tool_call_finished',
          step,
          callId: call.id,
          name: call.name,
          content: out.content,
          isError: out.isError,
          durationMs: performance.now() - t0,
          filesChanged: out.filesChanged ?? [],
          commandsRun: out.commandsRun ?? [],
        });
      }
    }
  } catch (e) {
    if (e instanceof StopRun) {
      const res = result(e.status, e.reason);
      events.emit({ type: 'run_finished', result: res });
      return res;
    }
    if (signal.aborted || (isModelError(e) && e.kind === 'cancelled')) {
      const res = result('cancelled', 'cancelled');
      events.emit({ type: 'run_cancelled', result: res });
      return res;
    }
    const kind = isModelError(e) ? e.kind : 'internal';
    const message = e instanceof Error ? e.message : String(e);
    const res = result('failed', message);
    events.emit({ type: 'run_failed', errorKind: kind, message, result: res });
    return res;
  }
}

async function streamTurn(
  opts: RunOptions,
  messages: readonly Message[],
  step: string,
  events: EventEmitter,
  signal: AbortSignal,
  calls: { attempts: number; model: string },
): Promise<ModelResponse> {
  let response: ModelResponse | undefined;
  calls.attempts++;
  const stream = opts.model.stream(
    { system: opts.system, messages, tools: opts.tools.specs(), maxOutputTokens: opts.maxOutputTokens },
    signal,
  );
  for await (const ev of stream) {
    if (ev.type === 'text_delta') events.emit({ type: 'text_delta', step, text: ev.text });
    else if (ev.type === 'tool_call') events.emit({ type: 'tool_call_proposed', step, call: ev.call });
    else if (ev.type === 'retry') {
      calls.attempts++;
      events.emit({ type: 'model_call_retried', step, attempt: ev.attempt, reason: ev.reason, delayMs: ev.delayMs, model: ev.model });
    } else {
      response = ev.response;
      calls.model = ev.response.model;
    }
  }
  if (!response) throw new Error('model stream ended without a response');
  return response;
}

/** Every tool call in the history must have a result, or the next request (e.g. a resumed chat) is invalid. */
function answerUnrun(messages: Message[], assistant: AssistantMessage, why: string): void {
  const answered = new Set(messages.filter((m): m is ToolResultMessage => m.role === 'tool').map((m) => m.callId));
  for (const call of assistant.toolCalls) {
    if (!answered.has(call.id)) messages.push({ role: 'tool', callId: call.id, toolName: call.name, content: why, isError: true });
  }
}
