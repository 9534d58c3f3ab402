import * as vscode from 'vscode';
import type { TeamRunRow } from '../../adapters/team/teamStore';
import type { TeamRunsBackend } from './teamRunsBackend';

export const TEAM_VIEW_ID = 'agentHarness.teamRuns';
export const TEAM_RESULT_SCHEME = 'agent-harness-team';
const REFRESH_MS = 5_000;

type Node = { kind: 'run'; run: TeamRunRow } | { kind: 'approval'; run: TeamRunRow; callId: string; summary: string; reasons: string[] };

/** The team database the window is pointed at: the setting, else AGENT_HARNESS_DATABASE_URL; a password in it is refused. */
export function teamDatabaseUrl(): { url?: string; problem?: string } {
  const setting = vscode.workspace.getConfiguration('agentHarness').get<string>('team.databaseUrl', '').trim();
  const url = setting || process.env.AGENT_HARNESS_DATABASE_URL || '';
  if (!url) return {};
  try {
    if (setting && new URL(setting).password) return { problem: 'agentHarness.team.databaseUrl holds a password; settings are plain text: remove it and use PGPASSWORD or ~/.pgpass' };
  } catch {
    return { problem: 'agentHarness.team.databaseUrl is not a URL (postgres://USER@HOST:PORT/DATABASE)' };
  }
  return { url };
}

/**
 * "Team Runs": the team's runs from the shared database (state, team, worker, usage), each pending
 * approval under its run with Approve / Reject, and a finished run's proposed patch as a diff document.
 * Refreshed every few seconds while visible; nothing here runs an agent.
 */
export class TeamRunsView implements vscode.TreeDataProvider<Node>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private backend?: Promise<TeamRunsBackend>;
  private backendUrl?: string;
  private timer?: ReturnType<typeof setInterval>;
  private readonly results = new Map<string, string>();
  view?: vscode.TreeView<Node>;

  constructor(private readonly log: vscode.OutputChannel) {}

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    view.onDidChangeVisibility((e) => this.poll(e.visible));
    this.poll(view.visible);
  }

  private poll(on: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = on ? setInterval(() => this.refresh(), REFRESH_MS) : undefined;
    // Never what keeps a process alive (a plain-Node host measuring activation, a test).
    this.timer?.unref?.();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private async open(): Promise<TeamRunsBackend> {
    const { url, problem } = teamDatabaseUrl();
    if (problem) throw new Error(problem);
    if (!url) throw new Error('no team database configured (agentHarness.team.databaseUrl or AGENT_HARNESS_DATABASE_URL)');
    if (this.backend && this.backendUrl === url) return this.backend;
    void this.backend?.then((b) => b.close()).catch(() => undefined);
    this.backendUrl = url;
    this.backend = import('./teamRunsBackend').then((m) => m.openTeamBackend(url));
    this.backend.catch(() => (this.backend = undefined));
    return this.backend;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'approval') return [];
    if (node?.kind === 'run') return node.run.pendingApprovals.map((a) => ({ kind: 'approval', run: node.run, callId: a.callId, summary: a.summary, reasons: a.reasons }));
    try {
      const runs = await (await this.open()).list();
      if (this.view) this.view.message = runs.length === 0 ? 'No team runs yet: agent-harness team submit' : undefined;
      const waiting = runs.filter((r) => r.pendingApprovals.length > 0).length;
      if (this.view) this.view.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} team run${waiting === 1 ? '' : 's'} waiting for approval` } : undefined;
      return runs.map((run) => ({ kind: 'run', run }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (this.view) this.view.message = message;
      this.log.appendLine(`[team] ${message}`);
      return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'approval') {
      const item = new vscode.TreeItem(node.summary, vscode.TreeItemCollapsibleState.None);
      item.description = node.callId;
      item.tooltip = node.reasons.join('\n');
      item.contextValue = 'teamApproval';
      item.iconPath = new vscode.ThemeIcon('shield');
      return item;
    }
    const r = node.run;
    const item = new vscode.TreeItem(r.task, r.pendingApprovals.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = r.runId;
    item.description = `${r.state}${r.pendingApprovals.length ? ` · ${r.pendingApprovals.length} to approve` : ''} · ${r.team}${r.worker ? ` · ${r.worker}` : ''}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${r.state}** — run \`${r.runId}\``, `team ${r.team}, worker ${r.worker ?? '-'}`, `${r.repo}${r.ref ? ` @ ${r.ref}` : ''}`, `${r.usage.calls} model calls, ${r.usage.inputTokens + r.usage.outputTokens} tokens`, r.error ? `error: ${r.error}` : ''].filter(Boolean).join('\n\n'),
    );
    item.iconPath = new vscode.ThemeIcon(ICONS[r.state] ?? 'circle-outline');
    item.contextValue = FINISHED.has(r.state) ? 'teamRunFinished' : 'teamRun';
    if (FINISHED.has(r.state)) item.command = { command: 'agentHarness.team.openResult', title: vscode.l10n.t('Open Result'), arguments: [node] };
    return item;
  }

  /** Opens the run's answer and proposed patch as a diff document. */
  async openResult(node: unknown): Promise<void> {
    const runId = runIdOf(node);
    if (!runId) return;
    try {
      const { row, result } = await (await this.open()).result(runId);
      if (!result) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: run {0} has no result yet ({1}).', runId, row.state));
      const header = [`# Team run ${runId} (${row.team}): ${result.status}${result.error ? ` — ${result.error}` : ''}`, ...result.output.split('\n').map((l) => `# ${l}`), `# files changed: ${result.filesChanged.join(', ') || 'none'}`, `# commands run: ${result.commandsRun.join('; ') || 'none'}`, '#'];
      const uri = vscode.Uri.from({ scheme: TEAM_RESULT_SCHEME, path: `/${runId}.diff` });
      this.results.set(uri.toString(), `${header.join('\n')}\n${result.patch || '# (no changes)\n'}`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'diff');
      await vscode.window.showTextDocument(doc, { preview: true });
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Agent Harness: {0}', e instanceof Error ? e.message : String(e)));
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.results.get(uri.toString()) ?? '';
  }

  async decide(node: unknown, approve: boolean): Promise<void> {
    if (!isApproval(node)) return;
    let reason: string | undefined;
    if (!approve) {
      reason = await vscode.window.showInputBox({ title: `Reject ${node.summary}`, prompt: vscode.l10n.t('Why? (optional; the agent is told)'), ignoreFocusOut: true });
      if (reason === undefined) return;
    }
    try {
      await (await this.open()).decide(node.run.runId, node.callId, approve, reason?.trim() || undefined);
      this.log.appendLine(`[team] ${approve ? 'approved' : 'rejected'} ${node.callId} in run ${node.run.runId}`);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Agent Harness: {0}', e instanceof Error ? e.message : String(e)));
    }
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.changed.dispose();
    void this.backend?.then((b) => b.close()).catch(() => undefined);
  }
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const ICONS: Record<string, string> = { queued: 'clock', running: 'sync', waiting: 'bell', completed: 'pass', failed: 'error', cancelled: 'circle-slash' };

function isApproval(n: unknown): n is Extract<Node, { kind: 'approval' }> {
  return typeof n === 'object' && n !== null && (n as Node).kind === 'approval';
}

function runIdOf(n: unknown): string | undefined {
  if (typeof n === 'string') return n;
  if (typeof n === 'object' && n !== null && 'run' in n) return (n as Node).run.runId;
  return undefined;
}
