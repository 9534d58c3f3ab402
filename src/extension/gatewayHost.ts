import { createHash } from 'node:crypto';
import type { Budgets } from '../core/model/budgets';
import type { RunLabel } from '../core/model/resilience/callRecord';
import { PricingError, unpricedBudgetMessage } from '../core/model/pricing';
import { GatewayConfigSchema, type GatewayConfig } from '../adapters/gateway/gatewayConfig';
import type { ModelEndpoint } from '../adapters/gateway/resilience/createResilientClient';
import { createGatewayServices, createRunGateway, type GatewayServices, type RunGateway } from '../adapters/gateway/resilience/productionGateway';
import { stateLocation } from '../adapters/ledger/stateLocation';
import { FallbackSpecError, parseFallback, urlForProtocol } from '../adapters/gateway/fallbackSpec';
import type { GatewayChoice } from './extensionSettings';
import { SettingsError } from './extensionSettings';
import { usageSummaryView } from './usageSummary';
import type { UsageSummaryView } from '../shared/panelState';

/** What a run's budgets come from: the settings (0 means no limit), the profile, and the environment's day budgets (as for the CLI). */
export interface BudgetInputs {
  maxTokens: number;
  maxCostUsd: number;
  profileMaxCostUsd?: number;
  env: Record<string, string | undefined>;
}

/**
 * A run budget from the settings and the profile (the setting wins when both are set, as the CLI's
 * --max-cost wins over the profile), and a day budget from AGENT_HARNESS_MAX_TOKENS_PER_DAY /
 * AGENT_HARNESS_MAX_COST_PER_DAY. A malformed day budget names its variable instead of being ignored.
 */
export function runBudgets(b: BudgetInputs): Budgets {
  const budgets: Budgets = {};
  const cost = b.maxCostUsd > 0 ? b.maxCostUsd : b.profileMaxCostUsd;
  budgets.run = { tokens: b.maxTokens, ...(cost !== undefined && cost > 0 ? { costUsd: cost } : {}) };
  const dayTokens = b.env.AGENT_HARNESS_MAX_TOKENS_PER_DAY?.trim();
  const dayCost = b.env.AGENT_HARNESS_MAX_COST_PER_DAY?.trim();
  if (dayTokens || dayCost) {
    budgets.day = {};
    if (dayTokens) {
      const n = Number(dayTokens);
      if (!/^\d+$/.test(dayTokens) || !Number.isSafeInteger(n) || n <= 0) throw new SettingsError(`AGENT_HARNESS_MAX_TOKENS_PER_DAY must be a positive whole number of tokens, got "${dayTokens}".`);
      budgets.day.tokens = n;
    }
    if (dayCost) {
      const n = Number(dayCost.replace(/^\$/, ''));
      if (!/^\$?\d+(\.\d+)?$/.test(dayCost) || !(n > 0)) throw new SettingsError(`AGENT_HARNESS_MAX_COST_PER_DAY must be a positive amount in US dollars such as 5.00, got "${dayCost}".`);
      budgets.day.costUsd = n;
    }
  }
  return budgets;
}

/**
 * agentHarness.gateway.fallbackModels as endpoints: `NAME` (the primary's protocol) or `NAME@openai` /
 * `NAME@anthropic` (the same gateway over the other protocol). A bad entry names the setting.
 */
export function fallbackEndpoints(specs: readonly string[], primary: GatewayConfig, apiKey: string | undefined): ModelEndpoint[] {
  return specs.map((spec) => {
    let f;
    try {
      f = parseFallback(spec);
    } catch (e) {
      // The parser's message names no source, so the setting is named here; it is quoted in full already, so leading blanks go.
      const why = e instanceof FallbackSpecError ? e.message.trimStart() : e instanceof Error ? e.message : String(e);
      throw new SettingsError(`Setting agentHarness.gateway.fallbackModels has a bad entry "${spec}": ${why}.`);
    }
    const protocol = f.protocol ?? primary.protocol;
    return { config: GatewayConfigSchema.parse({ ...primary, model: f.model, protocol, url: urlForProtocol(primary.url, primary.protocol, protocol) }), apiKey };
  });
}

