import * as vscode from 'vscode';
import type { AgentController } from './agentController';
import type { ReviewFeature } from './review/reviewFeature';
import { COMMANDS, PROPOSED_SCHEME, VIEW_ID, type CommandId } from './commandTable';
import { DiffReview } from './diffReview';
import { clearGatewayKey, setGatewayKey } from './gatewayKey';
import { SidePanelProvider } from './sidePanel';
import { createStatusBar } from './statusBar';
import { diagnosticsAt, FixWithAgentActions } from './fixCodeAction';
import { fixProblemsTask, writeTestsTask } from './taskPrompts';
import { TEAM_RESULT_SCHEME, TEAM_VIEW_ID, TeamRunsView, teamDatabaseUrl } from './team/teamRunsView';

/**
 * Registers the commands, the side panel, the diff-review providers and the status bar, and nothing
 * else: no file, network or process I/O happens here, so activation stays cheap. The controller, the
 * core and the SDKs load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Agent Harness');
  const review = new DiffReview(() => vscode.workspace.workspaceFolders?.[0]?.uri);
  review.onDidChangePending((files) => void vscode.commands.executeCommand('setContext', 'agentHarness.reviewPending', files.length > 0));
  const status = createStatusBar();
  let controller: Promise<AgentController> | undefined;
  const getController = (): Promise<AgentController> =>
    (controller ??= import('./features').then(({ AgentController }) => {
      const c = new AgentController(context, review, log);
      context.subscriptions.push(c);
      c.onState((s) => status.update(s));
      return c;
    }));

  // The code review (issue 7) loads on its first use, like the controller; its comments need no controller.
  let reviews: Promise<ReviewFeature> | undefined;
  const getReviews = (): Promise<ReviewFeature> =>
    (reviews ??= import('./features').then(({ ReviewFeature }) => {
      const f = new ReviewFeature({
        context,
        diffReview: review,
        log,
        panel: (a) => void getController().then((c) => c.dispatch(a)),
        governedModel: async () => (await getController()).governedModel({ kind: 'review', profile: 'reviewer' }),
      });
      context.subscriptions.push(f);
      return f;
    }));

  // Team Runs (issue 19): shown when a team database is configured; DBOS and pg load on first use.
  const team = new TeamRunsView(log);
  const teamTree = vscode.window.createTreeView(TEAM_VIEW_ID, { treeDataProvider: team, showCollapseAll: false });
  team.attach(teamTree);
  const teamContext = () => void vscode.commands.executeCommand('setContext', 'agentHarness.teamConfigured', teamDatabaseUrl().url !== undefined || teamDatabaseUrl().problem !== undefined);
  teamContext();

  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
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
    'agentHarness.reviewDiff': async () => (await getReviews()).run(),
    'agentHarness.clearReviewComments': async () => (await reviews)?.clear(),
    'agentHarness.reviewComment.resolve': async (arg) => (await reviews)?.resolve(arg),
    'agentHarness.reviewComment.applySuggestion': async (arg) => (await reviews)?.applySuggestion(arg),
    'agentHarness.openPanel': () => vscode.commands.executeCommand(`${VIEW_ID}.focus`),
    'agentHarness.stopRun': async () => (await getController()).stop(),
    'agentHarness.newChat': async () => (await getController()).newChat(),
    'agentHarness.focusInput': async () => (await getController()).reveal({ type: 'focus', target: 'input' }),
    'agentHarness.showHistory': async () => (await getController()).reveal({ type: 'showHistory' }),
    'agentHarness.showPendingChanges': () => review.show() || void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: no proposed changes are waiting for review.')),
    'agentHarness.approveWaiting': async () => (await getController()).decideWaiting(true),
    'agentHarness.rejectWaiting': async () => (await getController()).decideWaiting(false),
    'agentHarness.setGatewayKey': () => setGatewayKey(context.secrets),
    'agentHarness.chooseProvider': async () => (await import('./features')).chooseProvider(context.secrets),
    'agentHarness.testConnection': async () => {
      const [c, { testConnection }] = await Promise.all([getController(), import('./features')]);
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
      const { undoLastRun } = await import('./features');
      await undoLastRun(c.checkpointDir(), c.lastRunId(), c.isRunning);
    },
    'agentHarness.showRunLog': () => log.show(true),
    'agentHarness.runEvalSuite': async () => {
      const { runEvalSuiteCommand } = await import('./evalFeature');
      await runEvalSuiteCommand(context, await getController(), log);
    },
    'agentHarness.review.approveFile': (key) => decideFile(review, key, true),
    'agentHarness.review.rejectFile': async (key) => {
      const k = typeof key === 'string' ? key : review.activeKey();
      if (!k) return;
      const reason = await vscode.window.showInputBox({ title: vscode.l10n.t('Reject this file'), prompt: vscode.l10n.t('Why? (optional; the agent is told)'), ignoreFocusOut: true });
      if (reason === undefined) return;
      review.decideFile(k, false, reason.trim() || undefined);
    },
    'agentHarness.review.approveAll': () => review.decideAll(true),
    'agentHarness.review.rejectAll': () => review.decideAll(false),
    'agentHarness.team.refresh': () => team.refresh(),
    'agentHarness.team.openResult': (node) => team.openResult(node),
    'agentHarness.team.approve': (node) => team.decide(node, true),
    'agentHarness.team.reject': (node) => team.decide(node, false),
    'agentHarness.review.approveHunk': (key, index) => typeof key === 'string' && typeof index === 'number' && review.decideHunk(key, index, true),
    'agentHarness.review.rejectHunk': (key, index) => typeof key === 'string' && typeof index === 'number' && review.decideHunk(key, index, false),
  };

  context.subscriptions.push(
    log,
    review,
    status.item,
    ...COMMANDS.map((c) => vscode.commands.registerCommand(c.id, handlers[c.id])),
    vscode.window.registerWebviewViewProvider(VIEW_ID, new SidePanelProvider(context.extensionUri, async (view) => (await getController()).attachView(view)), {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, review),
    team,
    teamTree,
    vscode.workspace.registerTextDocumentContentProvider(TEAM_RESULT_SCHEME, team),
    vscode.languages.registerCodeLensProvider({ scheme: PROPOSED_SCHEME }, review),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new FixWithAgentActions(), { providedCodeActionKinds: FixWithAgentActions.kinds }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void controller?.then((c) => c.refreshEnvironment())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('agentHarness')) void controller?.then((c) => c.refreshEnvironment());
      if (e.affectsConfiguration('agentHarness.team')) {
        teamContext();
        team.refresh();
      }
    }),
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}

function decideFile(review: DiffReview, key: unknown, approve: boolean): void {
  const k = typeof key === 'string' ? key : review.activeKey();
  if (k) review.decideFile(k, approve);
}

function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
