import { createHash } from 'node:crypto';

export const DEFAULT_LOOP_REPEATS = 3;

/**
 * Stops a run that keeps making the same tool call and getting the same answer: after `repeats`
 * identical (tool, arguments, result) triples nothing new can come of it, and every further turn
 * costs tokens. Arguments are compared as parsed JSON with sorted keys, so key order or whitespace
 * does not hide a repeat. A different result (the file changed, the test output changed) is progress.
 */
export class LoopDetector {
  private readonly seen = new Map<string, number>();

  constructor(private readonly repeats: number = DEFAULT_LOOP_REPEATS) {}

  /** Returns why the run should stop, or undefined. */
  observe(name: string, rawArguments: string, content: string, isError: boolean): string | undefined {
    const key = createHash('sha256').update(name).update('\0').update(canonicalArguments(rawArguments)).update('\0').update(isError ? 'E' : 'O').update(content).digest('hex');
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count < this.repeats) return undefined;
    return `the model called ${name} with the same arguments ${count} times and got the same result each time, so the run was stopped; rephrase the task or give it the missing information`;
  }
}

function canonicalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
