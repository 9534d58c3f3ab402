import * as vscode from 'vscode';
import type { Redactor } from '../../core/trace/redact';
import type { Blocker, PickerView } from '../../shared/panelState';
import { loadPicker, type ChoiceHost } from '../panel/choices';
import { parseSettings, resolveGateway, unionOfScopes, SettingsError, type ExtensionSettings, type GatewayChoice, type SettingKey } from './extensionSettings';
import { GATEWAY_KEY_SECRET } from './gatewayKey';

/** What a run in this window would use now: settings, the gateway with the panel's choice applied, the key. */
export interface RunInputs {
  settings: ExtensionSettings;
  gateway: GatewayChoice;
  key: string | undefined;
  /** The model picked in the panel, if any: it wins over the profile's (gateway.model already holds it). */
  pickedModel?: string;
}

/**
 * The window's configuration as the controller reads it: the settings (a bad value is a SettingsError
 * naming it), the gateway they choose with the panel's model and profile choice applied, the key from
 * SecretStorage or the environment (added to the redactor as soon as it is read), and what blocks the
 * agent here (no folder, an untrusted workspace, no gateway).
 */
export class WindowConfig {
  private cachedKey: Promise<string | undefined> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly redactor: () => Redactor,
    readonly choices: ChoiceHost,
  ) {}

  settings(): ExtensionSettings {
    const cfg = vscode.workspace.getConfiguration('agentHarness');
    return parseSettings((k: SettingKey) => (k === 'commands.denied' ? unionOfScopes(cfg.inspect(k)) : cfg.get(k)));
  }

  gateway(settings: ExtensionSettings = this.settings()) {
    return resolveGateway(settings, process.env, protocolSetExplicitly());
  }

  /** The key, read from SecretStorage once (a round trip to the main process) and again after it changes. */
  async key(): Promise<string | undefined> {
    this.cachedKey ??= Promise.resolve(this.secrets.get(GATEWAY_KEY_SECRET)).then(
      (k) => k || process.env.AGENT_HARNESS_API_KEY || undefined,
      () => process.env.AGENT_HARNESS_API_KEY || undefined,
    );
    const key = await this.cachedKey;
    this.redactor().addSecret(key);
    return key;
  }

  /** The stored key changed (Set / Clear Gateway Key, another window): read it again next time. */
  keyChanged(): void {
    this.cachedKey = undefined;
  }

  /** The settings and gateway with the panel's model and profile choice applied (choices.ts). */
  async runInputs(): Promise<RunInputs> {
    const raw = this.settings();
    const gw = this.gateway(raw);
    if (!gw.ok) throw new SettingsError(gw.message);
    const { settings, gateway } = this.choices.apply(raw, gw.gateway);
    const picked = this.choices.get().model;
    return { settings, gateway, key: await this.key(), ...(picked ? { pickedModel: picked } : {}) };
  }

  /** What blocks the agent here, and the model the header shows. */
  environment(): { blockers: Blocker[]; model?: string } {
    const blockers: Blocker[] = [];
    if (!vscode.workspace.workspaceFolders?.length) blockers.push({ kind: 'no-workspace', message: 'Open a folder: the agent works on the files of a workspace folder.' });
    if (!vscode.workspace.isTrusted) {
      blockers.push({ kind: 'untrusted', message: 'This workspace is not trusted, so the agent can read files and answer questions but cannot write files or run commands. Trust the workspace to let it make changes.' });
    }
    let model: string | undefined;
    try {
      const g = this.gateway();
      if (!g.ok) blockers.push({ kind: 'no-gateway', message: g.message });
      else model = this.choices.apply({ profile: '' }, g.gateway).gateway.model;
    } catch (e) {
      blockers.push({ kind: 'no-gateway', message: e instanceof Error ? e.message : String(e) });
    }
    return { blockers, ...(model ? { model } : {}) };
  }

  /** The header's pickers: profiles of this workspace (built-in only when it is not trusted) and the gateway's models. */
  async picker(log: (line: string) => void): Promise<PickerView> {
    const settings = this.settings();
    const g = this.gateway(settings);
    const root = vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath : undefined;
    return loadPicker({ settings, gateway: g.ok ? g.gateway : undefined, key: await this.key(), root, choices: this.choices, log });
  }

  notificationsEnabled(): boolean {
    return vscode.workspace.getConfiguration('agentHarness').get<unknown>('notifications.enabled', true) !== false;
  }
}

/** A protocol in the user's or workspace's settings wins over AGENT_HARNESS_PROTOCOL; the default does not. */
function protocolSetExplicitly(): boolean {
  const i = vscode.workspace.getConfiguration('agentHarness').inspect('gateway.protocol');
  return i?.globalValue !== undefined || i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
}
