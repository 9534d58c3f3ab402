import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import type { RunResult } from '../core/agent/runResult';
import { z } from 'zod';
import { MessageSchema, type Message } from '../core/model/messages';
import type { ToolCall } from '../core/model/messages';
import type { Sandbox } from '../core/ports';
import type { AskUserAnswer } from '../core/tools/askUser';
import type { ApprovalRequest, ApprovalResponse } from '../core/policy/approvalsWrapper';
import { createRedactor, type Redactor } from '../core/trace/redact';
import type { GatewayServices } from '../adapters/gateway/resilience/productionGateway';
import { initialPanelState, PanelStateSchema, type Blocker, type PanelState } from '../shared/panelState';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/protocol';
import type { DiffReview } from './diffReview';
import { ExtensionResumeConfigSchema, type ExtensionResumeConfig } from './durableRuns';
import { RunJournals, rerunRequest } from './runJournals';
import { collectMessages, emptyResult, runLogLine } from './runLog';
import { parseSettings, resolveGateway, SettingsError, type ExtensionSettings, type GatewayChoice, type SettingKey } from './extensionSettings';
import { GatewayHost } from './gatewayHost';
import { reducePanel, type PanelAction } from './panelReducer';
import { GATEWAY_KEY_SECRET } from './gatewayKey';
import { VIEW_ID } from './commandTable';
import { PanelOutbox } from './panelOutbox';
import { PanelPrompts } from './panelPrompts';
import { PanelStore } from './panelStore';
import type { RunHost } from './runComposition';

const MAX_HISTORY_MESSAGES = 200;


export interface RunRequest {
  task: string;
  /** What the conversation shows for the task (a palette command shows its short form). */
  display?: string;
  /** Command-palette runs also show a cancellable progress notification. */
  withProgress?: boolean;
}

/**
 * The extension host's side of the agent: it owns the panel state (the webview only renders it),
 * runs tasks through the composition root, answers the loop's questions through the panel, and
 * keeps the conversation in the workspace's extension storage (panelStore.ts) so it survives hiding
 * the panel and reloading the window.
 */
