import protobuf from 'protobufjs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OtlpTraceExporter, otlpExporterFromEnv, parseOtlpHeaders, runSpanId, toSpan, traceIdFor } from '../../../../src/adapters/trace/otlpExporter';
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
const run: TraceRecord = { ...model, 'agent.step.type': 'run', 'agent.step.name': 'run coder', 'agent.step.id': undefined, latency_ms: 9000, 'agent.kind': 'eval', 'agent.tags': { suite: 'demo', case: 'fix-add' } };

const attr = (span: ReturnType<typeof toSpan>, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('toSpan (GenAI semantic conventions)', () => {
  it('maps a model call to a chat client span under its run', () => {
    const s = toSpan(model);
    expect(s.name).toBe('chat claude-sonnet-4-5');
    expect(s.kind).toBe(3);
    expect(s.traceId).toBe(traceIdFor('run_abc123'));
    expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(s.parentSpanId).toBe(runSpanId('run_abc123'));
    expect(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)).toBe(2_200_000_000n);
    expect(attr(s, 'gen_ai.operation.name')).toEqual({ stringValue: 'chat' });
    expect(attr(s, 'gen_ai.provider.name')).toEqual({ stringValue: 'anthropic' });
    expect(attr(s, 'gen_ai.request.model')).toEqual({ stringValue: 'claude-sonnet-4-5' });
    expect(attr(s, 'gen_ai.response.model')).toEqual({ stringValue: 'claude-sonnet-4-5-20250929' });
    // The convention's input tokens include the cached ones; ours keeps them apart.
    expect(attr(s, 'gen_ai.usage.input_tokens')).toEqual({ intValue: '2842' });
    expect(attr(s, 'gen_ai.usage.output_tokens')).toEqual({ intValue: '391' });
    expect(attr(s, 'gen_ai.usage.cache_read.input_tokens')).toEqual({ intValue: '1000' });
    expect(attr(s, 'gen_ai.agent.name')).toEqual({ stringValue: 'coder' });
    expect(attr(s, 'agent_harness.cost_usd')).toEqual({ doubleValue: 0.0142 });
    expect(s.status).toEqual({ code: 1 });
    // No second, non-convention name for what a convention attribute says.
    const keys = s.attributes.map((a) => a.key);
    for (const k of keys) expect(k, k).toMatch(/^(gen_ai|agent_harness|error)\./);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('maps the run to the invoke_agent span every step hangs under, with its labels', () => {
    const s = toSpan(run);
    expect(s.name).toBe('invoke_agent coder');
    expect(s.kind).toBe(1);
    expect(s.spanId).toBe(runSpanId('run_abc123'));
    expect(s.parentSpanId).toBeUndefined();
    expect(attr(s, 'gen_ai.operation.name')).toEqual({ stringValue: 'invoke_agent' });
    expect(attr(s, 'agent_harness.kind')).toEqual({ stringValue: 'eval' });
    expect(attr(s, 'agent_harness.tag.case')).toEqual({ stringValue: 'fix-add' });
  });

  it('maps a failed tool call to an execute_tool span with an error status', () => {
    const s = toSpan({ ...model, 'agent.step.type': 'tool_call', 'agent.step.name': 'write_file', tool: 'write_file', model: undefined, outcome: 'error', error: 'no such file' });
    expect(s.name).toBe('execute_tool write_file');
    expect(attr(s, 'gen_ai.tool.name')).toEqual({ stringValue: 'write_file' });
    expect(attr(s, 'error.type')).toEqual({ stringValue: 'error' });
    expect(s.status).toEqual({ code: 2, message: 'no such file' });
  });
});

/** The official OTLP message definitions (opentelemetry-proto), the part a trace export uses. */
const OTLP_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
  enum SpanKind { SPAN_KIND_UNSPECIFIED = 0; SPAN_KIND_INTERNAL = 1; SPAN_KIND_SERVER = 2; SPAN_KIND_CLIENT = 3; }
  SpanKind kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10; Status status = 15; fixed32 flags = 16;
}
message Status { string message = 2; enum StatusCode { STATUS_CODE_UNSET = 0; STATUS_CODE_OK = 1; STATUS_CODE_ERROR = 2; } StatusCode code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; bytes bytes_value = 7; } }
`;
const ExportRequest = protobuf.parse(OTLP_PROTO).root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

function capture(status = 200) {
  const posts: Array<{ url: string; headers: Record<string, string>; body: Uint8Array | string }> = [];
  const fake = (async (url: string, init: RequestInit) => {
    posts.push({ url, headers: init.headers as Record<string, string>, body: init.body as Uint8Array | string });
    return new Response('', { status });
  }) as unknown as typeof fetch;
  return { posts, fake };
}

describe('OtlpTraceExporter', () => {
  it('sends OTLP/protobuf by default, which the official message definitions decode', async () => {
    const { posts, fake } = capture();
    const ex = new OtlpTraceExporter({ endpoint: 'http://collector:4318/', headers: { 'x-honeycomb-team': 't' }, fetch: fake, batchMs: 60_000, serviceVersion: '1.2.3', resourceAttributes: { 'deployment.environment': 'ci' } });
    ex.write(model);
    ex.write({ ...model, 'agent.step.type': 'tool_call', tool: 'grep', 'agent.step.name': 'grep', outcome: 'error', error: 'bad pattern' });
    ex.write(run);
    await ex.flush();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe('http://collector:4318/v1/traces');
    expect(posts[0]!.headers['content-type']).toBe('application/x-protobuf');
    expect(posts[0]!.headers['x-honeycomb-team']).toBe('t');
    const msg = ExportRequest.toObject(ExportRequest.decode(posts[0]!.body as Uint8Array), { longs: String, bytes: String, enums: Number }) as {
      resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> }; scopeSpans: Array<{ scope: { name: string; version: string }; spans: Array<Record<string, unknown>> }> }>;
    };
    const rs = msg.resourceSpans[0]!;
    expect(rs.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'agent-harness' } },
      { key: 'service.version', value: { stringValue: '1.2.3' } },
      { key: 'deployment.environment', value: { stringValue: 'ci' } },
    ]);
    expect(rs.scopeSpans[0]!.scope).toEqual({ name: 'agent-harness', version: '1.2.3' });
    const [chat, tool, agent] = rs.scopeSpans[0]!.spans as Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; startTimeUnixNano: string; endTimeUnixNano: string; attributes: Array<{ key: string; value: Record<string, unknown> }>; status: { code?: number; message?: string } }>;
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    expect(chat!.traceId).toBe(b64(traceIdFor('run_abc123')));
    expect(chat!.parentSpanId).toBe(b64(runSpanId('run_abc123')));
    expect(agent!.spanId).toBe(b64(runSpanId('run_abc123')));
    expect(chat!.name).toBe('chat claude-sonnet-4-5');
    expect(chat!.kind).toBe(3);
    expect(BigInt(chat!.endTimeUnixNano) - BigInt(chat!.startTimeUnixNano)).toBe(2_200_000_000n);
    expect(chat!.attributes).toContainEqual({ key: 'gen_ai.usage.input_tokens', value: { intValue: '2842' } });
    expect(chat!.attributes).toContainEqual({ key: 'agent_harness.cost_usd', value: { doubleValue: 0.0142 } });
    expect(chat!.status).toEqual({ code: 1 });
    expect(tool!.status).toEqual({ code: 2, message: 'bad pattern' });
    expect(agent!.name).toBe('invoke_agent coder');
  });

  it('sends OTLP/JSON when asked, gzipped when asked', async () => {
    const { posts, fake } = capture();
    const ex = new OtlpTraceExporter({ endpoint: 'http://c', protocol: 'http/json', compression: 'gzip', fetch: fake, batchMs: 60_000 });
    ex.write(model);
    await ex.flush();
    expect(posts[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const body = JSON.parse(gunzipSync(posts[0]!.body as Uint8Array).toString('utf8'));
    const span = body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span).toMatchObject({ traceId: traceIdFor('run_abc123'), parentSpanId: runSpanId('run_abc123'), name: 'chat claude-sonnet-4-5', startTimeUnixNano: String(Date.parse(model.time) * 1e6) });
  });

  it('reports a failed export once, plainly, and the run goes on', async () => {
    const { fake } = capture(404);
    const said: string[] = [];
    const ex = new OtlpTraceExporter({ endpoint: 'http://collector:4318', fetch: fake, batchMs: 60_000, onError: (m) => said.push(m) });
    for (let i = 0; i < 3; i++) {
      ex.write(model);
      await ex.flush();
    }
    expect(said).toEqual(['traces could not be exported to http://collector:4318/v1/traces (http/protobuf): the OTLP endpoint http://collector:4318/v1/traces answered HTTP 404; the run goes on, further export failures are not reported']);
    const down = new OtlpTraceExporter({ endpoint: 'http://127.0.0.1:1', batchMs: 60_000, onError: (m) => said.push(m) });
    down.write(model);
    await down.flush();
    expect(said[1]).toMatch(/^traces could not be exported to http:\/\/127\.0\.0\.1:1\/v1\/traces \(http\/protobuf\): fetch failed/);
  });

  it('is configured from the standard OTEL_ variables', () => {
    const said: string[] = [];
    const on = (m: string) => said.push(m);
    expect(otlpExporterFromEnv({})).toBeUndefined();
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/traces' })?.url).toBe('http://c/traces');
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })?.protocol).toBe('http/protobuf');
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol).toBe('http/json');
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })?.protocol).toBe('http/protobuf');
    expect(otlpExporterFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })?.url).toBe('http://localhost:4318/v1/traces');
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, undefined, on)).toBeUndefined();
    expect(said).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: traces are sent over OTLP/HTTP only; set it to http/protobuf (usually port 4318) to export them']);
    expect(parseOtlpHeaders('api-key=abc%3D,bad,x=1')).toEqual({ 'api-key': 'abc=', x: '1' });
  });
});
