import type { AssistantMessage } from '../model/messages';
import { isModelError } from '../model/errors';
import { totalTokens } from '../model/usage';
import type { ContextManager } from '../context/contextManager';
import type { LoopDetector } from '../context/loopDetector';
import type { StepRecorder } from '../journal/stepRecorder';
import { StructuredOutputError } from './complete';
import type { EventEmitter } from './events';
import type { RunLimits } from './limits';
import { StopRun, type RunState } from './runState';
import { modelCall, toolCall, type ModelSourceDeps, type ToolSourceDeps } from './stepSources';

/**
 * The steps of the loop, each a small function of the run's environment and state: summarise older
 * turns when the context is full, one model turn, the turn's tool calls. A step that must end the run
 * throws StopRun with the status that says why; everything else ends in the loop's one `end`.
 */
export interface RunEnv {
  runId: string;
  task: string;
  limits: RunLimits;
  events: EventEmitter;
  recorder: StepRecorder;
  context: ContextManager;
  signal: AbortSignal;
  loops?: LoopDetector;
  model: ModelSourceDeps;
  tools: ToolSourceDeps;
}

/** Older turns summarised when the context passes its threshold; a failed summary leaves them as they were. */
export async function compactIfNeeded(env: RunEnv, state: RunState): Promise<void> {
  if (!env.context.needsCompaction(state.messages)) return;
  const step = `${env.runId}:c${state.turns}`;
  const recorded = env.recorder.recordedCompaction(step);
  const done = await env.context.compact({ messages: state.messages, task: env.task, filesChanged: [...state.filesChanged], commandsRun: state.commandsRun, recorded, signal: env.signal }).catch((e: unknown) => {
    if (env.signal.aborted || (isModelError(e) && e.kind === 'cancelled')) throw e;
    // A summary that came back malformed was still paid for.
    if (e instanceof StructuredOutputError) state.spendTotals(e.usage);
    env.context.compactionFailed(state.messages, e);
    return undefined;
  });
  if (!done) return;
  if (!recorded) env.recorder.compaction(step, done.summary, done.usage, done.costUsd);
  state.spendTotals({ ...done.usage, costUsd: done.costUsd, ...(done.costUnknown ? { costUnknown: true } : {}) });
  const { messages: compacted, ...info } = done;
  env.events.emit({ type: 'context_compacted', step, messagesBefore: state.messages.length, messagesAfter: compacted.length, contextWindow: env.context.window, ...info, runUsage: state.usage, runCostUsd: state.cost.usd, ...(recorded ? { replayed: true } : {}) });
  state.messages = compacted;
}

/** One model turn: its answer joins the conversation, its usage the run's. */
export async function modelTurn(env: RunEnv, state: RunState): Promise<{ assistant: AssistantMessage; step: string }> {
  const step = `${env.runId}:m${state.turns}`;
  const replayedNow = env.recorder.recordedModelCall(step) !== undefined;
  env.events.emit({ type: 'model_call_started', step, turn: state.turns, messageCount: state.messages.length, ...(replayedNow ? { replayed: true } : {}) });
  const t0 = performance.now();
  const { response, cost, replayed } = await modelCall(env.model, step, state.messages);
  const mark = replayed ? { replayed: true } : {};
  state.turns++;
  state.spend(response.usage, cost);
  const assistant = response.message;
  state.messages.push(assistant);
  env.context.observe(response.usage, state.messages.length);
  if (assistant.text) state.output = assistant.text;
  env.events.emit({ type: 'model_call_finished', step, message: assistant, stopReason: response.stopReason, model: response.model, latencyMs: performance.now() - t0, ...mark });
  env.events.emit({
    type: 'usage',
    step,
    model: response.model,
    usage: response.usage,
    costUsd: cost ?? 0,
    ...(cost === null ? { costKnown: false } : {}),
    runUsage: state.usage,
    runCostUsd: state.cost.usd,
    ...(state.cost.unknown ? { runCostUnknown: true } : {}),
    contextTokens: env.context.tokens(state.messages),
    contextWindow: env.context.window,
    ...mark,
  });
  return { assistant, step };
}

/** The turn's tool calls in order, each answered in the conversation; limits and loops end the run. */
export async function runToolCalls(env: RunEnv, state: RunState, assistant: AssistantMessage, step: string): Promise<void> {
  if (totalTokens(state.usage) >= env.limits.maxTokens) {
    state.answerUnrun(assistant, 'not run: the run reached its token limit');
    throw new StopRun('max_tokens', `reached the limit of ${env.limits.maxTokens} tokens (used ${totalTokens(state.usage)})`);
  }
  for (const call of assistant.toolCalls) {
    if (env.signal.aborted) throw env.signal.reason;
    if (state.toolCalls >= env.limits.maxToolCalls) {
      state.answerUnrun(assistant, 'not run: the run reached its tool-call limit');
      throw new StopRun('max_tool_calls', `reached the limit of ${env.limits.maxToolCalls} tool calls`);
    }
    state.toolCalls++;
    const t1 = performance.now();
    const started = (replayed: boolean) => env.events.emit({ type: 'tool_call_started', step, callId: call.id, name: call.name, arguments: call.arguments, ...(replayed ? { replayed: true } : {}) });
    const { outcome: out, replayed } = await toolCall(env.tools, step, call, started);
    for (const f of out.filesChanged ?? []) state.filesChanged.add(f);
    state.commandsRun.push(...(out.commandsRun ?? []));
    state.messages.push({ role: 'tool', callId: call.id, toolName: call.name, content: out.content, isError: out.isError });
    env.events.emit({
      type: 'tool_call_finished',
      step,
      callId: call.id,
      name: call.name,
      content: out.content,
      isError: out.isError,
      durationMs: performance.now() - t1,
      filesChanged: out.filesChanged ?? [],
      commandsRun: out.commandsRun ?? [],
      ...(replayed ? { replayed: true } : {}),
    });
    const loop = env.loops?.observe(call.name, call.arguments, out.content, out.isError);
    if (loop) {
      state.answerUnrun(assistant, 'not run: the run was stopped because it was repeating itself');
      throw new StopRun('loop_detected', loop);
    }
  }
}
