import * as vscode from 'vscode';

/**
 * "Fix with Agent Harness" on a problem, in the editor's light bulb: a quick fix that starts a task for
 * the problems under the cursor. Cheap at activation: it only builds an action per request.
 */
export class FixWithAgentActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.diagnostics.length === 0 || doc.uri.scheme !== 'file') return [];
    const action = new vscode.CodeAction('Fix with Agent Harness', vscode.CodeActionKind.QuickFix);
    action.diagnostics = [...context.diagnostics];
    action.command = { command: 'agentHarness.fixWithAgent', title: vscode.l10n.t('Fix with Agent Harness'), arguments: [doc.uri, context.diagnostics.map((d) => d.range.start.line)] };
    return [action];
  }
}

/** The diagnostics of a file at the given lines (all of them when no line is given), as the task wants them. */
export function diagnosticsAt(uri: vscode.Uri, lines?: readonly number[]) {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => !lines || lines.includes(d.range.start.line))
    .map((d) => ({ line: d.range.start.line + 1, severity: vscode.DiagnosticSeverity[d.severity], message: d.message, source: d.source }));
}
