import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { complete, StructuredOutputError } from '../../../../src/core/agent/complete';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';

const Review = z.object({
  summary: z.string(),
  recommendation: z.enum(['approve', 'request_changes', 'comment']),
  comments: z.array(z.object({ path: z.string(), line: z.number().int() })),
});

const valid = { summary: 'fine', recommendation: 'approve', comments: [{ path: 'a.ts', line: 3 }] };

describe('complete', () => {
  it('sends the schema as native structured output and returns a validated instance', async () => {
    const model = new FakeModelClient([{ text: JSON.stringify(valid), usage: { inputTokens: 50, outputTokens: 10 } }]);
    const res = await complete({ model, system: 'review', user: 'diff here', outputSchema: Review });
    expect(res.output).toEqual(valid);
    expect(res.attempts).toBe(1);
    expect(res.usage.totalTokens).toBe(60);
    const req = model.requests[0]!;
    expect(req.output?.name).toBe('final_answer');
    expect(req.output?.schema).toMatchObject({ type: 'object', required: ['summary', 'recommendation', 'comments'] });
    expect(req.tools).toEqual([]);
  });

  it('retries once with the validation error, then succeeds', async () => {
    const model = new FakeModelClient([{ text: JSON.stringify({ summary: 'x', recommendation: 'maybe', comments: [] }) }, { text: JSON.stringify(valid) }]);
    const res = await complete({ model, system: 's', user: 'u', outputSchema: Review });
    expect(res.attempts).toBe(2);
    expect(res.output.recommendation).toBe('approve');
    const retry = model.requests[1]!.messages.at(-1);
    expect(retry?.role).toBe('user');
    expect(retry && 'content' in retry ? retry.content : '').toMatch(/recommendation/);
    expect(res.usage.inputTokens).toBe(20);
  });

  it('fails with a clear error after the retry also fails', async () => {
    const model = new FakeModelClient([{ text: 'not json at all' }, { text: '{"summary": 1}' }]);
    const err = await complete({ model, system: 's', user: 'u', outputSchema: Review }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StructuredOutputError);
    expect((err as Error).message).toMatch(/did not match the schema after a retry/);
    expect((err as StructuredOutputError).usage.inputTokens).toBe(20);
    expect(model.requests).toHaveLength(2);
  });

  it('accepts JSON wrapped in a Markdown fence', async () => {
    const model = new FakeModelClient([{ text: '```json\n' + JSON.stringify(valid) + '\n```' }]);
    expect((await complete({ model, system: 's', user: 'u', outputSchema: Review })).output).toEqual(valid);
  });
});