/**
 * The gateway's long-lived parts for one window (breakers, rate limits, session and day spend, the
 * usage ledger, traces, the redactor), in the extension's global storage. They are rebuilt when the
 * key or the gateway settings change, so a new key is redacted and no state is keyed to a stale
 * configuration; a rebuild keeps the breaker state (it is on disk) and re-reads today's spend.
 */
export class GatewayHost {
  private current: { signature: string; services: Promise<GatewayServices> } | undefined;

  /** `onNotice`: told once when traces cannot be exported (the output channel shows it). */
  constructor(
    private readonly storageRoot: string,
    private readonly onNotice?: (text: string) => void,
  ) {}

  /** The services for this key and gateway; the same object while neither changes. */
  services(key: string | undefined, gateway: GatewayChoice): Promise<GatewayServices> {
    const signature = signatureOf(key, gateway);
    if (this.current?.signature !== signature) {
      const previous = this.current?.services;
      const services = (async () => {
        // What the previous services still buffer is written before the new ones read the ledger.
        await previous?.then((s) => s.flush()).catch(() => undefined);
        return createGatewayServices({ location: stateLocation(this.storageRoot), secrets: [key, ...Object.values(gateway.headers)],
          prices: gateway.prices ?? {},
          gatewayUrl: gateway.url,
          // The standard OTEL_EXPORTER_OTLP_* variables, as the CLI reads them.
          env: process.env,
          ...(this.onNotice ? { onTraceExportError: this.onNotice } : {}),
        });
      })();
      this.current = { signature, services };
      // A failed build is tried again next time instead of being cached.
      services.catch(() => {
        if (this.current?.services === services) this.current = undefined;
      });
    }
    return this.current.services;
  }

  /** The services if they were built already (for redaction before the first run). */
  peek(): Promise<GatewayServices> | undefined {
    return this.current?.services;
  }

  /** One resilient client per run, with its fallbacks and budgets, sharing the window's services. */
  async runGateway(
    services: GatewayServices,
    input: { gateway: GatewayChoice; key: string | undefined; budgets: Budgets; defaultRunCostUsd?: number; sandboxSession?: () => string | undefined; label?: RunLabel },
  ): Promise<RunGateway> {
    const config = GatewayConfigSchema.parse({ url: input.gateway.url, protocol: input.gateway.protocol, model: input.gateway.model, headers: input.gateway.headers });
    const fallbacks = fallbackEndpoints(input.gateway.fallbackModels, config, input.key);
    try {
      return await createRunGateway(services, {
        primary: { config, apiKey: input.key },
        fallbacks,
        budgets: input.budgets,
        ...(input.defaultRunCostUsd !== undefined ? { defaultRunCostUsd: input.defaultRunCostUsd } : {}),
        ...(input.sandboxSession ? { sandboxSession: input.sandboxSession } : {}),
        ...(input.label ? { label: input.label } : {}),
      });
    } catch (e) {
      if (e instanceof PricingError) throw new SettingsError(`${capitalise(unpricedBudgetMessage(e.models, 'give the price in the agentHarness.gateway.prices setting'))}.`);
      throw e;
    }
  }

  /** Today and this week (the last 7 days) from the ledger, for the panel's usage area. */
  async usageSummary(services: GatewayServices, now = new Date()): Promise<UsageSummaryView> {
    await services.flush();
    const weekStart = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6);
    const { rows } = await services.ledger.read({ since: weekStart });
    return usageSummaryView(rows, now);
  }

  async flush(): Promise<void> {
    await this.current?.services.then((s) => s.flush()).catch(() => undefined);
  }
}

/** A hash, so the key itself is not kept around in one more string. */
function signatureOf(key: string | undefined, g: GatewayChoice): string {
  return createHash('sha256')
    .update(JSON.stringify([key ?? '', g.url, g.protocol, g.headers, g.prices ?? {}]))
    .digest('hex');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
