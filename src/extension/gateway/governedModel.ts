import type { OpenedModel } from '../../core/model/modelFactory';
import type { RunLabel } from '../../core/model/resilience/callRecord';
import { openModelFor } from '../../core/session/assembleRun';
import { resolveRunProfile } from '../../core/session/prepareRun';
import type { GatewayServices } from '../../adapters/gateway/resilience/productionGateway';
import { asSettingsError, extensionBudgets, type GatewayHost } from './gatewayHost';
import type { WindowConfig } from './windowConfig';

/**
 * A model client for work that is not a panel run (a code review), governed like a run: the window's
 * gateway services (ledger, breakers, day spend), the one budget rule, fallbacks and traces, labelled
 * with its kind and profile. The model is chosen as for a run: picked, else the profile's, else the settings'.
 */
export async function openGovernedModel(window: { config: WindowConfig; gateways: GatewayHost }, label: RunLabel & { profile: string }, root: string): Promise<OpenedModel & { services: GatewayServices }> {
  const { settings, gateway, key, pickedModel } = await window.config.runInputs();
  const services = await window.gateways.services(key, gateway);
  const profile = await resolveRunProfile(root, label.profile);
  const model = pickedModel ?? profile.found.profile.model;
  try {
    const opened = await openModelFor(window.gateways.modelFactory(services, { gateway, key }), { ...(model ? { model } : {}), budgets: extensionBudgets(settings), label }, profile);
    return { ...opened, services };
  } catch (e) {
    throw asSettingsError(e);
  }
}
