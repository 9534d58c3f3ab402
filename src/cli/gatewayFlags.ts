import { PROTOCOLS, type Protocol } from '../core/model/modelClient';
import { BudgetGuard, DaySpend, localDay, type Budgets } from '../core/model/budgets';
import type { PriceTable } from '../core/model/pricing';
import { BreakerRegistry } from '../core/model/resilience/circuitBreaker';
import type { ResilientModelClient } from '../core/model/resilience/resilientModelClient';
import type { EventSink } from '../core/agent/events';
import { createRedactor, type Redactor } from '../core/trace/redact';
import { RunContextTracker } from '../core/trace/runContext';
import { TraceRecorder } from '../core/trace/traceRecorder';
import { GatewayConfigSchema, type GatewayConfig } from '../adapters/gateway/gatewayConfig';
import { createResilientModelClient, type ModelEndpoint } from '../adapters/gateway/resilience/createResilientClient';
import { FileBreakerStore } from '../adapters/gateway/resilience/fileBreakerStore';
import { UsageLedger } from '../adapters/ledger/usageLedger';
import { cliStateLocation, type StateLocation } from '../adapters/ledger/stateLocation';
import { spentOn } from '../adapters/ledger/summarizeUsage';
import { JsonlTraceWriter } from '../adapters/trace/jsonlTraceWriter';
import { otlpExporterFromEnv } from '../adapters/trace/otlpExporter';
import { UsageError } from './cliIo';

/** The `agent-harness run` options this module parses; spread into the command's parseArgs options. */
export const GATEWAY_FLAG_OPTIONS = {
  'fallback-model': { type: 'string', multiple: true },
  'max-tokens': { type: 'string' },
  'max-cost': { type: 'string' },
} as const;

export interface GatewayFlagValues {
  'fallback-model'?: string[];
  'max-tokens'?: string;
  'max-cost'?: string;
}

export interface FallbackModel {
  model: string;
  /** Undefined: the primary's protocol. */
  protocol?: Protocol;
}

export interface GatewayFlags {
  fallbacks: FallbackModel[];
  maxTokens?: number;
  maxCostUsd?: number;
}

export function parseGatewayFlags(values: GatewayFlagValues): GatewayFlags {
  const fallbacks = (values['fallback-model'] ?? []).map(parseFallback);
  const flags: GatewayFlags = { fallbacks };
  if (values['max-tokens'] !== undefined) flags.maxTokens = positiveInt(values['max-tokens'], '--max-tokens');
  if (values['max-cost'] !== undefined) flags.maxCostUsd = positiveUsd(values['max-cost'], '--max-cost');
  return flags;
}

/** `NAME` or `NAME@openai` / `NAME@anthropic`. A model name may itself contain `@`; only a known protocol suffix is split off. */
export function parseFallback(spec: string): FallbackModel {
  const s = spec.trim();
  const at = s.lastIndexOf('@');
  if (at > 0) {
    const suffix = s.slice(at + 1);
    if ((PROTOCOLS as readonly string[]).includes(suffix)) return { model: s.slice(0, at), protocol: suffix as Protocol };
    if (/^[a-z]+$/i.test(suffix) && !s.slice(0, at).includes('/')) {
      throw new UsageError(`--fallback-model ${spec}: unknown protocol "${suffix}"; use NAME, NAME@openai or NAME@anthropic`);
    }
  }
  if (!s || s.startsWith('@')) throw new UsageError(`--fallback-model needs a model name: NAME[@openai|@anthropic], got "${spec}"`);
  return { model: s };
}

/**
 * The same gateway reached over the other protocol: OpenAI-compatible base URLs conventionally end
 * in `/v1` (the SDK appends `/chat/completions`), Anthropic ones do not (the SDK appends `/v1/messages`).
 */
export function urlForProtocol(url: string, from: Protocol, to: Protocol): string {
  const u = url.replace(/\/+$/, '');
  if (from === to) return u;
  if (to === 'anthropic') return u.replace(/\/v1$/, '');
  return /\/v1$/.test(u) ? u : `${u}/v1`;
}

