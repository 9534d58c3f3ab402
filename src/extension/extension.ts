import * as vscode from 'vscode';
import type { AgentController } from './agentController';
import type { CodeReviewFeature } from './codeReview/codeReviewFeature';
import { COMMANDS, LEGACY_COMMAND_IDS, PROPOSED_SCHEME, VIEW_ID } from './commands/commandTable';
import { createCommands } from './commands/createCommands';
import { ProposalsView } from './proposals/proposalsView';
import { SidePanelProvider } from './panel/sidePanel';
import { createStatusBar } from './panel/statusBar';
import { FixWithAgentActions } from './commands/fixCodeAction';
import { TEAM_RESULT_SCHEME, TEAM_VIEW_ID, TeamRunsView, teamDatabaseUrl } from './team/teamRunsView';

/**
 * Registers the commands, the side panel, the proposals view's providers and the status bar, and nothing
 * else: no file, network or process I/O happens here, so activation stays cheap. The controller, the
 * core and the SDKs load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Agent Harness');
  const proposals = new ProposalsView(() => vscode.workspace.workspaceFolders?.[0]?.uri);
  proposals.onDidChangePending((files) => void vscode.commands.executeCommand('setContext', 'agentHarness.proposalsPending', files.length > 0));
  const status = createStatusBar();
  let controller: Promise<AgentController> | undefined;
  const getController = (): Promise<AgentController> =>
    (controller ??= import('./features').then(({ AgentController }) => {
      const c = new AgentController(context, proposals, log);
      context.subscriptions.push(c);
      c.onState((s) => status.update(s));
      return c;
    }));

  // The code review (issue 7) loads on its first use, like the controller; its comments need no controller.
  let reviews: Promise<CodeReviewFeature> | undefined;
  const getReviews = (): Promise<CodeReviewFeature> =>
    (reviews ??= import('./features').then(({ CodeReviewFeature }) => {
      const f = new CodeReviewFeature({
        context,
        proposals,
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
    proposals,
    team,
    getController,
    reviews: { get: getReviews, loaded: async () => reviews },
  });

  context.subscriptions.push(
    log,
    proposals,
    status.item,
    ...COMMANDS.map((c) => vscode.commands.registerCommand(c.id, commands[c.id])),
    // Ids from before edit review was called proposals and the diff review code review: keybindings people made still work.
    ...Object.entries(LEGACY_COMMAND_IDS).map(([old, id]) => vscode.commands.registerCommand(old, commands[id])),
    vscode.window.registerWebviewViewProvider(VIEW_ID, new SidePanelProvider(context.extensionUri, async (view) => (await getController()).attachView(view)), {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, proposals),
    team,
    teamTree,
    vscode.workspace.registerTextDocumentContentProvider(TEAM_RESULT_SCHEME, team),
    vscode.languages.registerCodeLensProvider({ scheme: PROPOSED_SCHEME }, proposals),
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
