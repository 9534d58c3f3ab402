import { randomUUID } from 'node:crypto';
import type { AssistantMessage, Message, ToolCall, ToolResultMessage } from '../model/messages';
import type { ModelClient, ModelResponse } from '../model/modelClient';
import { isModelError } from '../model/errors';
import { isBudgetExceededError } from '../model/budgets';
import { DEFAULT_PRICING, estimateCost, type Pricing } from '../model/pricing';
import { addUsage, CostSum, emptyUsage, totalTokens, withTotals, type Usage } from '../model/usage';
import type { ToolCallOutcome, ToolRegistry } from '../tools/registry';
import { ContextManager, type ContextOptions } from '../context/contextManager';
import { LoopDetector, DEFAULT_LOOP_REPEATS } from '../context/loopDetector';
import { Spiller, type SpillOptions } from '../context/spill';
import type { RunJournal } from '../journal/journalRecord';
import type { ReplayState } from '../journal/replayState';
import { StepRecorder, type ConfirmRerun } from '../journal/stepRecorder';
import { StructuredOutputError } from './complete';
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
  /** Prices a call the model client did not price (a bare adapter); the resilient client prices its own. */
  pricing?: Pricing;
  profile?: string;
  /** The skills active in this run; a live source, since the model can load more during the run. */
  skills?: { list(): SkillUse[] };
  /** A fixed list of skills, for callers without a live source. */
  skillsUsed?: readonly SkillUse[];
  maxOutputTokens?: number;
  now?: () => Date;
  /** Journal every step before acting on it, so the run can be resumed (core/journal). */
  journal?: RunJournal;
  /** The caller's settings stored in the start record, for whoever resumes the run (no secrets). */
  resumeConfig?: Record<string, unknown>;
  /**
   * Continue a journaled run: its run id, task and history come from the journal; completed model
   * calls and tool results are replayed from it without calling the model or re-running tools.
   */
  replay?: ReplayState;
  /** On resume, asked about an interrupted write or command; without it such a call is not re-run. */
  confirmRerun?: ConfirmRerun;
  /**
   * On resume, tools whose journaled calls run again to rebuild in-memory state that the journal does
   * not hold (edit proposals kept until review). What the model sees still comes from the journal.
   */
  rebuildOnReplay?: (call: ToolCall) => boolean;
  /** Context window, meter and compaction. */
  context?: ContextOptions;
  /** Cut large tool results to head and tail, the full text in a spill file in the workspace. */
  spill?: SpillOptions;
  /** Stop after this many identical tool calls with identical results (default 3; 0 turns it off). */
  loopRepeats?: number;
  /** Ask the adapter to mark the stable prefix for prompt caching (Anthropic cache breakpoints). */
  cache?: boolean;
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
  const start = opts.replay?.start;
  const runId = start?.runId ?? opts.runId ?? randomUUID();
  const task = start?.task ?? opts.task;
  const limits: RunLimits = start?.limits ?? { ...DEFAULT_LIMITS, ...opts.limits };
  const pricing = opts.pricing ?? DEFAULT_PRICING;
  const signal = opts.signal ?? new AbortController().signal;
  const events = new EventEmitter(runId, opts.sinks ?? [], opts.now);
  const skillsUsed = (): SkillUse[] => opts.skills?.list() ?? [...(opts.skillsUsed ?? [])];

  const recorder = new StepRecorder(opts.journal, opts.replay, opts.confirmRerun);
  const context = new ContextManager(opts.context ?? {}, opts.model, opts.system, opts.tools.specs(), pricing);
  const spiller = opts.spill ? new Spiller(opts.spill, runId) : undefined;
  const repeats = opts.loopRepeats ?? DEFAULT_LOOP_REPEATS;
  const loops = repeats > 0 ? new LoopDetector(repeats) : undefined;

  let messages: Message[] = [...(start?.history ?? opts.history ?? []), { role: 'user', content: task }];
  const filesChanged = new Set<string>();
  const commandsRun: string[] = [];
  let usage: Usage = emptyUsage();
  const cost = new CostSum();
  let output = '';
  let turns = 0;
  let toolCalls = 0;
  const calls = { attempts: 0, model: opts.model.model };

  const result = (status: RunStatus, error?: string): RunResult => ({
    status,
    output,
    filesChanged: [...filesChanged].sort(),
    commandsRun: [...commandsRun],
    skillsUsed: skillsUsed(),
    usage: withTotals(usage, cost.usd, cost.unknown),
    model: calls.model,
    attempts: calls.attempts,
    ...(error !== undefined ? { error } : {}),
  });

  const started = {
    task,
    model: opts.model.model,
    protocol: opts.model.protocol,
    profile: opts.profile ?? 'coder',
    limits,
    tools: opts.tools.list().map((t) => t.name),
    skills: skillsUsed(),
  };
  events.emit({ type: 'run_started', ...started });
  const finish = (res: RunResult): RunResult => {
    recorder.end(res);
    return res;
  };

  try {
    recorder.start({ ...started, runId, system: opts.system, history: [...(opts.history ?? [])], resume: opts.resumeConfig ?? {} });
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (turns >= limits.maxTurns) throw new StopRun('max_turns', `reached the limit of ${limits.maxTurns} model turns`);
      if (context.needsCompaction(messages)) {
        const cstep = `${runId}:c${turns}`;
        const recorded = recorder.recordedCompaction(cstep);
        const done = await context.compact({ messages, task, filesChanged: [...filesChanged], commandsRun, recorded, signal }).catch((e: unknown) => {
          if (signal.aborted || (isModelError(e) && e.kind === 'cancelled')) throw e;
          // A summary that came back malformed was still paid for.
          if (e instanceof StructuredOutputError) {
            const { totalTokens: _t, costUsd: _c, costUnknown: _u, ...spent } = e.usage;
            usage = addUsage(usage, spent);
            cost.addTotals(e.usage);
          }
          context.compactionFailed(messages, e);
          return undefined;
        });
        if (done) {
          if (!recorded) recorder.compaction(cstep, done.summary, done.usage, done.costUsd);
          usage = addUsage(usage, done.usage);
          cost.addTotals({ costUsd: done.costUsd, costUnknown: done.costUnknown });
          const { messages: compacted, ...info } = done;
          events.emit({ type: 'context_compacted', step: cstep, messagesBefore: messages.length, messagesAfter: compacted.length, contextWindow: context.window, ...info, runUsage: usage, runCostUsd: cost.usd, ...(recorded ? { replayed: true } : {}) });
          messages = compacted;
        }
      }
      const step = `${runId}:m${turns}`;
      const recorded = recorder.recordedModelCall(step);
      const replayed = recorded ? { replayed: true } : {};
      events.emit({ type: 'model_call_started', step, turn: turns, messageCount: messages.length, ...replayed });
      const t0 = performance.now();
      let response: ModelResponse;
      let callCost: number | null;
      if (recorded) {
        // Paid for in an earlier session: replayed from the journal, with zero calls to the gateway.
        response = recorded.response;
        callCost = recorded.response.costUsd === null ? null : recorded.costUsd;
        calls.attempts += recorded.attempts;
        calls.model = response.model;
      } else {
        const before = calls.attempts;
        response = await streamTurn(opts, messages, step, events, signal, calls);
        // The resilient client prices the call it made; a bare adapter's call is priced here.
        callCost = response.costUsd !== undefined ? response.costUsd : (estimateCost(response.model, response.usage, pricing) ?? null);
        // Journaled with its price (null: unknown), so a resumed run reports the same cost.
        recorder.modelCall(step, { ...response, costUsd: callCost }, callCost ?? 0, calls.attempts - before);
      }
      turns++;

      usage = addUsage(usage, response.usage);
      cost.add(callCost);
      const assistant: AssistantMessage = response.message;
      messages.push(assistant);
      context.observe(response.usage, messages.length);
      if (assistant.text) output = assistant.text;
      events.emit({
        type: 'model_call_finished',
        step,
        message: assistant,
        stopReason: response.stopReason,
        model: response.model,
        latencyMs: performance.now() - t0,
        ...replayed,
      });
      events.emit({
        type: 'usage',
        step,
        model: response.model,
        usage: response.usage,
        costUsd: callCost ?? 0,
        ...(callCost === null ? { costKnown: false } : {}),
        runUsage: usage,
        runCostUsd: cost.usd,
        ...(cost.unknown ? { runCostUnknown: true } : {}),
        contextTokens: context.tokens(messages),
        contextWindow: context.window,
        ...replayed,
      });

      if (assistant.toolCalls.length === 0) {
        const status: RunStatus = 'completed';
        const res = finish(result(status));
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
        const plan = await recorder.beforeTool(step, call, opts.tools.get(call.name)?.kind);
        const fromJournal = plan.action === 'replay' ? { replayed: true } : {};
        events.emit({ type: 'tool_call_started', step, callId: call.id, name: call.name, arguments: call.arguments, ...fromJournal });
        const t1 = performance.now();
        let out: ToolCallOutcome;
        if (plan.action === 'run') {
          out = await opts.tools.call(call.name, call.arguments, { runId, callId: call.id, signal });
          if (spiller) out = { ...out, content: await spiller.apply(call, out.content) };
        } else {
          out = plan.outcome;
          if (plan.action === 'replay' && opts.rebuildOnReplay?.(call)) await opts.tools.call(call.name, call.arguments, { runId, callId: call.id, signal });
        }
        if (plan.action !== 'replay') recorder.toolResult(step, call, out);
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
          durationMs: performance.now() - t1,
          filesChanged: out.filesChanged ?? [],
          commandsRun: out.commandsRun ?? [],
          ...fromJournal,
        });
        const loop = loops?.observe(call.name, call.arguments, out.content, out.isError);
        if (loop) {
          answerUnrun(messages, assistant, 'not run: the run was stopped because it was repeating itself');
          throw new StopRun('loop_detected', loop);
        }
      }
    }
  } catch (e) {
    if (e instanceof StopRun) {
      const res = finish(result(e.status, e.reason));
      events.emit({ type: 'run_finished', result: res });
      return res;
    }
    // Budgets are checked by the model client before each call, so this stop is always between steps.
    if (isBudgetExceededError(e)) {
      const res = finish(result('budget_exceeded', e.message));
      events.emit({ type: 'run_finished', result: res });
      return res;
    }
    if (signal.aborted || (isModelError(e) && e.kind === 'cancelled')) {
      const res = finish(result('cancelled', 'cancelled'));
      events.emit({ type: 'run_cancelled', result: res });
      return res;
    }
    const kind = isModelError(e) ? e.kind : 'internal';
    const message = e instanceof Error ? e.message : String(e);
    const res = finish(result('failed', message));
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
    { system: opts.system, messages, tools: opts.tools.specs(), maxOutputTokens: opts.maxOutputTokens, ...(opts.cache ? { cache: true } : {}) },
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
