import * as vscode from 'vscode';
import type { AgentController } from './agentController';
import type { ReviewFeature } from './review/reviewFeature';
import { COMMANDS, PROPOSED_SCHEME, VIEW_ID } from './commandTable';
import { createCommands } from './commands/createCommands';
import { DiffReview } from './diffReview';
import { SidePanelProvider } from './sidePanel';
import { createStatusBar } from './statusBar';
import { FixWithAgentActions } from './fixCodeAction';
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
        governedModel: async (root) => (await getController()).governedModel({ kind: 'review', profile: 'reviewer' }, root),
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

  const commands = createCommands({
    context,
    log,
    review,
    team,
    getController,
    reviews: { get: getReviews, loaded: async () => reviews },
  });

  context.subscriptions.push(
    log,
    review,
    status.item,
    ...COMMANDS.map((c) => vscode.commands.registerCommand(c.id, commands[c.id])),
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
