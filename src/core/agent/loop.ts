import { randomUUID } from 'node:crypto';
import type { Message, ToolCall } from '../model/messages';
import type { ModelClient } from '../model/modelClient';
import { isModelError } from '../model/errors';
import { isBudgetExceededError } from '../model/budgets';
import { DEFAULT_PRICING, type Pricing } from '../model/pricing';
import type { ToolRegistry } from '../tools/registry';
import { ContextManager, type ContextOptions } from '../context/contextManager';
import { LoopDetector, DEFAULT_LOOP_REPEATS } from '../context/loopDetector';
import { Spiller, type SpillOptions } from '../context/spill';
import type { RunJournal } from '../journal/journalRecord';
import type { ReplayState } from '../journal/replayState';
import { StepRecorder, type ConfirmRerun } from '../journal/stepRecorder';
import { EventEmitter, type EventSink } from './events';
import { DEFAULT_LIMITS, type RunLimits } from './limits';
import type { RunResult, RunStatus, SkillUse } from './runResult';
import { RunState, StopRun } from './runState';
import { compactIfNeeded, modelTurn, runToolCalls, type RunEnv } from './steps';

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

/**
 * The agent loop as a graph of small steps: compact the context if it is full, one model turn, its
 * tool calls, repeat, until the model ends its turn, a limit or a budget stops it, the signal aborts,
 * or a call fails. Live and journaled results come from one source (stepSources.ts), so a resumed run
 * takes the same path; `end` journals and emits the run's one terminal event.
 */
export async function runAgent(opts: RunOptions): Promise<RunResult> {
  const start = opts.replay?.start;
  const runId = start?.runId ?? opts.runId ?? randomUUID();
  const task = start?.task ?? opts.task;
  const limits: RunLimits = start?.limits ?? { ...DEFAULT_LIMITS, ...opts.limits };
  const signal = opts.signal ?? new AbortController().signal;
  const events = new EventEmitter(runId, opts.sinks ?? [], opts.now);
  const skillsUsed = (): SkillUse[] => opts.skills?.list() ?? [...(opts.skillsUsed ?? [])];
  const state = new RunState(start?.history ?? opts.history ?? [], task, opts.model.model);
  const env = runEnv(opts, { runId, task, limits, signal, events, state });

  const started = { task, model: opts.model.model, protocol: opts.model.protocol, profile: opts.profile ?? 'coder', limits, tools: opts.tools.list().map((t) => t.name), skills: skillsUsed() };
  events.emit({ type: 'run_started', ...started });
  const end = (status: RunStatus, error?: string, failure?: { kind: string; message: string }): RunResult => {
    const res = state.result(status, skillsUsed(), error);
    env.recorder.end(res);
    if (status === 'cancelled') events.emit({ type: 'run_cancelled', result: res });
    else if (failure) events.emit({ type: 'run_failed', errorKind: failure.kind, message: failure.message, result: res });
    else events.emit({ type: 'run_finished', result: res });
    return res;
  };

  try {
    env.recorder.start({ ...started, runId, system: opts.system, history: [...(opts.history ?? [])], resume: opts.resumeConfig ?? {} });
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (state.turns >= limits.maxTurns) throw new StopRun('max_turns', `reached the limit of ${limits.maxTurns} model turns`);
      await compactIfNeeded(env, state);
      const { assistant, step } = await modelTurn(env, state);
      if (assistant.toolCalls.length === 0) return end('completed');
      await runToolCalls(env, state, assistant, step);
    }
  } catch (e) {
    if (e instanceof StopRun) return end(e.status, e.reason);
    // Budgets are checked by the model client before each call, so this stop is always between steps.
    if (isBudgetExceededError(e)) return end('budget_exceeded', e.message);
    if (signal.aborted || (isModelError(e) && e.kind === 'cancelled')) return end('cancelled', 'cancelled');
    const message = e instanceof Error ? e.message : String(e);
    return end('failed', message, { kind: isModelError(e) ? e.kind : 'internal', message });
  }
}

/** The run's environment: its journal recorder, context manager, loop detector and step sources. */
function runEnv(opts: RunOptions, r: { runId: string; task: string; limits: RunLimits; signal: AbortSignal; events: EventEmitter; state: RunState }): RunEnv {
  const pricing: Pricing = opts.pricing ?? DEFAULT_PRICING;
  const recorder = new StepRecorder(opts.journal, opts.replay, opts.confirmRerun);
  const repeats = opts.loopRepeats ?? DEFAULT_LOOP_REPEATS;
  return {
    runId: r.runId,
    task: r.task,
    limits: r.limits,
    events: r.events,
    recorder,
    signal: r.signal,
    context: new ContextManager(opts.context ?? {}, opts.model, opts.system, opts.tools.specs(), pricing),
    ...(repeats > 0 ? { loops: new LoopDetector(repeats) } : {}),
    model: { model: opts.model, system: opts.system, tools: opts.tools, maxOutputTokens: opts.maxOutputTokens, cache: opts.cache, pricing, recorder, events: r.events, signal: r.signal, calls: r.state.calls },
    tools: { runId: r.runId, tools: opts.tools, recorder, signal: r.signal, ...(opts.spill ? { spiller: new Spiller(opts.spill, r.runId) } : {}), ...(opts.rebuildOnReplay ? { rebuildOnReplay: opts.rebuildOnReplay } : {}) },
  };
}
