import type { OpenedModel, RunModelRequest } from '../../core/model/modelFactory';
import type { ModelClient } from '../../core/model/modelClient';
import { createModelClient } from './createModelClient';
import { GatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './gatewayConfig';
import { urlForProtocol, type FallbackModel } from './fallbackSpec';
import type { ModelEndpoint } from './resilience/createResilientClient';
import { createRunGateway, type GatewayServices } from './resilience/productionGateway';

/** Where a front end's model calls go: the gateway, its default model, the key, the fallbacks. */
export interface GatewayEndpoints {
  /** URL, protocol and headers; `model` is the configured default (a setting, AGENT_HARNESS_MODEL), if any. */
  config: Omit<GatewayConfig, 'model'> & { model?: string };
  apiKey: string | undefined;
  /** Tried in order when the primary fails (agentHarness.gateway.fallbackModels, --fallback-model). */
  fallbacks: readonly FallbackModel[];
  /** The sandbox session commands run in, for the trace. */
  sandboxSession?: () => string | undefined;
}

/** Neither the run nor the gateway names a model; the front end says where to set one. */
export class NoModelError extends Error {
  constructor() {
    super('no model configured');
    this.name = 'NoModelError';
  }
}

/** What the gateway made for one run, besides what every caller uses: where its trace goes. */
export interface OpenedRunModel extends OpenedModel {
  traceFile(runId: string): string;
}

/**
 * The one gateway factory: every model client for work (runs, resumes, code reviews, evals, team runs)
 * comes from here, sharing the window's or the process's services (breakers, day spend, ledger, traces).
 * A cost budget for a model without a price is refused with a PricingError before anything is sent.
 */
export function gatewayModelFactory(services: GatewayServices, endpoints: GatewayEndpoints): (request: RunModelRequest) => Promise<OpenedRunModel> {
  return async (request) => {
    const model = request.model ?? endpoints.config.model;
    if (!model) throw new NoModelError();
    const config = GatewayConfigSchema.parse({ ...endpoints.config, model });
    const gw = await createRunGateway(services, {
      primary: { config, apiKey: endpoints.apiKey },
      fallbacks: fallbackEndpoints(endpoints.fallbacks, config, endpoints.apiKey),
      budgets: request.budgets,
      ...(request.defaultRunCostUsd !== undefined ? { defaultRunCostUsd: request.defaultRunCostUsd } : {}),
      ...(request.label ? { label: request.label } : {}),
      ...(endpoints.sandboxSession ? { sandboxSession: endpoints.sandboxSession } : {}),
    });
    return { model: gw.model, sinks: gw.sinks, notices: gw.notices, traceFile: gw.traceFile };
  };
}


/** Fallback models on the same gateway: a model name, over the primary's protocol or the other one. */
export function fallbackEndpoints(fallbacks: readonly FallbackModel[], primary: GatewayConfig, apiKey: string | undefined): ModelEndpoint[] {
  return fallbacks.map((f) => {
    const protocol = f.protocol ?? primary.protocol;
    return { config: GatewayConfigSchema.parse({ ...primary, model: f.model, protocol, url: urlForProtocol(primary.url, primary.protocol, protocol) }), apiKey };
  });
}

/**
 * A bare client for talking to the gateway about itself, never for work: its model list and a
 * connection test. No ledger, budget or retry applies, since no task is paid for.
 */
export function gatewayProbe(config: GatewayConfigInput | GatewayConfig, apiKey: string | undefined): Promise<ModelClient> {
  return createModelClient(config, apiKey);
}
