import { z } from 'zod';
import type { PickerView } from '../../shared/panelState';
import type { ExtensionSettings, GatewayChoice } from '../gateway/extensionSettings';
import type { KeyValue } from './panelStore';

const KEY = 'agentHarness.choice.v1';
const ChoiceSchema = z.object({ model: z.string().min(1).optional(), profile: z.string().min(1).optional() });
export type Choice = z.infer<typeof ChoiceSchema>;

/** A gateway's model list is asked for again after this long. */
const LIST_TTL_MS = 10 * 60_000;

/**
 * The panel's model and profile pickers: the person's choice for this workspace, kept in its
 * workspaceState (never written to settings), applied to every run, code review and eval until they
 * choose again. Nothing switches it silently: a fallback that answers is shown as "answered by".
 */
export class ChoiceHost {
  private listed: { key: string; at: number; models: Promise<string[]> } | undefined;

  constructor(private readonly memento: KeyValue) {}

  get(): Choice {
    const parsed = ChoiceSchema.safeParse(this.memento.get(KEY));
    return parsed.success ? parsed.data : {};
  }

  async set(change: Choice): Promise<void> {
    await this.memento.update(KEY, { ...this.get(), ...change });
  }

  /** The settings and gateway with the person's choice applied. */
  apply<S extends Pick<ExtensionSettings, 'profile'>, G extends Pick<GatewayChoice, 'model'>>(settings: S, gateway: G): { settings: S; gateway: G } {
    const c = this.get();
    return { settings: c.profile ? { ...settings, profile: c.profile } : settings, gateway: c.model ? { ...gateway, model: c.model } : gateway };
  }

  /** The gateway's own list, cached per gateway; a failure lists nothing (and is said once in the log). */
  gatewayModels(key: string, list: () => Promise<string[]>, log: (line: string) => void): Promise<string[]> {
    if (!this.listed || this.listed.key !== key || Date.now() - this.listed.at > LIST_TTL_MS) {
      const models = list().catch((e: unknown) => {
        log(`the gateway did not list its models (the picker offers the configured ones): ${e instanceof Error ? e.message : String(e)}`);
        return [];
      });
      this.listed = { key, at: Date.now(), models };
    }
    return this.listed.models;
  }
}

/**
 * What the pickers offer: the model in use first, then the configured model and fallbacks, then what
 * the gateway lists; the profiles loaded for this workspace. A chosen model the lists do not name is
 * still offered (it is what runs use). The model in use is a run's: the chosen one, else the
 * profile's, else the configured one (assembleRun's rule).
 */
export function pickerView(input: { configuredModel: string; fallbacks: readonly string[]; listed: readonly string[]; profiles: readonly { name: string; description: string; model?: string }[]; settingsProfile: string; choice: Choice }): PickerView {
  const profile = input.choice.profile ?? input.settingsProfile;
  const model = input.choice.model ?? input.profiles.find((p) => p.name === profile)?.model ?? input.configuredModel;
  const models = [...new Set([model, input.configuredModel, ...input.fallbacks, ...input.listed].filter((m) => m !== ''))];
  const profiles = input.profiles.some((p) => p.name === profile) ? [...input.profiles] : [{ name: profile, description: 'not found in this workspace' }, ...input.profiles];
  return { model, models, profile, profiles: profiles.map((p) => ({ name: p.name, description: p.description })) };
}

/** The pickers for the current settings: the workspace's profiles and the gateway's models (cached). */
export async function loadPicker(input: { settings: ExtensionSettings; gateway: GatewayChoice | undefined; key: string | undefined; root: string | undefined; choices: ChoiceHost; log(line: string): void }): Promise<PickerView> {
  const { settings, gateway, choices } = input;
  const [{ loadProfiles }, { gatewayProbe }] = await Promise.all([import('../../core/profiles/loadProfiles'), import('../../adapters/gateway/gatewayFactory')]);
  const profiles = (await loadProfiles(input.root)).profiles.map((p) => ({ name: p.profile.name, description: p.profile.description, ...(p.profile.model ? { model: p.profile.model } : {}) }));
  const listed = gateway
    ? await choices.gatewayModels(`${gateway.protocol}|${gateway.url}|${JSON.stringify(gateway.headers)}`, async () => (await (await gatewayProbe({ url: gateway.url, protocol: gateway.protocol, model: gateway.model, headers: gateway.headers }, input.key)).listModels?.()) ?? [], input.log)
    : [];
  return pickerView({ configuredModel: gateway?.model ?? '', fallbacks: settings['gateway.fallbackModels'], listed, profiles, settingsProfile: settings.profile, choice: choices.get() });
}
