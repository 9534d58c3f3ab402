import * as vscode from 'vscode';

/** The SecretStorage key of the gateway key. The key is never written to settings or logs. */
export const GATEWAY_KEY_SECRET = 'agentHarness.gatewayKey';

export async function setGatewayKey(secrets: vscode.SecretStorage): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Agent Harness: Gateway Key'),
    prompt: vscode.l10n.t('The API key for your model gateway. It is kept in VS Code\'s secret storage, never in settings.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
  });
  if (key === undefined) return;
  await secrets.store(GATEWAY_KEY_SECRET, key.trim());
  void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: gateway key saved in secret storage.'));
}

export async function clearGatewayKey(secrets: vscode.SecretStorage): Promise<void> {
  await secrets.delete(GATEWAY_KEY_SECRET);
  const env = process.env.AGENT_HARNESS_API_KEY ? ' AGENT_HARNESS_API_KEY from the environment is still used.' : '';
  void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: gateway key removed.{0}', env));
}
