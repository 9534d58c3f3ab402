import { createHash, randomBytes } from 'node:crypto';
import type { TraceRecord } from '../../core/trace/traceRecord';

/**
 * Exports trace records as OpenTelemetry spans over OTLP/HTTP with the JSON encoding, following the
 * GenAI semantic conventions (`chat {model}` client spans with gen_ai.* usage attributes,
 * `execute_tool {tool}` spans). It is hand-rolled rather than the OpenTelemetry SDK: the product only
 * ever sends finished spans in batches, which is one JSON shape and one POST, while the SDK and its
 * OTLP exporter would add several packages and a context manager to the extension bundle.
 *
 * Every span of a run shares one trace id, derived from the run id, so a backend groups a run's
 * steps together. Records arrive already redacted. Export failures are kept in `lastError` and
 * never reach the run.
 */
export interface OtlpExporterOptions {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` (a base: `/v1/traces` is appended) or a full traces URL. */
  endpoint: string;
  /** A full traces URL, used as is (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). */
  tracesEndpoint?: string;
  headers?: Record<string, string>;
  serviceName?: string;
  serviceVersion?: string;
  /** How long spans gather before one POST. */
  batchMs?: number;
  fetch?: typeof fetch;
}

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

export class OtlpTraceExporter {
  private spans: OtlpSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly url: string;
  lastError: unknown;

  constructor(private readonly opts: OtlpExporterOptions) {
    this.url = opts.tracesEndpoint ?? `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
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
    const body = JSON.stringify(this.envelope(batch));
    const doFetch = this.opts.fetch ?? fetch;
    this.sending = this.sending.then(async () => {
      try {
        const res = await doFetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', ...this.opts.headers }, body, signal: AbortSignal.timeout(10_000) });
        if (!res.ok) this.lastError = new Error(`the OTLP endpoint ${this.url} answered HTTP ${res.status}`);
        await res.body?.cancel();
      } catch (e) {
        this.lastError = e;
      }
    });
  }

  private envelope(spans: OtlpSpan[]) {
    return {
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', this.opts.serviceName ?? 'agent-harness'), ...(this.opts.serviceVersion ? [kv('service.version', this.opts.serviceVersion)] : [])] },
          scopeSpans: [{ scope: { name: 'agent-harness', ...(this.opts.serviceVersion ? { version: this.opts.serviceVersion } : {}) }, spans }],
        },
      ],
    };
  }
}

export function toSpan(r: TraceRecord): OtlpSpan {
  const start = Date.parse(r.time);
  const startNs = BigInt(Number.isNaN(start) ? Date.now() : start) * 1_000_000n;
  const endNs = startNs + BigInt(Math.round(r.latency_ms * 1_000_000));
  const attributes: KeyValue[] = [];
  const add = (key: string, v: string | number | boolean | undefined) => {
    if (v !== undefined) attributes.push(kv(key, v));
  };
  // The seed's flat record, as is, so the same queries work on the JSON lines and in the backend.
  for (const [k, v] of Object.entries(r)) if (k !== 'time' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) add(k, v);

  let name: string;
  let kind = SPAN_KIND_INTERNAL;
  switch (r['agent.step.type']) {
    case 'model_call':
      name = `chat ${r['model.requested'] ?? r.model ?? 'model'}`;
      kind = SPAN_KIND_CLIENT;
      add('gen_ai.operation.name', 'chat');
      add('gen_ai.provider.name', r.provider);
      add('gen_ai.request.model', r['model.requested'] ?? r.model);
      if (r.outcome === 'ok') add('gen_ai.response.model', r.model);
      add('gen_ai.usage.input_tokens', r['tokens.input'] !== undefined ? r['tokens.input'] + (r['tokens.cache_read'] ?? 0) + (r['tokens.cache_write'] ?? 0) : undefined);
      add('gen_ai.usage.output_tokens', r['tokens.output']);
      add('gen_ai.usage.cache_read.input_tokens', r['tokens.cache_read']);
      add('gen_ai.usage.cache_creation.input_tokens', r['tokens.cache_write']);
      break;
    case 'tool_call':
    case 'sandbox_command':
      name = `execute_tool ${r.tool ?? r['agent.step.name']}`;
      add('gen_ai.operation.name', 'execute_tool');
      add('gen_ai.tool.name', r.tool ?? r['agent.step.name']);
      break;
    case 'approval':
      name = `approval ${r.tool ?? r['agent.step.name']}`;
      break;
  }
  add('gen_ai.agent.name', r['agent.name']);
  add('gen_ai.conversation.id', r['agent.run_id']);
  const failed = r.outcome !== 'ok';
  if (failed) add('error.type', r.outcome);
  return {
    traceId: traceIdFor(r['agent.run_id']),
    spanId: randomBytes(8).toString('hex'),
    name,
    kind,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    attributes,
    status: failed ? { code: STATUS_ERROR, ...(r.error ? { message: r.error } : {}) } : { code: STATUS_OK },
  };
}

/** 16 bytes as 32 hex digits, the same for every span of a run. */
export function traceIdFor(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 32);
}

function kv(key: string, v: string | number | boolean): KeyValue {
  if (typeof v === 'string') return { key, value: { stringValue: v } };
  if (typeof v === 'boolean') return { key, value: { boolValue: v } };
  return Number.isInteger(v) ? { key, value: { intValue: String(v) } } : { key, value: { doubleValue: v } };
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `k1=v1,k2=v2`, values URL-encoded. Malformed pairs are skipped. */
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

/** The exporter the environment asks for, or undefined when no OTLP endpoint is configured. */
export function otlpExporterFromEnv(env: NodeJS.ProcessEnv, version?: string): OtlpTraceExporter | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!endpoint && !tracesEndpoint) return undefined;
  return new OtlpTraceExporter({
    endpoint: endpoint ?? '',
    tracesEndpoint: tracesEndpoint || undefined,
    headers: { ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME || 'agent-harness',
    serviceVersion: version,
  });
}
