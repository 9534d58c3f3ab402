import * as vscode from 'vscode';
import type { AgentController } from '../agentController';
import type { CodeReviewFeature } from '../codeReview/codeReviewFeature';
import type { ProposalsView } from '../proposals/proposalsView';
import type { TeamRunsView } from '../team/teamRunsView';
import { VIEW_ID, type CommandId } from './commandTable';
import { clearGatewayKey, setGatewayKey } from '../gateway/gatewayKey';
import { diagnosticsAt } from './fixCodeAction';
import { fixProblemsTask, writeTestsTask } from '../run/taskPrompts';

/** What the command handlers use: the window's parts, and the features that load on first use. */
export interface CommandContext {
  context: vscode.ExtensionContext;
  log: vscode.OutputChannel;
  proposals: ProposalsView;
  team: TeamRunsView;
  getController(): Promise<AgentController>;
  /** The code review: `get` loads it, `loaded` only answers when it is loaded already (its comments exist only then). */
  reviews: { get(): Promise<CodeReviewFeature>; loaded(): Promise<CodeReviewFeature | undefined> };
}

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * The handler of every command in the command table (commandTable.ts), keyed by its id: the record's
 * type makes a command without a handler, or a handler without a command, a compile error. Handlers
 * load the controller or the code review on first use, so activation stays cheap.
 */
export function createCommands(ctx: CommandContext): Record<CommandId, CommandHandler> {
  const { context, log, proposals, team, getController, reviews } = ctx;
  return {
    'agentHarness.runTask': async () => {
      const task = await vscode.window.showInputBox({ title: vscode.l10n.t('Agent Harness: Run Task'), prompt: vscode.l10n.t('What should the agent do in this workspace?'), ignoreFocusOut: true });
      if (task?.trim()) await (await getController()).run({ task: task.trim(), withProgress: true });
    },
    'agentHarness.addSelectionToChat': async () => (await getController()).addSelectionToChat(),
    'agentHarness.askAboutSelection': async () => (await getController()).addSelectionToChat(),
    'agentHarness.fixProblems': async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: open a file with problems first.'));
      const diags = diagnosticsAt(editor.document.uri);
      if (diags.length === 0) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: this file has no problems to fix.'));
      await (await getController()).run({ ...fixProblemsTask(relativePath(editor.document.uri), diags), withProgress: true });
    },
    'agentHarness.fixWithAgent': async (uri, lines) => {
      if (!(uri instanceof vscode.Uri)) return;
      const diags = diagnosticsAt(uri, Array.isArray(lines) ? lines.filter((l): l is number => typeof l === 'number') : undefined);
      if (diags.length > 0) await (await getController()).run({ ...fixProblemsTask(relativePath(uri), diags), withProgress: true });
    },
    'agentHarness.writeTests': async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: open the file to write tests for first.'));
      await (await getController()).run({ ...writeTestsTask(relativePath(editor.document.uri)), withProgress: true });
    },
    'agentHarness.codeReview.run': async () => (await reviews.get()).run(),
    'agentHarness.codeReview.clearComments': async () => (await reviews.loaded())?.clear(),
    'agentHarness.codeReview.resolve': async (arg) => (await reviews.loaded())?.resolve(arg),
    'agentHarness.codeReview.applySuggestion': async (arg) => (await reviews.loaded())?.applySuggestion(arg),
    'agentHarness.openPanel': () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
    'agentHarness.stopRun': async () => (await getController()).stop(),
    'agentHarness.newChat': async () => (await getController()).newChat(),
    'agentHarness.focusInput': async () => (await getController()).reveal({ type: 'focus', target: 'input' }),
    'agentHarness.showHistory': async () => (await getController()).reveal({ type: 'showHistory' }),
    'agentHarness.showPendingChanges': () => proposals.show() || void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: no proposed changes are waiting for review.')),
    'agentHarness.approveWaiting': async () => (await getController()).decideWaiting(true),
    'agentHarness.rejectWaiting': async () => (await getController()).decideWaiting(false),
    'agentHarness.setGatewayKey': () => setGatewayKey(context.secrets),
    'agentHarness.chooseProvider': async () => (await import('../features')).chooseProvider(context.secrets),
    'agentHarness.testConnection': async () => {
      const [c, { testConnection }] = await Promise.all([getController(), import('../features')]);
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Agent Harness: testing the gateway connection…') }, () =>
        testConnection(async () => {
          const { gateway, key } = await c.runInputs();
          return { ...gateway, key };
        }),
      );
      if (r.ok) void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', r.message));
      else void vscode.window.showErrorMessage(vscode.l10n.t('Agent Harness: {0}', r.message));
      return r;
    },
    'agentHarness.clearGatewayKey': () => clearGatewayKey(context.secrets),
    'agentHarness.undoLastRun': async () => {
      const c = await getController();
      const { undoLastRun } = await import('../features');
      await undoLastRun(c.checkpointDir(), c.lastRunId(), c.isRunning);
    },
    'agentHarness.showRunLog': () => log.show(true),
    'agentHarness.runEvalSuite': async () => {
      const { runEvalSuiteCommand } = await import('../run/evalFeature');
      await runEvalSuiteCommand(context, await getController(), log);
    },
    'agentHarness.proposals.approveFile': (key) => decideFile(proposals, key, true),
    'agentHarness.proposals.rejectFile': async (key) => {
      const k = typeof key === 'string' ? key : proposals.activeKey();
      if (!k) return;
      const reason = await vscode.window.showInputBox({ title: vscode.l10n.t('Reject this file'), prompt: vscode.l10n.t('Why? (optional; the agent is told)'), ignoreFocusOut: true });
      if (reason === undefined) return;
      proposals.decideFile(k, false, reason.trim() || undefined);
    },
    'agentHarness.proposals.approveAll': () => proposals.decideAll(true),
    'agentHarness.proposals.rejectAll': () => proposals.decideAll(false),
    'agentHarness.team.refresh': () => team.refresh(),
    'agentHarness.team.openResult': (node) => team.openResult(node),
    'agentHarness.team.approve': (node) => team.decide(node, true),
    'agentHarness.team.reject': (node) => team.decide(node, false),
    'agentHarness.proposals.approveHunk': (key, index) => typeof key === 'string' && typeof index === 'number' && proposals.decideHunk(key, index, true),
    'agentHarness.proposals.rejectHunk': (key, index) => typeof key === 'string' && typeof index === 'number' && proposals.decideHunk(key, index, false),
  };

}

function decideFile(proposals: ProposalsView, key: unknown, approve: boolean): void {
  const k = typeof key === 'string' ? key : proposals.activeKey();
  if (k) proposals.decideFile(k, approve);
}

function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
