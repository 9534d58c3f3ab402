import type { Message, ToolCall } from '../model/messages';
import type { ModelClient, ModelResponse } from '../model/modelClient';
import { estimateCost, type Pricing } from '../model/pricing';
import type { StepRecorder } from '../journal/stepRecorder';
import type { ToolCallOutcome, ToolRegistry } from '../tools/registry';
import type { Spiller } from '../context/spill';
import type { EventEmitter } from './events';

/**
 * Where a step's result comes from, live or recorded, behind one call each: a resumed run replays
 * from the journal what an earlier session already paid for or did, and the loop never knows which.
 */
export interface ModelCallResult {
  response: ModelResponse;
  /** null: the model's price is unknown. */
  cost: number | null;
  replayed: boolean;
}

export interface ModelSourceDeps {
  model: ModelClient;
  system: string;
  tools: ToolRegistry;
  maxOutputTokens?: number;
  cache?: boolean;
  pricing: Pricing;
  recorder: StepRecorder;
  events: EventEmitter;
  signal: AbortSignal;
  calls: { attempts: number; model: string };
}

export async function modelCall(d: ModelSourceDeps, step: string, messages: readonly Message[]): Promise<ModelCallResult> {
  const recorded = d.recorder.recordedModelCall(step);
  if (recorded) {
    // Paid for in an earlier session: replayed from the journal, with zero calls to the gateway.
    d.calls.attempts += recorded.attempts;
    d.calls.model = recorded.response.model;
    return { response: recorded.response, cost: recorded.response.costUsd === null ? null : recorded.costUsd, replayed: true };
  }
  const before = d.calls.attempts;
  const response = await streamTurn(d, step, messages);
  // The resilient client prices the call it made; a bare adapter's call is priced here.
  const cost = response.costUsd !== undefined ? response.costUsd : (estimateCost(response.model, response.usage, d.pricing) ?? null);
  // Journaled with its price (null: unknown), so a resumed run reports the same cost.
  d.recorder.modelCall(step, { ...response, costUsd: cost }, cost ?? 0, d.calls.attempts - before);
  return { response, cost, replayed: false };
}

async function streamTurn(d: ModelSourceDeps, step: string, messages: readonly Message[]): Promise<ModelResponse> {
  let response: ModelResponse | undefined;
  d.calls.attempts++;
  const stream = d.model.stream({ system: d.system, messages, tools: d.tools.specs(), maxOutputTokens: d.maxOutputTokens, ...(d.cache ? { cache: true } : {}) }, d.signal);
  for await (const ev of stream) {
    if (ev.type === 'text_delta') d.events.emit({ type: 'text_delta', step, text: ev.text });
    else if (ev.type === 'tool_call') d.events.emit({ type: 'tool_call_proposed', step, call: ev.call });
    else if (ev.type === 'retry') {
      d.calls.attempts++;
      d.events.emit({ type: 'model_call_retried', step, attempt: ev.attempt, reason: ev.reason, delayMs: ev.delayMs, model: ev.model });
    } else {
      response = ev.response;
      d.calls.model = ev.response.model;
    }
  }
  if (!response) throw new Error('model stream ended without a response');
  return response;
}

export interface ToolSourceDeps {
  runId: string;
  tools: ToolRegistry;
  recorder: StepRecorder;
  spiller?: Spiller;
  signal: AbortSignal;
  /** On resume, tools whose journaled calls run again to rebuild in-memory state. */
  rebuildOnReplay?: (call: ToolCall) => boolean;
}

/** A tool call's outcome: run now (and journaled), or replayed from the journal, or not re-run as the journal says. */
export async function toolCall(d: ToolSourceDeps, step: string, call: ToolCall, onStart: (replayed: boolean) => void): Promise<{ outcome: ToolCallOutcome; replayed: boolean }> {
  const plan = await d.recorder.beforeTool(step, call, d.tools.get(call.name)?.kind);
  const replayed = plan.action === 'replay';
  onStart(replayed);
  let outcome: ToolCallOutcome;
  if (plan.action === 'run') {
    outcome = await d.tools.call(call.name, call.arguments, { runId: d.runId, callId: call.id, signal: d.signal });
    if (d.spiller) outcome = { ...outcome, content: await d.spiller.apply(call, outcome.content) };
  } else {
    outcome = plan.outcome;
    if (replayed && d.rebuildOnReplay?.(call)) await d.tools.call(call.name, call.arguments, { runId: d.runId, callId: call.id, signal: d.signal });
  }
  if (!replayed) d.recorder.toolResult(step, call, outcome);
  return { outcome, replayed };
}
