import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { DiffSelection } from '../../core/codeReview/gitPort';
import type { ReviewResult } from '../../core/codeReview/reviewSchema';
import type { ProposalsView } from '../proposals/proposalsView';
import { parseSettings, resolveGateway, unionOfScopes, type SettingKey } from '../gateway/extensionSettings';
import type { PanelAction } from '../panel/panelReducer';
import type { ModelClient } from '../../core/model/modelClient';
import type { EventSink } from '../../core/agent/events';
import type { UsageTotals } from '../../core/model/usage';
import { CodeReviewComments } from './codeReviewComments';
import { baseRefProblem, defaultBaseRef, DIFF_CHOICES, doneMessage, progressMessage, reviewSummaryItem, selectionFor } from './codeReviewViewModel';

export interface CodeReviewFeatureDeps {
  context: vscode.ExtensionContext;
  /** The extension's diff review for edits: Apply Suggestion goes through it like any agent edit. */
  proposals: ProposalsView;
  log: vscode.OutputChannel;
  /** Puts the summary card (or a notice) into the side panel. */
  panel(action: PanelAction): void;
  /** The window's governed model client (ledger, budgets, fallbacks, traces), labelled as a review. */
  governedModel(root: string): Promise<{ model: ModelClient; sinks: EventSink[]; done(usage: UsageTotals | undefined): Promise<void> }>;
}

/** The slice of the built-in git extension's API used here: the upstream of the checked-out branch. */
interface GitExtensionApi {
  getAPI(version: 1): { repositories: { rootUri: vscode.Uri; state: { HEAD?: { upstream?: { remote?: string; name?: string } } } }[] };
}

/**
 * Agent Harness: Review Current Diff, end to end: asks which diff, runs the core's review runbook with
 * a cancellable progress notification, then shows the comments in the editor and the Problems view
 * and the summary in the side panel. Also Resolve, Clear and Apply Suggestion for those comments.
 */
export class CodeReviewFeature implements vscode.Disposable {
  private readonly comments = new CodeReviewComments();
  private running: AbortController | undefined;
  private readonly alive = new AbortController();

  constructor(private readonly deps: CodeReviewFeatureDeps) {}

