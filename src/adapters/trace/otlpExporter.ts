import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { TraceRecord } from '../../core/trace/traceRecord';
import { encodeExportRequest, type AttrValue, type KeyValue, type SpanMessage } from './otlpProtobuf';

const gzip = promisify(gzipCb);

/**
 * Exports trace records as OpenTelemetry spans over OTLP/HTTP, protobuf (the standard's default) or
 * JSON, following the GenAI semantic conventions: one `invoke_agent {agent}` span per run, the parent
 * of its `chat {model}` client spans and `execute_tool {tool}` spans, with `gen_ai.*` attributes and
 * the product's own under `agent_harness.*` (never a second name for a convention attribute).
 *
 * Hand-rolled rather than the OpenTelemetry SDK: the product only ever sends finished spans in
 * batches, which is one message and one POST, while the SDK with its OTLP exporters would add
 * protobufjs, a context manager and several packages to an extension bundle that must stay under
 * 1 MiB. The standard `OTEL_*` environment variables configure it (see `otlpExporterFromEnv`).
 *
 * Every span of a run shares one trace id, derived from the run id; the run span's id is derived too,
 * so steps written before the run ends can name their parent. Records arrive already redacted. An
 * export failure never reaches the run: it is reported once through `onError`, plainly.
 */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpExporterOptions {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` (a base: `/v1/traces` is appended). */
  endpoint: string;
  /** A full traces URL, used as is (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). */
  tracesEndpoint?: string;
  protocol?: OtlpProtocol;
  compression?: 'gzip' | 'none';
  timeoutMs?: number;
  headers?: Record<string, string>;
  serviceName?: string;
  serviceVersion?: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Record<string, string>;
  /** How long spans gather before one POST. */
  batchMs?: number;
  fetch?: typeof fetch;
  /** Told once, the first time an export fails (the run goes on). */
  onError?: (message: string) => void;
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

export class OtlpTraceExporter {
  private spans: SpanMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private reported = false;
  readonly url: string;
  readonly protocol: OtlpProtocol;
  lastError: unknown;

  constructor(private readonly opts: OtlpExporterOptions) {
    this.url = opts.tracesEndpoint ?? `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
    this.protocol = opts.protocol ?? 'http/protobuf';
  }

  /** Use as a trace writer (next to the JSON-lines one). */
  readonly write = (record: TraceRecord): void => {
    this.spans.push(toSpan(record));
    this.timer ??= setTimeout(() => this.send(), this.opts.batchMs ?? 1_000);
  };

  /** Sends what is queued and waits for it. */
  async flush(): Promise<void> {
    if (this.spans.length > 0) this.send();
    await this.sending;
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.spans;
    this.spans = [];
    if (batch.length === 0) return;
    const doFetch = this.opts.fetch ?? fetch;
    this.sending = this.sending.then(async () => {
      try {
        const request = this.request(batch);
        let body: Uint8Array | string = this.protocol === 'http/protobuf' ? encodeExportRequest(request) : JSON.stringify(jsonEnvelope(request));
        const headers: Record<string, string> = { 'content-type': this.protocol === 'http/protobuf' ? 'application/x-protobuf' : 'application/json', ...this.opts.headers };
        if (this.opts.compression === 'gzip') {
          body = new Uint8Array(await gzip(body));
          headers['content-encoding'] = 'gzip';
        }
        const res = await doFetch(this.url, { method: 'POST', headers, body: body as BodyInit, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
        await res.body?.cancel();
        if (!res.ok) this.fail(new Error(`the OTLP endpoint ${this.url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`));
      } catch (e) {
        this.fail(e);
      }
    });
  }

  private fail(e: unknown): void {
    this.lastError = e;
    if (this.reported) return;
    this.reported = true;
    const why = e instanceof Error ? (e.name === 'TimeoutError' ? 'no answer in time' : `${e.message}${causeOf(e)}`) : String(e);
    this.opts.onError?.(`traces could not be exported to ${this.url} (${this.protocol}): ${why}; the run goes on, further export failures are not reported`);
  }

  private request(spans: SpanMessage[]) {
    return {
      resourceAttributes: [
        kv('service.name', this.opts.serviceName ?? 'agent-harness'),
        ...(this.opts.serviceVersion ? [kv('service.version', this.opts.serviceVersion)] : []),
        ...Object.entries(this.opts.resourceAttributes ?? {})
          .filter(([k]) => k !== 'service.name')
          .map(([k, v]) => kv(k, v)),
      ],
      scope: { name: 'agent-harness', ...(this.opts.serviceVersion ? { version: this.opts.serviceVersion } : {}) },
      spans,
    };
  }
}

function causeOf(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/** OTLP/JSON: the same message, with ids as hex strings and 64-bit integers as strings. */
function jsonEnvelope(req: ReturnType<OtlpTraceExporter['request']>) {
  return {
    resourceSpans: [
      {
        resource: { attributes: req.resourceAttributes },
        scopeSpans: [{ scope: req.scope, spans: req.spans }],
      },
    ],
  };
}

/** The span of a run: its id is derived from the run id, so the steps can name it as their parent. */
export function runSpanId(runId: string): string {
  return createHash('sha256').update(`span:${runId}`).digest('hex').slice(0, 16);
}

/** 16 bytes as 32 hex digits, the same for every span of a run. */
export function traceIdFor(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 32);
}

export function toSpan(r: TraceRecord): SpanMessage {
  const start = Date.parse(r.time);
  const startNs = BigInt(Number.isNaN(start) ? Date.now() : start) * 1_000_000n;
  const endNs = startNs + BigInt(Math.round(r.latency_ms * 1_000_000));
  const attributes: KeyValue[] = [];
  const add = (key: string, v: string | number | boolean | undefined) => {
    if (v !== undefined) attributes.push(kv(key, v));
  };
  const inputTokens = r['tokens.input'] !== undefined ? r['tokens.input'] + (r['tokens.cache_read'] ?? 0) + (r['tokens.cache_write'] ?? 0) : undefined;
  const usage = () => {
    // The convention's input tokens include the cached ones; the product's counters keep them apart.
    add('gen_ai.usage.input_tokens', inputTokens);
    add('gen_ai.usage.output_tokens', r['tokens.output']);
    add('gen_ai.usage.cache_read.input_tokens', r['tokens.cache_read']);
    add('gen_ai.usage.cache_creation.input_tokens', r['tokens.cache_write']);
  };

  let name: string;
  let kind = SPAN_KIND_INTERNAL;
  const type = r['agent.step.type'];
  switch (type) {
    case 'run':
      name = `invoke_agent ${r['agent.name'] ?? 'agent'}`;
      add('gen_ai.operation.name', 'invoke_agent');
      add('gen_ai.provider.name', r.provider);
      add('gen_ai.request.model', r['model.requested'] ?? r.model);
      add('gen_ai.response.model', r.model);
      usage();
      break;
    case 'model_call':
      name = `chat ${r['model.requested'] ?? r.model ?? 'model'}`;
      kind = SPAN_KIND_CLIENT;
      add('gen_ai.operation.name', 'chat');
      add('gen_ai.provider.name', r.provider);
      add('gen_ai.request.model', r['model.requested'] ?? r.model);
      if (r.outcome === 'ok') add('gen_ai.response.model', r.model);
      usage();
      break;
    case 'tool_call':
      name = `execute_tool ${r.tool ?? r['agent.step.name']}`;
      add('gen_ai.operation.name', 'execute_tool');
      add('gen_ai.tool.name', r.tool ?? r['agent.step.name']);
      add('gen_ai.tool.type', 'function');
      break;
    case 'sandbox_command':
      name = 'sandbox_command';
      add('agent_harness.sandbox.command', r['agent.step.name']);
      add('agent_harness.sandbox.session_id', r['sandbox.session_id']);
      break;
    case 'approval':
      name = `approval ${r.tool ?? r['agent.step.name']}`;
      add('agent_harness.approval.tool', r.tool ?? r['agent.step.name']);
      add('agent_harness.approval.required', r['approval.required']);
      add('agent_harness.approval.status', r['approval.status']);
      break;
  }
  add('gen_ai.agent.name', r['agent.name']);
  add('gen_ai.conversation.id', r['agent.run_id']);
  add('agent_harness.step.id', r['agent.step.id']);
  add('agent_harness.cost_usd', r.cost_usd);
  add('agent_harness.kind', r['agent.kind']);
  for (const [k, v] of Object.entries(r['agent.tags'] ?? {})) add(`agent_harness.tag.${k}`, v);
  const failed = r.outcome !== 'ok';
  if (failed) add('error.type', r.outcome);
  return {
    traceId: traceIdFor(r['agent.run_id']),
    spanId: type === 'run' ? runSpanId(r['agent.run_id']) : randomBytes(8).toString('hex'),
    ...(type === 'run' ? {} : { parentSpanId: runSpanId(r['agent.run_id']) }),
    name,
    kind,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    attributes,
    status: failed ? { code: STATUS_ERROR, ...(r.error ? { message: r.error } : {}) } : { code: STATUS_OK },
  };
}

function kv(key: string, v: string | number | boolean): KeyValue {
  let value: AttrValue;
  if (typeof v === 'string') value = { stringValue: v };
  else if (typeof v === 'boolean') value = { boolValue: v };
  else value = Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { key, value };
}

/** `k1=v1,k2=v2`, values URL-encoded (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). Malformed pairs are skipped. */
export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, i).trim())] = decodeURIComponent(pair.slice(i + 1).trim());
    } catch {
      // A malformed escape: skip the pair rather than send a wrong header.
    }
  }
  return out;
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());

