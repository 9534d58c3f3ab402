import { describe, expect, it } from 'vitest';
import { OtlpTraceExporter, otlpExporterFromEnv, parseOtlpHeaders, toSpan, traceIdFor } from '../../../../src/adapters/trace/otlpExporter';
import type { TraceRecord } from '../../../../src/core/trace/traceRecord';

const model: TraceRecord = {
  time: '2026-11-21T10:00:00.000Z',
  'agent.run_id': 'run_abc123',
  'agent.name': 'coder',
  'agent.step.id': 'run_abc123:m0',
  'agent.step.type': 'model_call',
  'agent.step.name': 'chat claude-sonnet-4-5-20250929',
  model: 'claude-sonnet-4-5-20250929',
  'model.requested': 'claude-sonnet-4-5',
  provider: 'anthropic',
  'tokens.input': 1842,
  'tokens.output': 391,
  'tokens.cache_read': 1000,
  'tokens.cache_write': 0,
  latency_ms: 2200,
  cost_usd: 0.0142,
  outcome: 'ok',
};

const attr = (span: ReturnType<typeof toSpan>, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('toSpan', () => {
  it('maps a model call to a GenAI chat client span', () => {
    const s = toSpan(model);
    expect(s.name).toBe('chat claude-sonnet-4-5');
    expect(s.kind).toBe(3);
    expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(s.traceId).toBe(traceIdFor('run_abc123'));
    expect(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)).toBe(2_200_000_000n);
    expect(s.startTimeUnixNano).toBe(String(Date.parse(model.time) * 1e6));
    expect(attr(s, 'gen_ai.operation.name')).toEqual({ stringValue: 'chat' });
    expect(attr(s, 'gen_ai.provider.name')).toEqual({ stringValue: 'anthropic' });
    expect(attr(s, 'gen_ai.request.model')).toEqual({ stringValue: 'claude-sonnet-4-5' });
    expect(attr(s, 'gen_ai.response.model')).toEqual({ stringValue: 'claude-sonnet-4-5-20250929' });
    // The convention's input tokens include the cached ones; ours keeps them apart.
    expect(attr(s, 'gen_ai.usage.input_tokens')).toEqual({ intValue: '2842' });
    expect(attr(s, 'gen_ai.usage.output_tokens')).toEqual({ intValue: '391' });
    expect(attr(s, 'cost_usd')).toEqual({ doubleValue: 0.0142 });
    expect(attr(s, 'agent.run_id')).toEqual({ stringValue: 'run_abc123' });
    expect(s.status).toEqual({ code: 1 });
  });

  it('maps a failed tool call to an execute_tool span with an error status', () => {
    const s = toSpan({ ...model, 'agent.step.type': 'tool_call', 'agent.step.name': 'write_file', tool: 'write_file', model: undefined, outcome: 'error', error: 'no such file' });
    expect(s.name).toBe('execute_tool write_file');
    expect(attr(s, 'gen_ai.tool.name')).toEqual({ stringValue: 'write_file' });
    expect(attr(s, 'error.type')).toEqual({ stringValue: 'error' });
    expect(s.status).toEqual({ code: 2, message: 'no such file' });
  });
});

describe('OtlpTraceExporter', () => {
  it('batches spans into one OTLP/JSON POST on flush and survives a failing endpoint', async () => {
    const posts: Array<{ url: string; init: RequestInit }> = [];
    const fake = (async (url: string, init: RequestInit) => {
      posts.push({ url, init });
      return new Response('{}', { status: posts.length === 1 ? 200 : 503 });
    }) as unknown as typeof fetch;
    const ex = new OtlpTraceExporter({ endpoint: 'http://collector:4318/', headers: { 'x-honeycomb-team': 't' }, fetch: fake, batchMs: 60_000 });
    ex.write(model);
    ex.write({ ...model, 'agent.step.id': 'run_abc123:m1' });
    await ex.flush();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe('http://collector:4318/v1/traces');
    expect((posts[0]!.init.headers as Record<string, string>)['x-honeycomb-team']).toBe('t');
    const body = JSON.parse(String(posts[0]!.init.body));
    expect(body.resourceSpans[0].resource.attributes[0]).toEqual({ key: 'service.name', value: { stringValue: 'agent-harness' } });
    expect(body.resourceSpans[0].scopeSpans[0].spans).toHaveLength(2);
    ex.write(model);
    await ex.flush();
    expect(String(ex.lastError)).toContain('HTTP 503');
  });

  it('is configured from the standard OTEL_ variables, and absent without an endpoint', () => {
    expect(otlpExporterFromEnv({})).toBeUndefined();
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/traces' })).toBeInstanceOf(OtlpTraceExporter);
    expect(parseOtlpHeaders('api-key=abc%3D,bad,x=1')).toEqual({ 'api-key': 'abc=', x: '1' });
  });
});
