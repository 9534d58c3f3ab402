import path from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../core/agent/runResult';
import type { Message } from '../core/model/messages';
import type { AskUserAnswer } from '../core/tools/askUser';
import type { ApprovalRequest, ApprovalResponse } from '../core/policy/approvalsWrapper';
import { createRedactor, type Redactor } from '../core/trace/redact';
import type { GatewayServices } from '../adapters/gateway/resilience/productionGateway';
import { initialPanelState, type PanelState } from '../shared/panelState';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/protocol';
import { PanelPatcher } from '../shared/panelPatch';
import type { ProposalsView } from './proposals/proposalsView';
import { RunJournals } from './run/runJournals';
import { cleanUpStateDaily } from './run/stateCleanup';
import type { ExtensionSettings } from './gateway/extensionSettings';
import { GatewayHost } from './gateway/gatewayHost';
import type { RunLabel } from '../core/model/resilience/callRecord';
import type { ModelClient } from '../core/model/modelClient';
import type { EventSink } from '../core/agent/events';
import type { UsageTotals } from '../core/model/usage';
import { reducePanel, type PanelAction } from './panel/panelReducer';
import { GATEWAY_KEY_SECRET } from './gateway/gatewayKey';
import { VIEW_ID } from './commands/commandTable';
import { PanelOutbox } from './panel/panelOutbox';
import { PanelPrompts } from './panel/panelPrompts';
import { ChatMemory } from './history/chatMemory';
import { ChoiceHost, type Choice } from './panel/choices';
import { WindowConfig, type RunInputs } from './gateway/windowConfig';
import { panelIntents, type PanelIntentHandlers } from './panel/panelIntents';
import { SandboxCache } from './run/sandboxCache';
import { AttentionHost } from './panel/attentionHost';
import { AttachmentHost } from './attachments/attachmentHost';
import type { RunHost } from './run/runComposition';
import { RunLifecycle, type RunRequest } from './run/runLifecycle';

/**
 * The extension host's side of the agent: it owns the panel state (the webview only renders it),
 * hands tasks to the run lifecycle (runLifecycle.ts), answers the loop's questions through the
 * panel, and keeps the conversation in the workspace's extension storage (panelStore.ts) so it
 * survives hiding the panel and reloading the window.
 */
