import { createHash } from 'node:crypto';
import type { BudgetGuard } from '../../../core/model/budgets';
import type { Pricing } from '../../../core/model/pricing';
import type { CallContext, ModelCallObserver } from '../../../core/model/resilience/callRecord';
import { BreakerRegistry, type BreakerOptions } from '../../../core/model/resilience/circuitBreaker';
import { RateLimiter, type RateLimit } from '../../../core/model/resilience/rateLimiter';
import { systemResilienceClock, type ResilienceClock } from '../../../core/model/resilience/resilienceClock';
import { ResilientModelClient, type ModelRoute } from '../../../core/model/resilience/resilientModelClient';
import type { RetryPolicy } from '../../../core/model/resilience/retryPolicy';
import type { ModelClient } from '../../../core/model/modelClient';
import { GatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from '../gatewayConfig';
import { FileBreakerStore } from './fileBreakerStore';
import type { AdapterOptions } from './idleWatchdog';

/** One model to call: where, which protocol, and the key for it (from SecretStorage or the environment). */
export interface ModelEndpoint {
  config: GatewayConfigInput | GatewayConfig;
  apiKey: string | undefined;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

export interface ResilientGatewayOptions {
  primary: ModelEndpoint;
  /** Tried in order when the primary cannot answer now. */
  fallbacks?: readonly ModelEndpoint[];
  retry?: Partial<RetryPolicy>;
  /** Share one registry per window/process; otherwise one is made, persisted to `breakerStateFile`. */
  breakers?: BreakerRegistry;
  breaker?: Partial<BreakerOptions>;
  breakerStateFile?: string;
  idleTimeoutMs?: number;
  /** Per model name. */
  rateLimits?: Readonly<Record<string, RateLimit>>;
  /** Share one limiter per window/process so limits hold across runs. */
  rateLimiter?: RateLimiter;
  budget?: BudgetGuard;
  pricing?: Pricing;
  context?: () => CallContext;
  onCall?: ModelCallObserver;
  clock?: ResilienceClock;
}

/**
 * Builds the production model client: the protocol adapters with the SDKs' own retries off (this
 * layer is the only one that retries, so attempts are what the policy says), an idle timeout on every
 * stream, and the ResilientModelClient around them.
 */
export async function createResilientModelClient(opts: ResilientGatewayOptions): Promise<ResilientModelClient> {
  const clock = opts.clock ?? systemResilienceClock;
  const adapter: AdapterOptions = { idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS };
  const endpoints = [opts.primary, ...(opts.fallbacks ?? [])];
  const routes: ModelRoute[] = [];
  for (const ep of endpoints) {
    const config = GatewayConfigSchema.parse({ ...ep.config, sdkMaxRetries: 0 });
    routes.push({ client: await createAdapter(config, ep.apiKey, adapter), credential: credentialId(config, ep.apiKey), key: `${config.protocol}:${config.url}:${config.model}` });
  }
  const breakers =
    opts.breakers ?? (await BreakerRegistry.create({ options: opts.breaker, clock, store: opts.breakerStateFile ? new FileBreakerStore(opts.breakerStateFile) : undefined }));
  const rateLimiter = opts.rateLimiter ?? (opts.rateLimits && Object.keys(opts.rateLimits).length > 0 ? new RateLimiter(opts.rateLimits, clock) : undefined);
  return new ResilientModelClient({
    routes,
    breakers,
    retry: opts.retry,
    rateLimiter,
    budget: opts.budget,
    ...(opts.pricing ? { pricing: opts.pricing } : {}),
    clock,
    context: opts.context,
    onCall: opts.onCall,
  });
}

async function createAdapter(config: GatewayConfig, apiKey: string | undefined, options: AdapterOptions): Promise<ModelClient> {
  if (config.protocol === 'anthropic') {
    const { AnthropicModelClient } = await import('../anthropicClient');
    return new AnthropicModelClient(config, apiKey, options);
  }
  const { OpenAIModelClient } = await import('../openaiClient');
  return new OpenAIModelClient(config, apiKey, options);
}

/**
 * A fingerprint of the credential a route uses: the key and the headers a gateway may authenticate
 * with. Only a hash prefix ever leaves this function, so it is safe in logs.
 */
export function credentialId(config: GatewayConfig, apiKey: string | undefined): string {
  const h = createHash('sha256');
  h.update(apiKey ?? '');
  for (const [k, v] of Object.entries(config.headers).sort(([a], [b]) => a.localeCompare(b))) h.update(`\n${k.toLowerCase()}:${v}`);
  return h.digest('hex').slice(0, 16);
}
