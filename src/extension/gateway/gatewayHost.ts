import { createHash } from 'node:crypto';
import { BudgetConfigError, type BudgetChoice } from '../../core/model/budgetChoice';
import type { ModelFactory } from '../../core/model/modelFactory';
import { PricingError, unpricedBudgetMessage } from '../../core/model/pricing';
import { GatewayConfigSchema } from '../../adapters/gateway/gatewayConfig';
import { gatewayModelFactory } from '../../adapters/gateway/gatewayFactory';
import { createGatewayServices, type GatewayServices } from '../../adapters/gateway/resilience/productionGateway';
import { stateLocation } from '../../adapters/ledger/stateLocation';
import { FallbackSpecError, parseFallback, type FallbackModel } from '../../adapters/gateway/fallbackSpec';
import type { ExtensionSettings, GatewayChoice } from './extensionSettings';
import { SettingsError } from './extensionSettings';
import { usageSummaryView } from '../panel/usageSummary';
import type { UsageSummaryView } from '../../shared/panelState';

/**
 * A run's budget choice from the settings (0 means no cost limit; the profile's applies then, see
 * resolveBudgets) and the environment's day budgets (AGENT_HARNESS_MAX_TOKENS_PER_DAY /
 * AGENT_HARNESS_MAX_COST_PER_DAY, as for the CLI).
 */
export function extensionBudgets(settings: Pick<ExtensionSettings, 'limits.maxTokens' | 'limits.maxCostUsd'>, runCostUsd?: number): BudgetChoice {
  return { runTokens: settings['limits.maxTokens'], runCostUsd: runCostUsd ?? settings['limits.maxCostUsd'], env: process.env };
}

/** A core configuration error (a malformed day budget, an unknown profile) as the extension's settings error. */
export function asSettingsError(e: unknown): unknown {
  if (e instanceof BudgetConfigError) return new SettingsError(`${e.message}.`);
  if (e instanceof PricingError) return new SettingsError(`${capitalise(unpricedBudgetMessage(e.models, 'give the price in the agentHarness.gateway.prices setting'))}.`);
  return e;
}

/**
 * agentHarness.gateway.fallbackModels: `NAME` (the primary's protocol) or `NAME@openai` /
 * `NAME@anthropic` (the same gateway over the other protocol). A bad entry names the setting.
 */
export function fallbackModels(specs: readonly string[]): FallbackModel[] {
  return specs.map((spec) => {
    try {
      return parseFallback(spec);
    } catch (e) {
      // The parser's message names no source, so the setting is named here; it is quoted in full already, so leading blanks go.
      const why = e instanceof FallbackSpecError ? e.message.trimStart() : e instanceof Error ? e.message : String(e);
      throw new SettingsError(`Setting agentHarness.gateway.fallbackModels has a bad entry "${spec}": ${why}.`);
    }
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

  /**
   * The one gateway factory with this window's services: a resilient client per run, with its
   * fallbacks and budgets. The gateway's model is the default; a run may choose its own (the picker,
   * the profile).
   */
  modelFactory(services: GatewayServices, input: { gateway: GatewayChoice; key: string | undefined; sandboxSession?: () => string | undefined }): ModelFactory {
    const { url, protocol, model, headers } = input.gateway;
    const fallbacks = fallbackModels(input.gateway.fallbackModels);
    const factory = gatewayModelFactory(services, { config: { ...GatewayConfigSchema.parse({ url, protocol, model, headers }) }, apiKey: input.key, fallbacks, ...(input.sandboxSession ? { sandboxSession: input.sandboxSession } : {}) });
    return async (request) => {
      try {
        return await factory(request);
      } catch (e) {
        throw asSettingsError(e);
      }
    };
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
