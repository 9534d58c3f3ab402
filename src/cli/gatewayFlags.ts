import type { Budgets } from '../core/model/budgets';
import type { PriceTable } from '../core/model/pricing';
import type { ResilientModelClient } from '../core/model/resilience/resilientModelClient';
import type { EventSink } from '../core/agent/events';
import type { RunLabel } from '../core/model/resilience/callRecord';
import type { Redactor } from '../core/trace/redact';
import { GatewayConfigSchema, type GatewayConfig } from '../adapters/gateway/gatewayConfig';
import { FallbackSpecError, parseFallback, urlForProtocol, type FallbackModel } from '../adapters/gateway/fallbackSpec';
import type { ModelEndpoint } from '../adapters/gateway/resilience/createResilientClient';
import { createGatewayServices, createRunGateway } from '../adapters/gateway/resilience/productionGateway';
import { cliStateLocation, type StateLocation } from '../adapters/ledger/stateLocation';
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

export interface GatewayFlags {
  fallbacks: FallbackModel[];
  maxTokens?: number;
  maxCostUsd?: number;
}

export function parseGatewayFlags(values: GatewayFlagValues): GatewayFlags {
  const fallbacks = (values['fallback-model'] ?? []).map(fallbackFlag);
  const flags: GatewayFlags = { fallbacks };
  if (values['max-tokens'] !== undefined) flags.maxTokens = positiveInt(values['max-tokens'], '--max-tokens');
  if (values['max-cost'] !== undefined) flags.maxCostUsd = positiveUsd(values['max-cost'], '--max-cost');
  return flags;
}

/** A --fallback-model value; a bad one is a usage error that names the flag. */
function fallbackFlag(spec: string): FallbackModel {
  try {
    return parseFallback(spec);
  } catch (e) {
    if (e instanceof FallbackSpecError) throw new UsageError(`--fallback-model ${e.message}`);
    throw e;
  }
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
  /** The profile's `limits.maxCostUsd`, used when --max-cost is not given. */
  profileMaxCostUsd?: number;
  prices?: PriceTable;
  /** The product version, for the OpenTelemetry resource. */
  version?: string;
  /** A run that is not a task run (a code review, an eval attempt), for the ledger and traces. */
  label?: RunLabel;
}

/**
 * Builds the resilient client, the usage ledger and the trace for one CLI run. State lives under
 * AGENT_HARNESS_HOME (default ~/.agent-harness); AGENT_HARNESS_USAGE_DIR moves only the ledger.
 * Day budgets come from AGENT_HARNESS_MAX_TOKENS_PER_DAY / AGENT_HARNESS_MAX_COST_PER_DAY.
 */
export async function buildCliGateway(input: BuildCliGatewayInput): Promise<CliGateway> {
  const { config, apiKey, flags, env } = input;
  const home = cliStateLocation(env);
  const location = env.AGENT_HARNESS_USAGE_DIR ? { ...home, usageDir: env.AGENT_HARNESS_USAGE_DIR } : home;
  const budgets: Budgets = {};
  const runCost = flags.maxCostUsd ?? input.profileMaxCostUsd;
  if (flags.maxTokens !== undefined || runCost !== undefined) budgets.run = { tokens: flags.maxTokens, costUsd: runCost };
  const dayTokens = env.AGENT_HARNESS_MAX_TOKENS_PER_DAY;
  const dayCost = env.AGENT_HARNESS_MAX_COST_PER_DAY;
  if (dayTokens || dayCost) {
    budgets.day = {
      tokens: dayTokens ? positiveInt(dayTokens, 'AGENT_HARNESS_MAX_TOKENS_PER_DAY') : undefined,
      costUsd: dayCost ? positiveUsd(dayCost, 'AGENT_HARNESS_MAX_COST_PER_DAY') : undefined,
    };
  }
  const fallbacks: ModelEndpoint[] = flags.fallbacks.map((f) => {
    const protocol = f.protocol ?? config.protocol;
    return { config: GatewayConfigSchema.parse({ ...config, model: f.model, protocol, url: urlForProtocol(config.url, config.protocol, protocol) }), apiKey };
  });
  // The key and every configured header value are secrets wherever they turn up.
  const services = await createGatewayServices({ location, secrets: [apiKey, ...Object.values(config.headers)], env, version: input.version });
  const run = await createRunGateway(services, { primary: { config, apiKey }, fallbacks, budgets, prices: input.prices, ...(input.label ? { label: input.label } : {}) });
  return { model: run.model, sinks: run.sinks, redact: services.redact, location, traceFile: run.traceFile, finish: services.flush };
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
