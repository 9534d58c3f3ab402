import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Budgets } from '../core/model/budgets';
import { PricingError, PriceTableSchema, unpricedBudgetMessage, type PriceTable } from '../core/model/pricing';
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
  prices: { type: 'string' },
} as const;

export interface GatewayFlagValues {
  'fallback-model'?: string[];
  'max-tokens'?: string;
  'max-cost'?: string;
  prices?: string;
}

export interface GatewayFlags {
  fallbacks: FallbackModel[];
  maxTokens?: number;
  maxCostUsd?: number;
  /** --prices FILE: the user's prices, USD per million tokens, over the catalog's. */
  prices?: PriceTable;
}

export async function parseGatewayFlags(values: GatewayFlagValues): Promise<GatewayFlags> {
  const fallbacks = (values['fallback-model'] ?? []).map(fallbackFlag);
  const flags: GatewayFlags = { fallbacks };
  if (values.prices !== undefined) flags.prices = await readPriceFile(values.prices);
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
  /** Notices for stderr (a default cost limit that cannot apply to an unpriced model). */
  notices: string[];
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
  /** The profile is a built-in one: its cost limit is a default nobody chose (dropped, with a notice, for a model without a price). */
  profileIsBuiltIn?: boolean;
  /** The product version, for the OpenTelemetry resource. */
  version?: string;
  /** A run that is not a task run (a code review, an eval attempt), for the ledger and traces. */
  label?: RunLabel;
  /** Where notices go as they happen (a trace export that failed). */
  onNotice?: (text: string) => void;
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
  const defaultCost = flags.maxCostUsd === undefined && input.profileIsBuiltIn ? input.profileMaxCostUsd : undefined;
  const runCost = flags.maxCostUsd ?? (defaultCost === undefined ? input.profileMaxCostUsd : undefined);
  if (flags.maxTokens !== undefined || runCost !== undefined) budgets.run = { tokens: flags.maxTokens, ...(runCost !== undefined ? { costUsd: runCost } : {}) };
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
  const services = await createGatewayServices({ location, secrets: [apiKey, ...Object.values(config.headers)], env, version: input.version, ...(flags.prices ? { prices: flags.prices } : {}), gatewayUrl: config.url, ...(input.onNotice ? { onTraceExportError: input.onNotice } : {}) });
  let run;
  try {
    run = await createRunGateway(services, { primary: { config, apiKey }, fallbacks, budgets, ...(defaultCost !== undefined ? { defaultRunCostUsd: defaultCost } : {}), ...(input.label ? { label: input.label } : {}) });
  } catch (e) {
    if (e instanceof PricingError) throw new UsageError(unpricedBudgetMessage(e.models, 'give the price with --prices FILE'));
    throw e;
  }
  return { model: run.model, sinks: run.sinks, redact: services.redact, location, traceFile: run.traceFile, notices: run.notices, finish: services.flush };
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

/**
 * A price file (JSON or YAML): `{"MODEL": {"input": USD, "output": USD, "cacheRead"?: USD,
 * "cacheWrite"?: USD}}` per million tokens. A bad file names itself and the entry.
 */
export async function readPriceFile(file: string): Promise<PriceTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--prices: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--prices: ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = PriceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--prices: ${file}: ${issue.path.length ? `"${issue.path.join('.')}"` : 'the file'}: ${issue.message} (expected {"MODEL": {"input": USD, "output": USD, "cacheRead"?: USD, "cacheWrite"?: USD}}, per million tokens)`);
  }
  return parsed.data;
}