export class AgentController implements vscode.Disposable, RunHost {
  private state: PanelState;
  private view: vscode.WebviewView | undefined;
  private readonly prompts = new PanelPrompts(
    (a) => this.dispatch(a),
    (line) => this.log.appendLine(this.redact.text(line)),
  );
  private readonly attention = new AttentionHost({
    enabled: () => this.config.notificationsEnabled(),
    show: (note) => (note.pendingKey !== undefined && this.proposals.show(note.pendingKey)) || void vscode.commands.executeCommand(`${VIEW_ID}.focus`),
  });
  private postTimer: NodeJS.Timeout | undefined;
  private lastPost = 0;
  /** Whole states when the panel (re)loads, then only what changed (panelPatch.ts). */
  private readonly patcher = new PanelPatcher();
  private readonly listeners: ((s: PanelState) => void)[] = [];
  private readonly memory: ChatMemory;
  readonly gateways: GatewayHost;
  /** Replaced by the gateway services' redactor once they exist; the environment's key is known from the start. */
  private redact: Redactor = createRedactor([process.env.AGENT_HARNESS_API_KEY]);
  private readonly outbox = new PanelOutbox((m) => void this.view?.webview.postMessage(m), () => this.redact);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly journals: RunJournals;
  private readonly runs: RunLifecycle;
  private readonly sandboxes: SandboxCache;
  readonly attachments: AttachmentHost;
  private readonly queued: HostMessage[] = [];
  readonly config: WindowConfig;
  private readonly intents: PanelIntentHandlers;
  private relistTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly proposals: ProposalsView,
    readonly log: vscode.OutputChannel,
  ) {
    this.gateways = new GatewayHost(context.globalStorageUri.fsPath, (text) => {
      log.appendLine(`[traces] ${text}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}.', text));
    });
    this.sandboxes = new SandboxCache(context.globalStorageUri.fsPath);
    this.config = new WindowConfig(context.secrets, () => this.redact, new ChoiceHost(context.workspaceState));
    this.attachments = new AttachmentHost(() => this.state, vscode.env.appRoot, (line) => log.appendLine(this.redact.text(line)));
    this.disposables.push(this.attachments);
    this.journals = new RunJournals(path.join(context.globalStorageUri.fsPath, 'runs'), context.globalState);
    // A key set while the window is open is redacted from then on, before any run uses it.
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key !== GATEWAY_KEY_SECRET) return;
        this.config.keyChanged();
        void context.secrets.get(GATEWAY_KEY_SECRET).then((k) => this.redact.addSecret(k));
      }),
    );
    void context.secrets.get(GATEWAY_KEY_SECRET).then((k) => this.redact.addSecret(k), () => undefined);
    this.disposables.push(proposals.onDidChangePending((files) => this.dispatch({ type: 'pending_changes', files })));
    this.memory = new ChatMemory(context.storageUri?.fsPath, context.workspaceState, { state: () => this.state, redact: () => this.redact, log: (line) => log.appendLine(line) });
    this.state = this.memory.restored ? reducePanel(this.memory.restored, { type: 'restored' }) : { ...initialPanelState(), conversationId: this.memory.conversationId };
    this.runs = new RunLifecycle({
      host: this,
      journals: this.journals,
      store: {
        state: () => this.state,
        history: () => this.memory.history,
        remember: (runId, task, runMessages, result) => this.finished(runId, task, runMessages, result),
        redactText: (text) => this.redact.text(text),
      },
      window: {
        prepare: () => this.config.runInputs(),
        // Before each run only what blocks it is checked again; the pickers follow settings changes.
        refreshBlockers: () => this.refreshBlockers(),
        refreshDurable: () => this.refreshDurable(),
        showPanel: () => (this.view ? this.view.show(true) : void vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
        settled: () => {
          this.prompts.endAll();
          this.memory.flush();
          void this.refreshConversations();
          void this.refreshUsage();
          void cleanUpStateDaily(this.context, this.checkpointDir(), () => this.config.settings());
        },
        stop: () => this.stop(),
      },
    });
    this.intents = panelIntents({
      ready: () => {
        this.post(this.patcher.full(this.state));
        for (const m of this.queued.splice(0)) this.post(m);
        // Each time the panel (re)loads, unfinished runs are listed again: a run another window was
        // still closing a moment ago (its lock fresh) is resumable now.
        if (!this.runs.isRunning) void this.refreshDurable();
        void this.refreshConversations();
      },
      resync: () => this.post(this.patcher.full(this.state)),
      send: (text, ids) => this.runs.run(this.attachments.compose(text, ids)),
      stop: () => this.stop(),
      newChat: () => this.newChat(),
      decide: (m) => this.prompts.decide(m),
      answer: (m) => this.prompts.answer(m),
      attachments: this.attachments,
      post: (m) => this.post(m),
      proposals: this.proposals,
      choose: (c) => this.choose(c),
      listConversations: () => this.refreshConversations(),
      openConversation: (id) => this.openConversation(id),
      deleteConversation: (id) => this.deleteConversation(id),
      resume: (id) => this.runs.resume(id),
      dismiss: (id) => this.dismiss(id),
    });
    this.refreshEnvironment();
  }

  onState(listener: (s: PanelState) => void): void {
    this.listeners.push(listener);
    listener(this.state);
  }

  get isRunning(): boolean {
    return this.runs.isRunning;
  }

  attachView(view: vscode.WebviewView): void {
    this.view = view;
    this.attention.attach(view);
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
    view.webview.onDidReceiveMessage((raw) => {
      // Anything that is not a protocol message is ignored: the webview is the less trusted side.
      const msg = parseWebviewMessage(raw);
      if (msg) void this.handle(msg);
    });
  }

  /** Lists this workspace's resumable runs and sums the usage ledger for the panel. */
  async refreshDurable(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    try {
      // A run in progress in this window is not offered to itself.
      if (folder) {
        this.dispatch({ type: 'resumable', runs: await this.journals.resumable(folder.uri.fsPath, this.runs.activeRunId) });
        // A window that is still closing holds its run until its extension host ends: look again
        // shortly, so the run is offered without the person having to reopen the panel.
        const held = await this.journals.held(folder.uri.fsPath, this.runs.activeRunId);
        if (held.length > 0 && this.view && !this.relistTimer) {
          this.relistTimer = setTimeout(() => {
            this.relistTimer = undefined;
            if (!this.runs.isRunning) void this.refreshDurable();
          }, 3000);
        }
      }
    } catch (e) {
      this.log.appendLine(`could not list unfinished runs: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.refreshUsage();
  }

  /** A governed model for a code review (gateway/governedModel.ts); `done` adds its usage to the session and refreshes Today/This week. */
  async governedModel(label: RunLabel & { profile: string }, root: string): Promise<{ model: ModelClient; sinks: EventSink[]; done(usage: UsageTotals | undefined): Promise<void> }> {
    const { openGovernedModel } = await import('./gateway/governedModel');
    const { model, sinks, services } = await openGovernedModel(this, label, root);
    this.onServices(services);
    return {
      model,
      sinks,
      done: async (usage) => {
        if (usage) this.dispatch({ type: 'session_usage', usage });
        await services.flush();
        await this.refreshUsage(services);
      },
    };
  }

  private async refreshUsage(services?: GatewayServices): Promise<void> {
    try {
      let s = services ?? (await this.gateways.peek());
      if (!s) {
        const g = this.config.gateway();
        if (!g.ok) return;
        s = await this.gateways.services(await this.config.key(), g.gateway);
        this.onServices(s);
      }
      this.dispatch({ type: 'usage_summary', summary: await this.gateways.usageSummary(s) });
    } catch (e) {
      this.log.appendLine(`could not read the usage ledger: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  onServices(services: GatewayServices): void {
    this.redact = services.redact;
  }

  /** After a settings or trust change: what blocks the agent (gateway, trust, folder), and the pickers. */
  refreshEnvironment(): void {
    this.refreshBlockers();
    void this.refreshPicker();
  }

  private refreshBlockers(): void {
    const env = this.config.environment();
    this.dispatch({ type: 'blockers', blockers: env.blockers });
    this.dispatch({ type: 'environment', demo: process.env.AGENT_HARNESS_DEMO === '1', ...(env.model ? { model: env.model } : {}) });
  }

  async handle(msg: WebviewMessage): Promise<void> {
    await (this.intents[msg.type] as (m: WebviewMessage) => unknown)(msg);
  }

  /** The keybindings' approve / reject: the proposed edits waiting in the diff view, else the first waiting approval card. */
  decideWaiting(approve: boolean): void {
    if (this.state.pending.length > 0) return this.proposals.decideAll(approve);
    const card = this.state.items.find((i) => i.kind === 'approval' && i.state === 'waiting');
    if (card) this.prompts.decide(approve ? { type: 'approve', id: card.id } : { type: 'reject', id: card.id });
    else this.reveal({ type: 'focus', target: 'waiting' });
  }

  /** Add Selection to Chat: the selection becomes a chip in the composer, which gets focus. */
  addSelectionToChat(): void {
    try {
      this.reveal({ type: 'attached', chip: this.attachments.holdSelection() });
    } catch (e) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', e instanceof Error ? e.message : String(e)));
    }
  }

  stop(): void {
    if (!this.runs.isRunning) return;
    // A run the person stopped is not offered for resumption later.
    const runId = this.runs.activeRunId;
    if (runId) void this.dismiss(runId);
    this.dispatch({ type: 'stopping' });
    this.runs.abort(new Error('stopped by the user'));
  }

  newChat(): void {
    if (this.runs.isRunning) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: stop the current run before starting a new chat.'));
      return;
    }
    this.dispatch({ type: 'new_chat', conversationId: this.memory.startNew() });
    void this.refreshConversations();
  }

  /** Shows a saved conversation from the history list; it continues from there. */
  async openConversation(id: string): Promise<void> {
    if (this.runs.isRunning) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: stop the current run before opening another conversation.'));
    const items = await this.memory.open(id);
    if (!items) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: that conversation could not be read; it is removed from the history.'));
      await this.memory.delete(id);
    } else {
      this.dispatch({ type: 'open_conversation', id, items });
      this.memory.flush();
    }
    await this.refreshConversations();
  }

  async deleteConversation(id: string): Promise<void> {
    await this.memory.delete(id);
    if (id === this.memory.conversationId && !this.runs.isRunning) this.dispatch({ type: 'new_chat', conversationId: this.memory.startNew() });
    await this.refreshConversations();
  }

  private async refreshConversations(): Promise<void> {
    this.dispatch({ type: 'conversations', list: await this.memory.list() });
  }

  lastRunId(): string | undefined {
    return this.memory.lastRun;
  }

  checkpointDir(): string {
    const base = this.context.storageUri ?? this.context.globalStorageUri;
    return path.join(base.fsPath, 'checkpoints');
  }

  /** Runs one task (a chat message or a palette command) to its end. */
  run(req: RunRequest): Promise<void> {
    return this.runs.run(req);
  }

  private async dismiss(runId: string): Promise<void> {
    await this.journals.dismiss(runId);
    this.dispatch({ type: 'resumable', runs: this.state.resumable.filter((r) => r.id !== runId) });
  }

  /** The settings, gateway and key a run would use now (a settings problem is a SettingsError). */
  runInputs(): Promise<RunInputs> {
    return this.config.runInputs();
  }

  private async refreshPicker(): Promise<void> {
    try {
      this.dispatch({ type: 'picker', picker: await this.config.picker((l) => this.log.appendLine(this.redact.text(l))) });
    } catch (e) {
      this.log.appendLine(`could not list models and profiles: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async choose(change: Choice): Promise<void> {
    await this.config.choices.set(change);
    this.refreshEnvironment();
  }

  private finished(runId: string, task: string, runMessages: Message[], result: RunResult): void {
    this.memory.lastRun = runId;
    this.memory.remember(task, runMessages, result.status === 'completed', result.output);
  }

  openSandbox(settings: ExtensionSettings, root: string) {
    return this.sandboxes.open(settings, root);
  }

  askApproval(r: ApprovalRequest, where: string | undefined, signal: AbortSignal, itemId?: string): Promise<ApprovalResponse> {
    return this.prompts.askApproval(r, where, signal, itemId);
  }

  askQuestion(callId: string, question: string, options: string[], signal: AbortSignal): Promise<AskUserAnswer> {
    return this.prompts.askQuestion(callId, question, options, signal);
  }

  dispatch(action: PanelAction): void {
    const before = this.state;
    this.state = reducePanel(this.state, action);
    if ((before.status === 'idle') !== (this.state.status === 'idle')) void vscode.commands.executeCommand('setContext', 'agentHarness.running', this.state.status !== 'idle');
    this.attention.update(before, this.state);
    for (const l of this.listeners) l(this.state);
    // The first token of an answer is shown at once; what streams after it is batched (schedulePost).
    if (action.type === 'text_delta' && this.state.items.length > before.items.length) this.postNow();
    else this.schedulePost();
    this.memory.scheduleSave();
  }

  private postNow(): void {
    if (this.postTimer) clearTimeout(this.postTimer);
    this.postTimer = undefined;
    this.lastPost = Date.now();
    this.post(this.patcher.next(this.state));
  }

  private schedulePost(): void {
    // Streaming produces many small events; the panel gets at most one state every 40 ms.
    // The first change after a quiet spell goes out on the next tick (a sent message, the first token).
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => this.postNow(), Math.max(0, 40 - (Date.now() - this.lastPost)));
  }

  private post(msg: HostMessage): void {
    // What is not a whole state (a chip, a focus request) waits for the panel to be there.
    if (msg.type !== 'state' && msg.type !== 'patch' && !this.view?.visible) this.queued.push(msg);
    else this.outbox.post(msg);
  }

  /** Brings the panel forward and hands it a message once it is ready (a new view sends `ready` first). */
  reveal(msg?: HostMessage): void {
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (msg) this.post(msg);
  }

  dispose(): void {
    this.runs.abort(new Error('the window is closing'));
    this.memory.flush();
    if (this.postTimer) clearTimeout(this.postTimer);
    if (this.relistTimer) clearTimeout(this.relistTimer);
    for (const d of this.disposables) d.dispose();
    void this.gateways.flush();
    this.sandboxes.dispose();
  }
}
