import { z } from 'zod';
import type { Message } from '../model/messages';
import { collectResponse, type ModelClient } from '../model/modelClient';
import { DEFAULT_PRICING, estimateCost, type Pricing } from '../model/pricing';
import { addUsage, CostSum, emptyUsage, withTotals, type Usage, type UsageTotals } from '../model/usage';
import { toJsonSchema } from '../tools/defineTool';

export interface CompleteOptions<S extends z.ZodType> {
  model: ModelClient;
  system: string;
  user: string;
  outputSchema: S;
  /** Name of the structured output (the forced tool name on Anthropic). */
  outputName?: string;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** Prices the call when the model client did not (a bare adapter). */
  pricing?: Pricing;
}

export interface CompleteResult<T> {
  output: T;
  usage: UsageTotals;
  /** Model calls made (1, or 2 when the first answer did not validate). */
  attempts: number;
}

/** The model's answer did not match the schema, even after one retry with the validation error. */
export class StructuredOutputError extends Error {
  constructor(message: string, readonly usage: UsageTotals) {
    super(message);
    this.name = 'StructuredOutputError';
  }
}

/**
 * One schema-agnostic structured call: the caller's zod schema becomes the endpoint's native
 * structured output, and the answer comes back validated. An answer that does not validate is sent
 * back once with the validation error; a second failure is a clear error, never a guess.
 */
export async function complete<S extends z.ZodType>(opts: CompleteOptions<S>): Promise<CompleteResult<z.output<S>>> {
  const pricing = opts.pricing ?? DEFAULT_PRICING;
  const output = { name: opts.outputName ?? 'final_answer', schema: toJsonSchema(opts.outputSchema) };
  const messages: Message[] = [{ role: 'user', content: opts.user }];
  let usage: Usage = emptyUsage();
  const cost = new CostSum();
  let lastProblem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const response = await collectResponse(
      opts.model.stream({ system: opts.system, messages, tools: [], output, maxOutputTokens: opts.maxOutputTokens }, opts.signal),
    );
    usage = addUsage(usage, response.usage);
    cost.add(response.costUsd !== undefined ? response.costUsd : estimateCost(response.model, response.usage, pricing));
    const text = response.message.text;
    const checked = validate(text, opts.outputSchema);
    if (checked.ok) return { output: checked.value, usage: withTotals(usage, cost.usd, cost.unknown), attempts: attempt };
    lastProblem = checked.problem;
    messages.push(
      { role: 'assistant', text, toolCalls: [] },
      { role: 'user', content: `Your answer did not match the required JSON schema: ${checked.problem}\nAnswer again with one JSON object that matches the schema exactly.` },
    );
  }
  throw new StructuredOutputError(`the model's answer did not match the schema after a retry: ${lastProblem}`, withTotals(usage, cost.usd, cost.unknown));
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

function validate<S extends z.ZodType>(text: string, schema: S): Checked<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(stripFence(text));
  } catch (e) {
    return { ok: false, problem: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const res = schema.safeParse(json);
  return res.success ? { ok: true, value: res.data } : { ok: false, problem: z.prettifyError(res.error) };
}

/** Some OpenAI-compatible servers wrap JSON mode answers in a Markdown fence. */
function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return m?.[1] ?? text;
}
