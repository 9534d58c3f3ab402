import * as vscode from 'vscode';

/**
 * Registers commands only; no I/O happens here so activation stays cheap. The full UI (side panel,
 * diff review, tasks) is composed in a later step.
 */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('agentHarness.hello', () => {
      void vscode.window.showInformationMessage('Agent Harness is installed. The side panel and tasks arrive in the next release.');
    }),
  );
}

export function deactivate(): void {
  // Nothing to release yet.
}