export class AgentController implements vscode.Disposable, RunHost {
  private state: PanelState;
  private history: Message[];
  private view: vscode.WebviewView | undefined;
  private running: AbortController | undefined;
  private readonly prompts = new PanelPrompts(
    (a) => this.dispatch(a),
    (line) => this.log.appendLine(this.redact.text(line)),
    () => void vscode.commands.executeCommand(`${VIEW_ID}.focus`),
  );
  private postTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private sandbox: { key: string; result: Promise<{ ok: true; sandbox: Sandbox } | { ok: false; message: string }> } | undefined;
  private readonly listeners: ((s: PanelState) => void)[] = [];
  private readonly store: PanelStore;
  private lastRun: string | undefined;
  readonly gateways: GatewayHost;
  /** Replaced by the gateway services' redactor once they exist; the environment's key is known from the start. */
  private redact: Redactor = createRedactor([process.env.AGENT_HARNESS_API_KEY]);
  private readonly outbox = new PanelOutbox((m) => void this.view?.webview.postMessage(m), () => this.redact);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly journals: RunJournals;
  private activeRunId: string | undefined;
  private relistTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly review: DiffReview,
    readonly log: vscode.OutputChannel,
  ) {
    this.gateways = new GatewayHost(context.globalStorageUri.fsPath);
    this.journals = new RunJournals(path.join(context.globalStorageUri.fsPath, 'runs'), context.globalState);
    // A key set while the window is open is redacted from then on, before any run uses it.
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key === GATEWAY_KEY_SECRET) void context.secrets.get(GATEWAY_KEY_SECRET).then((k) => this.redact.addSecret(k));
      }),
    );
    void context.secrets.get(GATEWAY_KEY_SECRET).then((k) => this.redact.addSecret(k), () => undefined);
    this.store = new PanelStore(context.storageUri?.fsPath, context.workspaceState);
    const stored = this.store.load();
    const saved = PanelStateSchema.safeParse(stored.state);
    this.state = saved.success ? reducePanel(saved.data, { type: 'restored' }) : initialPanelState();
    const hist = z.array(MessageSchema).safeParse(stored.history);
    this.history = hist.success ? hist.data : [];
    if (stored.state !== undefined && !saved.success) log.appendLine(`the saved conversation could not be restored: ${saved.error.issues[0]?.message ?? 'invalid'} at ${saved.error.issues[0]?.path.join('.') ?? ''}`);
    this.lastRun = typeof stored.lastRunId === 'string' ? stored.lastRunId : undefined;
    this.refreshEnvironment();
  }

  onState(listener: (s: PanelState) => void): void {
    this.listeners.push(listener);
    listener(this.state);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  attachView(view: vscode.WebviewView): void {
    this.view = view;
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
        this.dispatch({ type: 'resumable', runs: await this.journals.resumable(folder.uri.fsPath, this.activeRunId) });
        // A window that is still closing holds its run until its extension host ends: look again
        // shortly, so the run is offered without the person having to reopen the panel.
        const held = await this.journals.held(folder.uri.fsPath, this.activeRunId);
        if (held.length > 0 && this.view && !this.relistTimer) {
          this.relistTimer = setTimeout(() => {
            this.relistTimer = undefined;
            if (!this.running) void this.refreshDurable();
          }, 3000);
        }
      }
    } catch (e) {
      this.log.appendLine(`could not list unfinished runs: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.refreshUsage();
  }

  private async refreshUsage(services?: GatewayServices): Promise<void> {
    try {
      let s = services ?? (await this.gateways.peek());
      if (!s) {
        const g = resolveGateway(this.settings(), process.env, this.protocolSetExplicitly());
        if (!g.ok) return;
        s = await this.gateways.services(await this.gatewayKey(), g.gateway);
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

  private async gatewayKey(): Promise<string | undefined> {
    const key = (await this.context.secrets.get(GATEWAY_KEY_SECRET)) || process.env.AGENT_HARNESS_API_KEY || undefined;
    this.redact.addSecret(key);
    return key;
  }

  /** Recomputes what blocks the agent (gateway, trust, folder) after a settings or trust change. */
  refreshEnvironment(): void {
    const blockers: Blocker[] = [];
    if (!vscode.workspace.workspaceFolders?.length) blockers.push({ kind: 'no-workspace', message: 'Open a folder: the agent works on the files of a workspace folder.' });
    if (!vscode.workspace.isTrusted) {
      blockers.push({ kind: 'untrusted', message: 'This workspace is not trusted, so the agent can read files and answer questions but cannot write files or run commands. Trust the workspace to let it make changes.' });
    }
    let model: string | undefined;
    try {
      const g = resolveGateway(this.settings(), process.env, this.protocolSetExplicitly());
      if (!g.ok) blockers.push({ kind: 'no-gateway', message: g.message });
      else model = g.gateway.model;
    } catch (e) {
      blockers.push({ kind: 'no-gateway', message: e instanceof Error ? e.message : String(e) });
    }
    this.dispatch({ type: 'blockers', blockers });
    this.dispatch({ type: 'environment', demo: process.env.AGENT_HARNESS_DEMO === '1', ...(model ? { model } : {}) });
  }

  async handle(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'state', state: this.state });
        // Each time the panel (re)loads, unfinished runs are listed again: a run another window was
        // still closing a moment ago (its lock fresh) is resumable now.
        if (!this.running) void this.refreshDurable();
        return;
      case 'send':
        await this.run({ task: msg.text });
        return;
      case 'stop':
        this.stop();
        return;
      case 'newChat':
        this.newChat();
        return;
      case 'approve':
      case 'reject':
        this.prompts.decide(msg);
        return;
      case 'answer':
        this.prompts.answer(msg);
        return;
      case 'setGatewayKey':
        await vscode.commands.executeCommand('agentHarness.setGatewayKey');
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'agentHarness.gateway');
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'reviewDiff':
        await vscode.commands.executeCommand('agentHarness.reviewDiff');
        return;
      case 'resumeRun':
        await this.resume(msg.id);
        return;
      case 'dismissRun':
        await this.dismiss(msg.id);
        return;
    }
  }

  prefill(text: string): void {
    this.post({ type: 'prefill', text });
  }

  stop(): void {
    if (!this.running) return;
    // A run the person stopped is not offered for resumption later.
    if (this.activeRunId) void this.dismiss(this.activeRunId);
    this.dispatch({ type: 'stopping' });
    this.running.abort(new Error('stopped by the user'));
  }

  newChat(): void {
    if (this.running) {
      void vscode.window.showWarningMessage('Agent Harness: stop the current run before starting a new chat.');
      return;
    }
    this.history = [];
    this.dispatch({ type: 'new_chat' });
    this.flushSave();
  }

  lastRunId(): string | undefined {
    return this.lastRun;
  }

  checkpointDir(): string {
    const base = this.context.storageUri ?? this.context.globalStorageUri;
    return path.join(base.fsPath, 'checkpoints');
  }

  /** Runs one task (a chat message or a palette command) to its end. */
  async run(req: RunRequest): Promise<void> {
    const ready = this.readyToRun();
    if (!ready) return;
    const runId = randomUUID();
    this.dispatch({ type: 'user_message', id: `user:${runId}`, text: req.display ?? req.task });
    await this.track(runId, (c) => this.execute(runId, req.task, ready.folder.uri.fsPath, c), req.withProgress);
  }

  /** Continues a journaled run from the panel's offer; a run another window holds is refused with its message. */
  async resume(runId: string): Promise<void> {
    const ready = this.readyToRun();
    if (!ready) return;
    const offered = this.state.resumable.find((r) => r.id === runId);
    this.dispatch({ type: 'user_message', id: `user:${runId}:resume:${Date.now()}`, text: `Resume: ${offered?.task.split('\n')[0] ?? runId}` });
    this.dispatch({ type: 'resumable', runs: this.state.resumable.filter((r) => r.id !== runId) });
    await this.track(runId, (c) => this.continueRun(runId, c), false);
  }

  private async dismiss(runId: string): Promise<void> {
    await this.journals.dismiss(runId);
    this.dispatch({ type: 'resumable', runs: this.state.resumable.filter((r) => r.id !== runId) });
  }

  private readyToRun(): { folder: vscode.WorkspaceFolder } | undefined {
    if (this.running) {
      void vscode.window.showWarningMessage('Agent Harness: a run is already in progress. Stop it first, or wait for it to finish.');
      return undefined;
    }
    this.refreshEnvironment();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const gatewayBlock = this.state.blockers.find((b) => b.kind === 'no-gateway' || b.kind === 'no-workspace');
    if (gatewayBlock || !folder) {
      void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      void vscode.window.showWarningMessage(`Agent Harness: ${gatewayBlock?.message ?? 'open a folder first.'}`);
      return undefined;
    }
    return { folder };
  }

  private async track(runId: string, body: (c: AbortController) => Promise<void>, withProgress: boolean | undefined): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    this.activeRunId = runId;
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    const work = body(controller).finally(() => {
      this.running = undefined;
      this.activeRunId = undefined;
      this.prompts.endAll();
      this.flushSave();
      void this.refreshUsage();
    });
    if (withProgress) {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Agent Harness', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.stop());
          progress.report({ message: 'working… (the side panel shows each step)' });
          await work;
        },
      );
    } else {
      await work;
    }
  }

  private async prepare(): Promise<{ settings: ExtensionSettings; gateway: GatewayChoice; key: string | undefined }> {
    const settings = this.settings();
    const gw = resolveGateway(settings, process.env, this.protocolSetExplicitly());
    if (!gw.ok) throw new SettingsError(gw.message);
    return { settings, gateway: gw.gateway, key: await this.gatewayKey() };
  }

  private async execute(runId: string, task: string, root: string, controller: AbortController): Promise<void> {
    const runMessages: Message[] = [];
    let journal: { close(): Promise<void> } | undefined;
    try {
      const { settings, gateway, key } = await this.prepare();
      const [{ runAgent }, { composeRun }] = await Promise.all([import('../core/agent/loop'), import('./runComposition')]);
      // Every run is journaled, so a window reload or a crash can be resumed without paying twice.
      const writer = await (await this.journals.store()).create(runId);
      journal = writer;
      const composed = await composeRun(this, { runId, task, root, settings, gateway, key, signal: controller.signal, journal: () => writer, sinks: this.runSinks(runMessages) });
      this.log.appendLine(`[${new Date().toISOString()}] run ${runId} started: ${task.split('\n')[0]}`);
      const resumeConfig: ExtensionResumeConfig = { source: 'vscode', workspace: root, profile: settings.profile, gateway: { url: gateway.url, protocol: gateway.protocol, model: gateway.model } };
      const result = await runAgent({ ...composed.session, runId, task, history: this.history, limits: composed.limits, journal: writer, resumeConfig });
      this.finished(runId, task, runMessages, result);
    } catch (e) {
      this.failedToStart(runId, e);
    } finally {
      await journal?.close().catch(() => undefined);
    }
  }

  private async continueRun(runId: string, controller: AbortController): Promise<void> {
    const runMessages: Message[] = [];
    let task = '';
    try {
      const { settings, gateway, key } = await this.prepare();
      const [{ resumeRun }, { composeRun }] = await Promise.all([import('../adapters/journal/resumeRun'), import('./runComposition')]);
      const result = await resumeRun({
        store: await this.journals.store(),
        runId,
        onNote: (n) => this.dispatch({ type: 'notice', id: `resume:${runId}:${n}`, level: 'info', text: n }),
        confirmRerun: (call, kind, why) => this.confirmRerun(runId, call, kind, why, controller.signal),
        build: async (start) => {
          const parsed = ExtensionResumeConfigSchema.safeParse(start.resume);
          if (!parsed.success) throw new SettingsError(`Run ${runId} was not started in VS Code; continue it with \`agent-harness resume ${runId}\`.`);
          const cfg = parsed.data;
          task = start.task;
          // The gateway of the run's start, with today's key, headers and fallbacks.
          const runGateway: GatewayChoice = { ...gateway, url: cfg.gateway.url, protocol: cfg.gateway.protocol, model: cfg.gateway.model };
          const composed = await composeRun(this, { runId, task: start.task, root: cfg.workspace, settings: { ...settings, profile: cfg.profile }, gateway: runGateway, key, signal: controller.signal, journal: () => this.journals.resumeWriter, sinks: this.runSinks(runMessages) });
          this.log.appendLine(`[${new Date().toISOString()}] run ${runId} resumed: ${start.task.split('\n')[0]}`);
          return composed.session;
        },
      });
      this.finished(runId, task, runMessages, result);
    } catch (e) {
      this.failedToStart(runId, e);
      // The run stays resumable (e.g. another window held it); list it again.
      void this.refreshDurable();
    }
  }

  private runSinks(runMessages: Message[]) {
    return [(e: AgentEvent) => this.dispatch(e), (e: AgentEvent) => {
      const line = runLogLine(e);
      if (line !== undefined) this.log.appendLine(this.redact.text(line));
    }, (e: AgentEvent) => collectMessages(e, runMessages)];
  }

  private finished(runId: string, task: string, runMessages: Message[], result: RunResult): void {
    this.lastRun = runId;
    this.remember(task, runMessages, result.status === 'completed', result.output);
  }

  private failedToStart(runId: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log.appendLine(`[${new Date().toISOString()}] run ${runId} could not start: ${this.redact.text(message)}`);
    this.dispatch({ type: 'notice', id: `error:${runId}:${Date.now()}`, level: 'error', text: message });
    this.dispatch({ type: 'run_cancelled', runId, seq: 0, time: new Date().toISOString(), result: emptyResult(message) });
  }

  /** An interrupted write or command may already have happened: the person decides in the panel. */
  /** An interrupted write or command may already have happened: the person decides in the panel. */
  private async confirmRerun(runId: string, call: ToolCall, kind: string | undefined, why: string, signal: AbortSignal): Promise<boolean> {
    const answer = await this.askApproval(rerunRequest(runId, call, kind, why), undefined, signal, `rerun:${runId}:${call.id}`);
    return answer.approved;
  }

  async openSandbox(settings: ExtensionSettings, root: string) {
    const key = `${settings['sandbox.mode']}|${settings['sandbox.image']}|${root}`;
    if (!this.sandbox || this.sandbox.key !== key) {
      const previous = this.sandbox;
      this.sandbox = {
        key,
        result: (async () => {
          if (previous) await previous.result.then((r) => (r.ok ? r.sandbox.dispose() : undefined)).catch(() => undefined);
          const { openSandbox } = await import('../adapters/sandbox/openSandbox');
          const r = await openSandbox({ mode: settings['sandbox.mode'], workspaceRoot: root, ...(settings['sandbox.image'] ? { image: settings['sandbox.image'] } : {}) });
          return r.ok ? { ok: true as const, sandbox: r.sandbox } : { ok: false as const, message: r.message };
        })().catch((e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) })),
      };
    }
    const r = await this.sandbox.result;
    // A failed sandbox is tried again next run (Docker may have started meanwhile).
    if (!r.ok) this.sandbox = undefined;
    return r;
  }

  askApproval(r: ApprovalRequest, where: string | undefined, signal: AbortSignal, itemId?: string): Promise<ApprovalResponse> {
    return this.prompts.askApproval(r, where, signal, itemId);
  }

  askQuestion(callId: string, question: string, options: string[], signal: AbortSignal): Promise<AskUserAnswer> {
    return this.prompts.askQuestion(callId, question, options, signal);
  }

  private remember(task: string, runMessages: Message[], completed: boolean, output: string): void {
    // Only a finished run's turns go into the chat history as they are: a stopped run may end in a
    // tool call without a result, which no provider accepts in the next request.
    const added: Message[] = completed ? [{ role: 'user', content: task }, ...runMessages] : [{ role: 'user', content: task }, { role: 'assistant', text: output || '(the run stopped before it finished)', toolCalls: [] }];
    this.history = [...this.history, ...added].slice(-MAX_HISTORY_MESSAGES);
    while (this.history.length > 0 && this.history[0]?.role !== 'user') this.history.shift();
    this.flushSave();
  }

  dispatch(action: PanelAction): void {
    const before = this.state.status;
    this.state = reducePanel(this.state, action);
    if ((before === 'idle') !== (this.state.status === 'idle')) void vscode.commands.executeCommand('setContext', 'agentHarness.running', this.state.status !== 'idle');
    for (const l of this.listeners) l(this.state);
    this.schedulePost();
    this.scheduleSave();
  }

  private schedulePost(): void {
    // Streaming produces many small events; the panel gets at most one state every 40 ms.
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      this.post({ type: 'state', state: this.state });
    }, 40);
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flushSave(), 500);
  }

  private flushSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    void this.store.save(this.redact({ state: this.state, history: this.history, ...(this.lastRun ? { lastRunId: this.lastRun } : {}) }));
  }

  private post(msg: HostMessage): void {
    this.outbox.post(msg);
  }

  private settings(): ExtensionSettings {
    const cfg = vscode.workspace.getConfiguration('agentHarness');
    return parseSettings((k: SettingKey) => cfg.get(k));
  }

  private protocolSetExplicitly(): boolean {
    const i = vscode.workspace.getConfiguration('agentHarness').inspect('gateway.protocol');
    return i?.globalValue !== undefined || i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
  }

  dispose(): void {
    this.running?.abort(new Error('the window is closing'));
    this.flushSave();
    if (this.postTimer) clearTimeout(this.postTimer);
    if (this.relistTimer) clearTimeout(this.relistTimer);
    for (const d of this.disposables) d.dispose();
    void this.gateways.flush();
    void this.sandbox?.result.then((r) => (r.ok ? r.sandbox.dispose() : undefined)).catch(() => undefined);
  }
}
