import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import { z } from 'zod';
import { MessageSchema, type Message } from '../core/model/messages';
import type { Sandbox } from '../core/ports';
import type { AskUserAnswer } from '../core/tools/askUser';
import type { ApprovalRequest, ApprovalResponse } from '../core/policy/approvalsWrapper';
import type { StandingGrant } from '../core/policy/approvalsGrants';
import { initialPanelState, PanelStateSchema, type Blocker, type PanelState } from '../shared/panelState';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/protocol';
import type { DiffReview } from './diffReview';
import { parseSettings, resolveGateway, SettingsError, type ExtensionSettings, type SettingKey } from './extensionSettings';
import { reducePanel, type PanelAction } from './panelReducer';
import { GATEWAY_KEY_SECRET } from './gatewayKey';
import { VIEW_ID } from './commandTable';
import { PanelStore } from './panelStore';

const GRANTS_KEY = 'agentHarness.grants.v1';
const MAX_HISTORY_MESSAGES = 200;

type Prompt = { kind: 'approval'; key: string; resolve: (a: ApprovalResponse) => void } | { kind: 'question'; resolve: (a: AskUserAnswer) => void };

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
export class AgentController implements vscode.Disposable {
  private state: PanelState;
  private history: Message[];
  private view: vscode.WebviewView | undefined;
  private running: AbortController | undefined;
  private readonly prompts = new Map<string, Prompt>();
  private postTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private sandbox: { key: string; result: Promise<{ ok: true; sandbox: Sandbox } | { ok: false; message: string }> } | undefined;
  private readonly listeners: ((s: PanelState) => void)[] = [];
  private readonly store: PanelStore;
  private lastRun: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly review: DiffReview,
    private readonly log: vscode.OutputChannel,
  ) {
    this.store = new PanelStore(context.storageUri?.fsPath, context.workspaceState);
    const stored = this.store.load();
    const saved = PanelStateSchema.safeParse(stored.state);
    this.state = saved.success ? reducePanel(saved.data, { type: 'restored' }) : initialPanelState();
    const hist = z.array(MessageSchema).safeParse(stored.history);
    this.history = hist.success ? hist.data : [];
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
      case 'reject': {
        const p = this.prompts.get(msg.id);
        if (p?.kind !== 'approval') return;
        this.prompts.delete(msg.id);
        if (msg.type === 'approve') {
          this.dispatch({ type: 'approval_resolved', id: msg.id, approved: true, ...(msg.remember ? { remember: msg.remember } : {}) });
          p.resolve({ approved: true, key: p.key, ...(msg.remember ? { remember: msg.remember } : {}) });
        } else {
          const reason = msg.reason?.trim() || undefined;
          this.dispatch({ type: 'approval_resolved', id: msg.id, approved: false, ...(reason ? { reason } : {}) });
          p.resolve({ approved: false, ...(reason ? { reason } : {}) });
        }
        return;
      }
      case 'answer': {
        const p = this.prompts.get(msg.id);
        if (p?.kind !== 'question') return;
        this.prompts.delete(msg.id);
        this.dispatch({ type: 'question_answered', id: msg.id, answer: msg.answer });
        p.resolve({ answer: msg.answer });
        return;
      }
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
    }
  }

  prefill(text: string): void {
    this.post({ type: 'prefill', text });
  }

  stop(): void {
    if (!this.running) return;
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
    if (this.running) {
      void vscode.window.showWarningMessage('Agent Harness: a run is already in progress. Stop it first, or wait for it to finish.');
      return;
    }
    this.refreshEnvironment();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const gatewayBlock = this.state.blockers.find((b) => b.kind === 'no-gateway' || b.kind === 'no-workspace');
    if (gatewayBlock || !folder) {
      void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      void vscode.window.showWarningMessage(`Agent Harness: ${gatewayBlock?.message ?? 'open a folder first.'}`);
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    const runId = randomUUID();
    this.dispatch({ type: 'user_message', id: `user:${runId}`, text: req.display ?? req.task });
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    const work = this.execute(runId, req.task, folder.uri, controller).finally(() => {
      this.running = undefined;
      for (const [id, p] of this.prompts) {
        if (p.kind === 'approval') p.resolve({ approved: false, reason: 'the run ended' });
        else p.resolve({ unanswered: 'the run ended' });
        this.prompts.delete(id);
      }
      this.flushSave();
    });
    if (req.withProgress) {
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

  private async execute(runId: string, task: string, rootUri: vscode.Uri, controller: AbortController): Promise<void> {
    const root = rootUri.fsPath;
    const runMessages: Message[] = [];
    try {
      const settings = this.settings();
      const gw = resolveGateway(settings, process.env, this.protocolSetExplicitly());
      if (!gw.ok) throw new SettingsError(gw.message);
      const key = (await this.context.secrets.get(GATEWAY_KEY_SECRET)) || process.env.AGENT_HARNESS_API_KEY || undefined;
      const trusted = vscode.workspace.isTrusted;
      // The SDKs, dockerode and the core load here, on the first run, never at activation.
      const [{ createModelClient }, { runAgent }, { buildRunSession }, { createTextSearcher }, { Checkpoint }, { PathGuard }, { applyWithWorkspaceEdit, conflictBeforeReview }, picomatch, { GrantStore }] = await Promise.all([
        import('../adapters/gateway/createModelClient'),
        import('../core/agent/loop'),
        import('./runSession'),
        import('../adapters/search/ripgrepLocator'),
        import('../core/edits/checkpoint'),
        import('../core/policy/pathGuard'),
        import('./workspaceApply'),
        import('picomatch'),
        import('../core/policy/approvalsGrants'),
      ]);
      const model = await createModelClient({ url: gw.gateway.url, protocol: gw.gateway.protocol, model: gw.gateway.model, headers: gw.gateway.headers }, key);
      const checkpoint = await Checkpoint.open({ storeDir: this.checkpointDir(), runId, root });
      const guard = new PathGuard(root);
      const autoGlobs = settings['approvals.autoApproveEdits'];
      const autoMatch = autoGlobs.length > 0 ? picomatch.default(autoGlobs, { dot: true }) : undefined;
      const sandbox = trusted ? await this.openSandbox(settings, root) : { ok: false as const, message: 'the workspace is not trusted' };
      const where = sandbox.ok ? sandbox.sandbox.describe() : undefined;
      const grants = new GrantStore(this.context.workspaceState.get<StandingGrant[]>(GRANTS_KEY) ?? [], (g) => void this.context.workspaceState.update(GRANTS_KEY, g));
      const session = await buildRunSession({
        root,
        task,
        settings,
        trusted,
        builtinSkillsDir: path.join(this.context.extensionPath, 'skills'),
        wasmDirs: [path.join(this.context.extensionPath, 'dist')],
        searcher: await createTextSearcher({ vscodeAppRoot: vscode.env.appRoot }),
        sandbox,
        grants,
        review: {
          review: async (file, signal) => this.review.review(file, signal, await conflictBeforeReview(root, file)),
          apply: async (set, p) => {
            const results = await applyWithWorkspaceEdit(set, p, { guard, ...checkpoint.hooks() });
            for (const r of results.filter((x) => x.status === 'conflict' || x.status === 'refused')) {
              this.dispatch({ type: 'notice', id: `conflict:${runId}:${r.path}:${Date.now()}`, level: 'warning', text: r.message });
              void vscode.window.showWarningMessage(`Agent Harness: ${r.message}`);
            }
            return results;
          },
        },
        approver: { request: (r, signal) => this.askApproval(r, where, signal) },
        onCommandOutput: (chunk, callId) => {
          this.dispatch({ type: 'tool_output', runId, callId, chunk });
          this.log.append(chunk);
        },
        asker: { ask: (r, signal) => this.askQuestion(r.callId, r.question, r.options ?? [], signal) },
        ...(autoMatch ? { autoApprove: (p: string) => autoMatch(p) } : {}),
      });
      for (const n of session.notices) this.dispatch({ type: 'notice', id: `notice:${runId}:${n}`, level: 'warning', text: n });
      this.log.appendLine(`[${new Date().toISOString()}] run ${runId} started: ${task.split('\n')[0]}`);
      const maxCost = settings['limits.maxCostUsd'];
      const result = await runAgent({
        runId,
        task,
        system: session.systemPrompt,
        model,
        tools: session.tools,
        profile: session.profileName,
        skillsUsed: session.selectedSkills,
        history: this.history,
        limits: session.limits,
        signal: controller.signal,
        sinks: [
          (e) => this.dispatch(e),
          (e) => this.logEvent(e),
          (e) => collectMessages(e, runMessages),
          (e) => {
            if (maxCost > 0 && e.type === 'usage' && e.runCostUsd > maxCost) controller.abort(new Error(`the run's estimated cost passed agentHarness.limits.maxCostUsd ($${maxCost})`));
          },
        ],
      });
      this.lastRun = runId;
      this.remember(task, runMessages, result.status === 'completed', result.output);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.appendLine(`[${new Date().toISOString()}] run ${runId} could not start: ${message}`);
      this.dispatch({ type: 'notice', id: `error:${runId}`, level: 'error', text: message });
      this.dispatch({ type: 'run_cancelled', runId, seq: 0, time: new Date().toISOString(), result: emptyResult(message) });
    }
  }

  private async openSandbox(settings: ExtensionSettings, root: string) {
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

  private askApproval(r: ApprovalRequest, where: string | undefined, signal: AbortSignal): Promise<ApprovalResponse> {
    const id = `approval:${r.runId}:${r.callId}`;
    const args = (r.args ?? {}) as Record<string, unknown>;
    const command = r.tool === 'run_command' && typeof args.command === 'string' ? args.command : undefined;
    const path = typeof args.path === 'string' ? args.path : undefined;
    const title = command !== undefined ? 'Run this command?' : path !== undefined ? `Allow ${r.tool} on ${path}?` : `Allow ${r.tool}?`;
    this.log.appendLine(`  approval asked: ${command ?? r.tool}${command && where ? ` (${where})` : ''}: ${r.reasons.join('; ')}`);
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!this.prompts.delete(id)) return;
        this.dispatch({ type: 'approval_resolved', id, approved: false, reason: 'the run was stopped' });
        resolve({ approved: false, reason: 'the run was stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.prompts.set(id, { kind: 'approval', key: r.key, resolve: (a) => (signal.removeEventListener('abort', onAbort), resolve(a)) });
      this.dispatch({
        type: 'approval_requested',
        item: {
          id,
          title,
          reasons: r.reasons,
          grantScopes: r.grantScopes,
          ...(command !== undefined ? { command } : {}),
          ...(r.kind === 'command' && where ? { where } : {}),
        },
      });
      void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    });
  }

  private askQuestion(callId: string, question: string, options: string[], signal: AbortSignal): Promise<AskUserAnswer> {
    const id = `question:${callId}`;
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!this.prompts.delete(id)) return;
        this.dispatch({ type: 'question_answered', id });
        resolve({ unanswered: 'the run was stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.prompts.set(id, { kind: 'question', resolve: (a) => (signal.removeEventListener('abort', onAbort), resolve(a)) });
      this.dispatch({ type: 'question_asked', item: { id, question, options } });
      void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    });
  }

  private remember(task: string, runMessages: Message[], completed: boolean, output: string): void {
    // Only a finished run's turns go into the chat history as they are: a stopped run may end in a
    // tool call without a result, which no provider accepts in the next request.
    const added: Message[] = completed ? [{ role: 'user', content: task }, ...runMessages] : [{ role: 'user', content: task }, { role: 'assistant', text: output || '(the run stopped before it finished)', toolCalls: [] }];
    this.history = [...this.history, ...added].slice(-MAX_HISTORY_MESSAGES);
    while (this.history.length > 0 && this.history[0]?.role !== 'user') this.history.shift();
    this.flushSave();
  }

  private logEvent(e: AgentEvent): void {
    switch (e.type) {
      case 'tool_call_started':
        this.log.appendLine(`  → ${e.name} ${e.arguments.slice(0, 300)}`);
        break;
      case 'tool_call_finished':
        this.log.appendLine(`  ← ${e.name} ${e.isError ? 'error' : 'ok'} in ${Math.round(e.durationMs)} ms${e.name === 'run_command' ? `\n${indent(e.content)}` : ''}`);
        break;
      case 'run_finished':
      case 'run_cancelled':
      case 'run_failed':
        this.log.appendLine(`[${e.time}] run ${e.runId} ${e.result.status}${e.type === 'run_failed' ? `: ${e.message}` : ''} · ${e.result.usage.totalTokens} tokens · $${e.result.usage.costUsd.toFixed(4)}`);
        break;
      default:
        break;
    }
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
    void this.store.save({ state: this.state, history: this.history, ...(this.lastRun ? { lastRunId: this.lastRun } : {}) });
  }

  private post(msg: HostMessage): void {
    void this.view?.webview.postMessage(msg);
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
    void this.sandbox?.result.then((r) => (r.ok ? r.sandbox.dispose() : undefined)).catch(() => undefined);
  }
}

function collectMessages(e: AgentEvent, into: Message[]): void {
  if (e.type === 'model_call_finished') into.push(e.message);
  else if (e.type === 'tool_call_finished') into.push({ role: 'tool', callId: e.callId, toolName: e.name, content: e.content, isError: e.isError });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function emptyResult(error: string) {
  return {
    status: 'failed' as const,
    output: '',
    filesChanged: [],
    commandsRun: [],
    skillsUsed: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costUsd: 0 },
    model: '',
    attempts: 0,
    error,
  };
}