export interface CliGateway {
  model: ResilientModelClient;
  /** Add to the run's sinks: they give the ledger its run and step, and write the trace. */
  sinks: EventSink[];
  redact: Redactor;
  location: StateLocation;
  traceFile(runId: string): string;
  /** Waits for the ledger, the trace and the breaker state to be written. Call after the run. */
  finish(): Promise<void>;
}

export interface BuildCliGatewayInput {
  config: GatewayConfig;
  apiKey: string | undefined;
  flags: GatewayFlags;
  env: NodeJS.ProcessEnv;
  prices?: PriceTable;
  now?: () => Date;
  /** The product version, for the OpenTelemetry resource. */
  version?: string;
}

/** Builds the resilient client, the usage ledger and the trace for one CLI run. */
export async function buildCliGateway(input: BuildCliGatewayInput): Promise<CliGateway> {
  const { config, apiKey, flags, env } = input;
  const now = input.now ?? (() => new Date());
  const location = cliStateLocation(env);
  // The key and every configured header value are secrets wherever they turn up.
  const redact = createRedactor([apiKey, ...Object.values(config.headers)]);
  const ledger = new UsageLedger(env.AGENT_HARNESS_USAGE_DIR || location.usageDir, redact);
  const traces = new JsonlTraceWriter(location.tracesDir);
  const tracker = new RunContextTracker();
  // OpenTelemetry export when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set, next to the JSON lines.
  const otlp = otlpExporterFromEnv(env, input.version);
  const trace = new TraceRecorder({
    write: otlp
      ? (r) => {
          traces.write(r);
          otlp.write(r);
        }
      : traces.write,
    redact,
  });

  const limits: Budgets = {};
  if (flags.maxTokens !== undefined || flags.maxCostUsd !== undefined) limits.run = { tokens: flags.maxTokens, costUsd: flags.maxCostUsd };
  const dayTokens = env.AGENT_HARNESS_MAX_TOKENS_PER_DAY;
  const dayCost = env.AGENT_HARNESS_MAX_COST_PER_DAY;
  if (dayTokens || dayCost) {
    limits.day = {
      tokens: dayTokens ? positiveInt(dayTokens, 'AGENT_HARNESS_MAX_TOKENS_PER_DAY') : undefined,
      costUsd: dayCost ? positiveUsd(dayCost, 'AGENT_HARNESS_MAX_COST_PER_DAY') : undefined,
    };
  }
  let budget: BudgetGuard | undefined;
  if (limits.run || limits.day) {
    const today = localDay(now());
    const seed = limits.day ? spentOn((await ledger.read({ since: startOfDay(now()) })).rows, today) : undefined;
    budget = new BudgetGuard({ limits, day: new DaySpend(now, seed) });
  }

  const fallbacks: ModelEndpoint[] = flags.fallbacks.map((f) => {
    const protocol = f.protocol ?? config.protocol;
    const fallbackConfig = GatewayConfigSchema.parse({ ...config, model: f.model, protocol, url: urlForProtocol(config.url, config.protocol, protocol) });
    return { config: fallbackConfig, apiKey };
  });
  const breakers = await BreakerRegistry.create({ clock: { now: () => now().getTime() }, store: new FileBreakerStore(location.breakerStateFile) });
  const model = await createResilientModelClient({
    primary: { config, apiKey },
    fallbacks,
    breakers,
    budget,
    prices: input.prices,
    context: tracker.context,
    onCall: (r) => {
      ledger.append(r);
      trace.onModelCall(r);
    },
  });
  return {
    model,
    sinks: [tracker.sink, trace.sink],
    redact,
    location,
    traceFile: (runId) => traces.pathFor(runId),
    finish: async () => {
      await Promise.all([ledger.flush(), traces.flush(), breakers.flush(), otlp?.flush()]);
    },
  };
}

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number of tokens, got "${v}"`);
  return n;
}

function positiveUsd(v: string, name: string): number {
  const n = Number(v.trim().replace(/^\$/, ''));
  if (!/^\$?\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive amount in US dollars such as 0.50, got "${v}"`);
  return n;
}