/**
 * The exporter the standard environment asks for, or undefined when it asks for none:
 * OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER (`otlp` or unset; `none` turns it off),
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT (unset: off, unless OTEL_TRACES_EXPORTER=otlp, then
 * localhost:4318), _PROTOCOL (`http/protobuf` by default, `http/json`; `grpc` is reported as not
 * supported), _HEADERS, _COMPRESSION (`gzip`), _TIMEOUT (ms), OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES. A configuration it cannot honour is said once through `onError`.
 */
export function otlpExporterFromEnv(env: NodeJS.ProcessEnv, version?: string, onError?: (message: string) => void): OtlpTraceExporter | undefined {
  if (truthy(env.OTEL_SDK_DISABLED)) return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (exporters.length > 0 && !exporters.includes('otlp')) return undefined;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || undefined;
  let endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || '';
  if (!endpoint && !tracesEndpoint) {
    if (!exporters.includes('otlp')) return undefined;
    endpoint = 'http://localhost:4318';
  }
  const protocolVar = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = (env[protocolVar] ?? 'http/protobuf').trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    onError?.(
      protocol === 'grpc'
        ? `${protocolVar}=grpc is not supported: traces are sent over OTLP/HTTP only; set it to http/protobuf (usually port 4318) to export them`
        : `${protocolVar} must be http/protobuf or http/json, got "${protocol}"; traces are not exported`,
    );
    return undefined;
  }
  const compression = (env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? env.OTEL_EXPORTER_OTLP_COMPRESSION ?? 'none').trim();
  const timeoutRaw = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT;
  const timeoutMs = timeoutRaw && /^\d+$/.test(timeoutRaw.trim()) ? Number(timeoutRaw) : undefined;
  return new OtlpTraceExporter({
    endpoint,
    tracesEndpoint,
    protocol,
    compression: compression === 'gzip' ? 'gzip' : 'none',
    ...(timeoutMs ? { timeoutMs } : {}),
    headers: { ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME?.trim() || parseOtlpHeaders(env.OTEL_RESOURCE_ATTRIBUTES)['service.name'] || 'agent-harness',
    serviceVersion: version,
    resourceAttributes: parseOtlpHeaders(env.OTEL_RESOURCE_ATTRIBUTES),
    ...(onError ? { onError } : {}),
  });
}
