import type { AnyTool, Tool, ToolContext, ToolOutput } from '../tools/defineTool';
import { ToolError } from '../tools/defineTool';
import { collectResponse, type ModelClient, type ModelRequest, type ModelResponse, type ModelStreamEvent } from '../model/modelClient';
import { ModelError, isModelError, type ModelErrorKind } from '../model/errors';
import { BudgetExceededError, isBudgetExceededError, type BudgetName } from '../model/budgets';

/**
 * The port through which a durable-execution engine records a run's steps (team mode's DBOS
 * workflow). `step` runs `fn` once and records what it returned; when the run is recovered (on this
 * or another machine) the same step, reached in the same order, returns the recorded value without
 * running `fn`, and says so with `replayed`. Values must be plain JSON.
 */
export interface DurableSteps {
  step<T>(name: string, fn: () => Promise<T>): Promise<{ value: T; replayed: boolean }>;
}

/** A step's outcome as data: an engine records values, so a failure is returned, not thrown, and rethrown outside. */
type Recorded<T> = { ok: true; value: T } | { ok: false; error: RecordedError };
type RecordedError =
  | { type: 'budget'; message: string; budget: BudgetName; limit: number; used: number }
  | { type: 'model'; message: string; kind: ModelErrorKind; status?: number }
  | { type: 'tool' | 'other'; message: string };

function toRecord(e: unknown): RecordedError {
  if (isBudgetExceededError(e)) return { type: 'budget', message: e.message, budget: e.budget, limit: e.limit, used: e.used };
  if (isModelError(e)) return { type: 'model', message: e.message, kind: e.kind, ...(e.status !== undefined ? { status: e.status } : {}) };
  if (e instanceof ToolError) return { type: 'tool', message: e.message };
  return { type: 'other', message: e instanceof Error ? e.message : String(e) };
}

function rethrow(e: RecordedError): never {
  if (e.type === 'budget') throw new BudgetExceededError(e.budget, e.limit, e.used, e.message);
  if (e.type === 'model') throw new ModelError({ kind: e.kind, message: e.message, ...(e.status !== undefined ? { status: e.status } : {}) });
  if (e.type === 'tool') throw new ToolError(e.message);
  throw new Error(e.message);
}

/** A cancellation is not an outcome of the step: it propagates and the step is not recorded. */
function isCancellation(e: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (isModelError(e) && e.kind === 'cancelled');
}

/**
 * Every model call is one recorded step: a recovered run never pays for a call again. The stream is
 * collected inside the step and replayed to the loop as a stream (text, tool calls, the response).
 */
export function durableModel(model: ModelClient, steps: DurableSteps): ModelClient {
  return {
    protocol: model.protocol,
    model: model.model,
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
      const { value } = await steps.step<Recorded<ModelResponse>>('model', async () => {
        try {
          return { ok: true, value: await collectResponse(model.stream(request, signal)) };
        } catch (e) {
          if (isCancellation(e, signal)) throw e;
          return { ok: false, error: toRecord(e) };
        }
      });
      if (!value.ok) rethrow(value.error);
      const response = value.value;
      if (response.message.text) yield { type: 'text_delta', text: response.message.text };
      for (const call of response.message.toolCalls) yield { type: 'tool_call', call };
      yield { type: 'response', response };
    },
  };
}

export interface EffectHooks<S> {
  /** Runs inside the step after the tool, even when it failed; its value is recorded with the outcome. */
  afterEffect(): Promise<S>;
  /** Gets the recorded value back when the step is replayed instead of run. */
  onReplay(state: S): Promise<void>;
}

type ToolStepValue<S> = { out: ToolOutput | string; state: S } | { error: RecordedError; state: S };

/**
 * A tool with effects (writes, commands, external calls) runs as one recorded step, so a recovered
 * run never repeats a completed command. Team mode records the workspace's state with each effect
 * (`afterEffect`) and restores it when the step is replayed on a fresh checkout (`onReplay`). Read
 * tools and questions to a person are not steps: they have no effect to repeat.
 */
export function durableTool<S>(tool: AnyTool, steps: DurableSteps, hooks: EffectHooks<S>): AnyTool {
  if (tool.kind === 'read' || tool.kind === 'interaction') return tool;
  const run = async (args: unknown, ctx: ToolContext): Promise<ToolOutput | string> => {
    const { value, replayed } = await steps.step<ToolStepValue<S>>(`tool:${tool.name}`, async () => {
      try {
        const out = await tool.run(args as never, ctx);
        return { out, state: await hooks.afterEffect() };
      } catch (e) {
        if (isCancellation(e, ctx.signal)) throw e;
        return { error: toRecord(e), state: await hooks.afterEffect() };
      }
    });
    if (replayed) await hooks.onReplay(value.state);
    if ('error' in value) rethrow(value.error);
    return value.out;
  };
  const wrapped: Tool = { ...tool, run };
  return wrapped;
}