  async run(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: open a folder with a git repository to review its changes.'));
    // git reads the repository's own configuration, and some of it (core.fsmonitor, diff drivers) runs programs.
    if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: reviewing the diff runs git on this repository, so it needs a trusted workspace.'));
    if (this.running) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: a review is already running.'));
    const selection = await this.askSelection(folder.uri);
    if (!selection) return;
    const gateway = this.gatewaySettings();
    if (!gateway.ok) {
      const open = await vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', gateway.message), 'Open Settings');
      if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'agentHarness.gateway');
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Agent Harness review'), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort(new Error('the review was cancelled')));
          progress.report({ message: 'reading the diff…' });
          return this.review(folder.uri, selection, controller.signal, (message) => progress.report({ message }));
        },
      );
      this.comments.show(folder.uri, result);
      this.deps.panel({ type: 'review_summary', item: reviewSummaryItem(result, `review:${Date.now()}`) });
      this.deps.log.appendLine(`[${new Date().toISOString()}] review of ${result.diff.description}: ${result.recommendation}, ${result.comments.length} comment(s), $${result.usage.costUsd.toFixed(4)}`);
      for (const n of result.notes) this.deps.log.appendLine(`  note: ${n}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', doneMessage(result)));
    } catch (e) {
      await this.reportFailure(e, controller.signal);
    } finally {
      this.running = undefined;
    }
  }

  resolve(arg: unknown): void {
    this.comments.resolve(arg);
  }

  clear(): void {
    this.comments.clear();
  }

  /** Apply Suggestion: the suggestion becomes an edit proposal in the diff review; nothing is written without approval. */
  async applySuggestion(arg: unknown): Promise<void> {
    const found = this.comments.find(arg);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!found || !folder) return;
    if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: applying a suggestion writes a file, which needs a trusted workspace.'));
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === found.uri.toString());
    if (open?.isDirty) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0} has unsaved changes; save or revert them, then apply the suggestion.', found.comment.path));
    const root = folder.uri.fsPath;
    const [{ PathGuard }, { workspaceEditApplyPort, conflictBeforeReview }, { proposeSuggestion }] = await Promise.all([
      import('../../core/policy/pathGuard'),
      import('../proposals/workspaceApply'),
      import('./suggestionEdit'),
    ]);
    const guard = new PathGuard(root);
    const outcome = await proposeSuggestion(
      found.comment,
      {
        checkWrite: (p) => guard.check(p, 'write'),
        readText: (p) => readText(path.join(root, ...p.split('/'))),
        reviewFile: async (file, signal) => this.deps.proposals.present(file, signal ?? this.alive.signal, await conflictBeforeReview(root, file)),
        applyWith: workspaceEditApplyPort({ guard }),
      },
      this.alive.signal,
    );
    if (outcome.status === 'decided' && outcome.applied) {
      this.comments.resolve(found.thread);
      void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', outcome.message));
    } else {
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', outcome.message));
    }
  }

  private async askSelection(root: vscode.Uri): Promise<DiffSelection | undefined> {
    const pick = await vscode.window.showQuickPick(
      DIFF_CHOICES.map((c) => ({ ...c })),
      { title: vscode.l10n.t('Agent Harness: Review Current Diff'), placeHolder: vscode.l10n.t('Which changes should be reviewed?'), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    if (pick.choice !== 'branch') return selectionFor(pick.choice);
    const base = await vscode.window.showInputBox({
      title: vscode.l10n.t('Review the current branch against'),
      prompt: vscode.l10n.t('A branch, tag or commit; the review covers everything since the merge-base with it, including uncommitted work.'),
      value: defaultBaseRef(upstreamOf(root)),
      validateInput: (v) => baseRefProblem(v),
      ignoreFocusOut: true,
    });
    return base === undefined ? undefined : selectionFor('branch', base);
  }

  /** Whether a gateway is configured at all, to offer the settings before asking anything else. */
  private gatewaySettings(): { ok: true } | { ok: false; message: string } {
    try {
      const cfg = vscode.workspace.getConfiguration('agentHarness');
      const settings = parseSettings((k: SettingKey) => (k === 'commands.denied' ? unionOfScopes(cfg.inspect(k)) : cfg.get(k)));
      const i = cfg.inspect('gateway.protocol');
      const explicit = i?.globalValue !== undefined || i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
      const g = resolveGateway(settings, process.env, explicit);
      return g.ok ? { ok: true } : g;
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }

  private async review(root: vscode.Uri, selection: DiffSelection, signal: AbortSignal, report: (message: string) => void): Promise<ReviewResult> {
    // The core, git adapter and SDKs load on the first review, never at activation.
    const [{ runReview, ReviewError }, { GitCli }, { createTextSearcher }] = await Promise.all([
      import('../../core/codeReview/runReview'),
      import('../../adapters/git/gitCli'),
      import('../../adapters/search/ripgrepLocator'),
    ]);
    await this.confirmProtectedChanges(root.fsPath);
    // Governed like a run: in the ledger as a review, within the budgets, with fallbacks and traces.
    const governed = await this.deps.governedModel(root.fsPath);
    let usage: UsageTotals | undefined;
    try {
      const result = await runReview({
        root: root.fsPath,
        git: new GitCli({ cwd: root.fsPath }),
        selection,
        model: governed.model,
        builtinSkillsDir: path.join(this.deps.context.extensionPath, 'skills'),
        searcher: await createTextSearcher({ vscodeAppRoot: vscode.env.appRoot }),
        signal,
        sinks: [...governed.sinks, (e) => (e.type === 'tool_call_started' ? this.deps.log.appendLine(`  review → ${e.name} ${e.arguments.slice(0, 300)}`) : undefined)],
        onProgress: (p) => report(progressMessage(p)),
      });
      usage = result.usage;
      return result;
    } catch (e) {
      if (e instanceof ReviewError) usage = e.usage;
      throw e;
    } finally {
      await governed.done(usage);
    }
  }

  /**
   * Git runs on this machine. Where the agent's commands changed protected files (a planted hook, a
   * git directory), a person confirms first; the audit already put the files back.
   */
  private async confirmProtectedChanges(root: string): Promise<void> {
    const [{ IntegrityLog, describePending }, { stateLocation }] = await Promise.all([import('../../adapters/integrity/integrityLog'), import('../../adapters/ledger/stateLocation')]);
    const log = new IntegrityLog(stateLocation(this.deps.context.globalStorageUri.fsPath).integrityDir);
    const pending = await log.pending(root);
    if (pending.length === 0) return;
    const go = 'I looked: run git';
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', describePending(pending)), { modal: true }, go);
    if (choice !== go) throw new Error('the review was not run: the agent changed protected files in this workspace and nobody confirmed running git here');
    await log.acknowledge(root, 'vscode');
  }

  private async reportFailure(e: unknown, signal: AbortSignal): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.deps.log.appendLine(`[${new Date().toISOString()}] review failed: ${message}`);
    if (signal.aborted) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: the review was cancelled.'));
    // Git problems (not a repository, unknown base) and review failures are said as they are; the log has the rest.
    const { GitError } = await import('../../core/codeReview/gitPort');
    this.deps.panel({ type: 'notice', id: `review-error:${Date.now()}`, level: e instanceof GitError ? 'warning' : 'error', text: `Review failed: ${message}` });
    if (e instanceof GitError) void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', message));
    else void vscode.window.showErrorMessage(vscode.l10n.t('Agent Harness: the review failed: {0}', message.replace(/^the review (failed|could not be read): /, '')));
  }

  dispose(): void {
    this.running?.abort(new Error('the window is closing'));
    this.alive.abort(new Error('the window is closing'));
    this.comments.dispose();
  }
}

function upstreamOf(root: vscode.Uri): { remote?: string; name?: string } | undefined {
  try {
    // Only an already active git extension is asked: activating it just for a default value is not worth it.
    const ext = vscode.extensions.getExtension<GitExtensionApi>('vscode.git');
    if (!ext?.isActive) return undefined;
    const repos = ext.exports.getAPI(1).repositories;
    const repo = repos.find((r) => root.fsPath === r.rootUri.fsPath || root.fsPath.startsWith(`${r.rootUri.fsPath}${path.sep}`)) ?? repos[0];
    return repo?.state.HEAD?.upstream;
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
