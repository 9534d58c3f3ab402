import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { BudgetConfigError, dollars, wholeTokens, type BudgetChoice } from '../core/model/budgetChoice';
import type { ModelFactory } from '../core/model/modelFactory';
import { PricingError, PriceTableSchema, unpricedBudgetMessage, type PriceTable } from '../core/model/pricing';
import { SessionConfigError } from '../core/session/sessionConfigError';
import type { Redactor } from '../core/trace/redact';
import { FallbackSpecError, parseFallback, type FallbackModel } from '../adapters/gateway/fallbackSpec';
import { gatewayModelFactory, NoModelError, type GatewayEndpoints } from '../adapters/gateway/gatewayFactory';
import { createGatewayServices } from '../adapters/gateway/resilience/productionGateway';
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
  /** The one gateway factory, with the CLI's messages for a configuration mistake (a usage error). */
  openModel: ModelFactory;
  redact: Redactor;
  location: StateLocation;
  traceFile(runId: string): string;
  /** Waits for the ledger, the trace and the breaker state to be written. Call after the run. */
  finish(): Promise<void>;
}

export interface OpenCliGatewayInput {
  /** URL, protocol and headers; the model is the default (AGENT_HARNESS_MODEL), each run may choose its own. */
  config: GatewayEndpoints['config'];
  apiKey: string | undefined;
  flags: GatewayFlags;
  env: NodeJS.ProcessEnv;
  /** The product version, for the OpenTelemetry resource. */
  version?: string;
  /** Where notices go as they happen (a trace export that failed). */
  onNotice?: (text: string) => void;
}

/**
 * The gateway's services for this CLI process (ledger, traces, breakers, day spend) and the factory
 * every model client comes from. State lives under AGENT_HARNESS_HOME (default ~/.agent-harness);
 * AGENT_HARNESS_USAGE_DIR moves only the ledger.
 */
export async function openCliGateway(input: OpenCliGatewayInput): Promise<CliGateway> {
  const { config, apiKey, flags, env } = input;
  const home = cliStateLocation(env);
  const location = env.AGENT_HARNESS_USAGE_DIR ? { ...home, usageDir: env.AGENT_HARNESS_USAGE_DIR } : home;
  // The key and every configured header value are secrets wherever they turn up.
  const services = await createGatewayServices({ location, secrets: [apiKey, ...Object.values(config.headers)], env, version: input.version, ...(flags.prices ? { prices: flags.prices } : {}), gatewayUrl: config.url, ...(input.onNotice ? { onTraceExportError: input.onNotice } : {}) });
  const factory = gatewayModelFactory(services, { config, apiKey, fallbacks: flags.fallbacks });
  return {
    openModel: async (request) => {
      try {
        return await factory(request);
      } catch (e) {
        if (e instanceof NoModelError) throw new UsageError('no model configured: pass --model NAME or set AGENT_HARNESS_MODEL');
        if (e instanceof PricingError) throw new UsageError(unpricedBudgetMessage(e.models, 'give the price with --prices FILE'));
        throw e;
      }
    },
    redact: services.redact,
    location,
    traceFile: (runId) => services.traces.pathFor(runId),
    finish: services.flush,
  };
}

/** The run budget the flags choose (--max-tokens, --max-cost) and the environment's day budgets. */
export function cliBudgets(flags: GatewayFlags, env: NodeJS.ProcessEnv): BudgetChoice {
  return { ...(flags.maxTokens !== undefined ? { runTokens: flags.maxTokens } : {}), ...(flags.maxCostUsd !== undefined ? { runCostUsd: flags.maxCostUsd } : {}), env };
}

function positiveInt(v: string, name: string): number {
  return asUsageError(() => wholeTokens(v, name));
}

function positiveUsd(v: string, name: string): number {
  return asUsageError(() => dollars(v, name));
}

/** A configuration mistake the core found (a budget, a profile) as the CLI's usage error. */
export function asUsageError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw usageErrorFor(e);
  }
}

export async function asUsageErrorAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw usageErrorFor(e);
  }
}

/** A core configuration error (a budget, a profile) as a usage error; anything else as it is. */
export function usageErrorFor(e: unknown): unknown {
  return e instanceof BudgetConfigError || e instanceof SessionConfigError ? new UsageError(e.message) : e;
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
