import * as vscode from 'vscode';
import { setGatewayKey } from '../gateway/gatewayKey';
import { PROVIDER_PRESETS, type ProviderPreset } from './providerPresets';

/**
 * The first-run walkthrough's actions: choose a provider (it fills the gateway URL, protocol and model
 * in the user settings, after asking before it replaces values already there), and Test Connection.
 */
export async function chooseProvider(secrets: vscode.SecretStorage): Promise<boolean> {
  const pick = await vscode.window.showQuickPick(
    PROVIDER_PRESETS.map((p) => ({ label: p.label, detail: p.detail, preset: p })),
    { title: vscode.l10n.t('Agent Harness: Choose a Model Provider'), placeHolder: vscode.l10n.t('Where should model calls go?'), ignoreFocusOut: true },
  );
  if (!pick) return false;
  const chosen = await completePreset(pick.preset);
  if (!chosen) return false;
  const cfg = vscode.workspace.getConfiguration('agentHarness');
  const current = { url: cfg.inspect<string>('gateway.url')?.globalValue, model: cfg.inspect<string>('gateway.model')?.globalValue };
  if ((current.url && current.url !== chosen.url) || (current.model && current.model !== chosen.model)) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: your settings already name {0} with model {1}. Replace them with {2}?', current.url ?? '(no URL)', current.model ?? '(none)', chosen.label), { modal: true }, replace);
    if (answer !== replace) return false;
  }
  await cfg.update('gateway.url', chosen.url, vscode.ConfigurationTarget.Global);
  await cfg.update('gateway.protocol', chosen.protocol, vscode.ConfigurationTarget.Global);
  await cfg.update('gateway.model', chosen.model, vscode.ConfigurationTarget.Global);
  if (chosen.needsKey) {
    const set = 'Set Key Now';
    if ((await vscode.window.showInformationMessage(`Agent Harness: ${chosen.label} is set up. It needs a key, kept in VS Code's secret storage.`, set)) === set) await setGatewayKey(secrets);
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0} is set up. Run "Agent Harness: Test Gateway Connection" to check it.', chosen.label));
  }
  return true;
}

/** A company gateway asks for its URL, protocol and model; the others may change the model. */
async function completePreset(p: ProviderPreset): Promise<(ProviderPreset & { url: string }) | undefined> {
  let url = p.url;
  let protocol = p.protocol;
  if (!url) {
    url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Company gateway URL'),
      prompt: vscode.l10n.t('The API base URL, e.g. https://llm.example.com/v1'),
      ignoreFocusOut: true,
      validateInput: (v) => (/^https?:\/\//i.test(v.trim()) && URL.canParse(v.trim()) ? undefined : 'An http(s) URL'),
    });
    if (!url) return undefined;
    const proto = await vscode.window.showQuickPick(
      [
        { label: 'OpenAI-compatible', protocol: 'openai' as const },
        { label: 'Anthropic messages', protocol: 'anthropic' as const },
      ],
      { title: vscode.l10n.t('Which protocol does the gateway speak?'), ignoreFocusOut: true },
    );
    if (!proto) return undefined;
    protocol = proto.protocol;
  }
  const model = await vscode.window.showInputBox({ title: `${p.label}: model`, value: p.model, prompt: vscode.l10n.t('The model name the gateway expects'), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A model name') });
  if (!model) return undefined;
  return { ...p, url: url.trim(), protocol, model: model.trim() };
}
