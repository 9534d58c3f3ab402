import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { JournalWriter } from '../../adapters/journal/journalStore';
import type { AgentEvent } from '../../core/agent/events';
import type { RunResult } from '../../core/agent/runResult';
import type { Message, ToolCall } from '../../core/model/messages';
import type { PanelState } from '../../shared/panelState';
import { VIEW_ID } from '../commands/commandTable';
import { ExtensionResumeConfigSchema, type ExtensionResumeConfig } from './durableRuns';
import { SettingsError, type GatewayChoice } from '../gateway/extensionSettings';
import type { RunHost } from './runComposition';
import { rerunRequest, type RunJournals } from './runJournals';
import { collectMessages, emptyResult, runLogLine } from './runLog';
import { stopwatch } from './stopwatch';
import type { RunInputs } from '../gateway/windowConfig';

export interface RunRequest {
  task: string;
  /** What the conversation shows for the task (a palette command shows its short form). */
  display?: string;
  /** Runs started outside the panel (the palette, a quick fix) show it and a cancellable progress notification. */
  withProgress?: boolean;
}

/** The panel's state and the conversation, as a run reads and adds to them. */
export interface RunStore {
  state(): PanelState;
  history(): Message[];
  /** A run ended with a result: the conversation remembers it. */
  remember(runId: string, task: string, runMessages: Message[], result: RunResult): void;
  redactText(text: string): string;
}

/** The window around the runs: its run inputs, what blocks a run, the unfinished runs, the panel. */
export interface RunWindow {
  /** The settings, the gateway they choose and the gateway key, or a SettingsError. */
  prepare(): Promise<RunInputs>;
  /** Checks again what blocks a run (gateway, trust, folder). */
  refreshBlockers(): void;
  refreshDurable(): Promise<void>;
  /** Shows the panel for a run started outside it (the palette, a quick fix), keeping focus where it is when the view exists. */
  showPanel(): void;
  /** Every run's end, however it ended. */
  settled(): void;
  /** The person cancelled the progress notification. */
  stop(): void;
}

/** What the controller lends the run lifecycle: the run host (panel, prompts, sandbox, storage), the journals, one store and the window. */
export interface RunLifecycleDeps {
  host: RunHost;
  journals: RunJournals;
  store: RunStore;
  window: RunWindow;
}

/**
 * One run at a time, new or resumed, from the readiness checks to its end: it journals each new run,
 * composes it, runs or resumes the loop, and hands the result to the controller, which keeps the
 * conversation. Failures to start become a notice in the panel and a line in the log.
 */
export class RunLifecycle {
  private running: AbortController | undefined;
  private activeRun: string | undefined;

  constructor(private readonly deps: RunLifecycleDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The id of the run in progress in this window, if any. */
  get activeRunId(): string | undefined {
    return this.activeRun;
  }

  abort(reason: Error): void {
    this.running?.abort(reason);
  }

  /** Runs one task (a chat message or a palette command) to its end. */
  async run(req: RunRequest): Promise<void> {
    const watch = stopwatch();
    const ready = this.readyToRun();
    if (!ready) return;
    const runId = randomUUID();
    this.deps.host.dispatch({ type: 'user_message', id: `user:${runId}`, text: req.display ?? req.task });
    watch.lap('ready');
    await this.track(runId, (c) => this.execute(runId, req.task, ready.folder.uri.fsPath, c, watch), req.withProgress);
  }

  /** Continues a journaled run from the panel's offer; a run another window holds is refused with its message. */
  async resume(runId: string): Promise<void> {
    const ready = this.readyToRun();
    if (!ready) return;
    const { resumable } = this.deps.store.state();
    const offered = resumable.find((r) => r.id === runId);
    this.deps.host.dispatch({ type: 'user_message', id: `user:${runId}:resume:${Date.now()}`, text: `Resume: ${offered?.task.split('\n')[0] ?? runId}` });
    this.deps.host.dispatch({ type: 'resumable', runs: this.deps.store.state().resumable.filter((r) => r.id !== runId) });
    await this.track(runId, (c) => this.continueRun(runId, c), false);
  }

  private readyToRun(): { folder: vscode.WorkspaceFolder } | undefined {
    if (this.running) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: a run is already in progress. Stop it first, or wait for it to finish.'));
      return undefined;
    }
    this.deps.window.refreshBlockers();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const gatewayBlock = this.deps.store.state().blockers.find((b) => b.kind === 'no-gateway' || b.kind === 'no-workspace');
    if (gatewayBlock || !folder) {
      void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', gatewayBlock?.message ?? 'open a folder first.'));
      return undefined;
    }
    return { folder };
  }

  private async track(runId: string, body: (c: AbortController) => Promise<void>, withProgress: boolean | undefined): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    this.activeRun = runId;
    // Nothing takes focus; the view shows progress and what waits (attentionHost.ts).
    if (withProgress) this.deps.window.showPanel();
    const work = body(controller).finally(() => {
      this.running = undefined;
      this.activeRun = undefined;
      this.deps.window.settled();
    });
    if (withProgress) {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Agent Harness'), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.deps.window.stop());
          progress.report({ message: 'working… (the side panel shows each step)' });
          await work;
        },
      );
    } else {
      await work;
    }
  }

  private async execute(runId: string, task: string, root: string, controller: AbortController, watch: ReturnType<typeof stopwatch>): Promise<void> {
    const { host, journals } = this.deps;
    const runMessages: Message[] = [];
    let opening: Promise<JournalWriter> | undefined;
    let dispose: (() => Promise<void>) | undefined;
    try {
      const { settings, gateway, key, pickedModel } = await this.deps.window.prepare();
      const [{ runAgent }, { composeRun }] = await Promise.all([import('../../core/agent/loop'), import('./runComposition')]);
      watch.lap('settings');
      // Every run is journaled, so a window reload or a crash can be resumed without paying twice. The
      // journal opens while the run is composed; nothing is written to it before the loop starts.
      let writer: JournalWriter | undefined;
      opening = journals.store().then((store) => store.create(runId)).then((w) => (writer = w));
      const sinks = [...this.runSinks(runMessages), firstCallTimer(watch, (line) => host.log.appendLine(line))];
      const composed = await composeRun(host, { runId, task, root, settings, gateway, key, ...(pickedModel ? { model: pickedModel } : {}), signal: controller.signal, journal: () => writer, sinks, watch });
      dispose = composed.dispose;
      const journal = await opening;
      host.log.appendLine(`[${new Date().toISOString()}] run ${runId} started: ${task.split('\n')[0]}`);
      const resumeConfig: ExtensionResumeConfig = { source: 'vscode', workspace: root, profile: settings.profile, gateway: { url: gateway.url, protocol: gateway.protocol, model: composed.session.model.model } };
      const result = await runAgent({ ...composed.session, runId, task, history: this.deps.store.history(), limits: composed.limits, journal, resumeConfig });
      this.deps.store.remember(runId, task, runMessages, result);
    } catch (e) {
      this.failedToStart(runId, e);
    } finally {
      await opening?.then((w) => w.close()).catch(() => undefined);
      await dispose?.().catch(() => undefined);
    }
  }


  private async continueRun(runId: string, controller: AbortController): Promise<void> {
    const { host, journals } = this.deps;
    const runMessages: Message[] = [];
    let task = '';
    let dispose: (() => Promise<void>) | undefined;
    try {
      const { settings, gateway, key } = await this.deps.window.prepare();
      const [{ resumeRun }, { composeRun }] = await Promise.all([import('../../adapters/journal/resumeRun'), import('./runComposition')]);
      const result = await resumeRun({
        store: await journals.store(),
        runId,
        onNote: (n) => host.dispatch({ type: 'notice', id: `resume:${runId}:${n}`, level: 'info', text: n }),
        confirmRerun: (call, kind, why) => this.confirmRerun(runId, call, kind, why, controller.signal),
        build: async (start) => {
          const parsed = ExtensionResumeConfigSchema.safeParse(start.resume);
          if (!parsed.success) throw new SettingsError(`Run ${runId} was not started in VS Code; continue it with \`agent-harness resume ${runId}\`.`);
          const cfg = parsed.data;
          task = start.task;
          // The gateway of the run's start, with today's key, headers and fallbacks.
          const runGateway: GatewayChoice = { ...gateway, url: cfg.gateway.url, protocol: cfg.gateway.protocol, model: cfg.gateway.model };
          const composed = await composeRun(host, { runId, task: start.task, root: cfg.workspace, settings: { ...settings, profile: cfg.profile }, gateway: runGateway, key, model: cfg.gateway.model, signal: controller.signal, journal: () => journals.resumeWriter, sinks: this.runSinks(runMessages) });
          dispose = composed.dispose;
          host.log.appendLine(`[${new Date().toISOString()}] run ${runId} resumed: ${start.task.split('\n')[0]}`);
          return composed.session;
        },
      });
      this.deps.store.remember(runId, task, runMessages, result);
    } catch (e) {
      this.failedToStart(runId, e);
      // The run stays resumable (e.g. another window held it); list it again.
      void this.deps.window.refreshDurable();
    } finally {
      await dispose?.().catch(() => undefined);
    }
  }

  private runSinks(runMessages: Message[]) {
    const { host } = this.deps;
    return [(e: AgentEvent) => host.dispatch(e), (e: AgentEvent) => {
      const line = runLogLine(e);
      if (line !== undefined) host.log.appendLine(this.deps.store.redactText(line));
    }, (e: AgentEvent) => collectMessages(e, runMessages)];
  }

  private failedToStart(runId: string, e: unknown): void {
    const { host } = this.deps;
    const message = e instanceof Error ? e.message : String(e);
    host.log.appendLine(`[${new Date().toISOString()}] run ${runId} could not start: ${this.deps.store.redactText(message)}`);
    host.dispatch({ type: 'notice', id: `error:${runId}:${Date.now()}`, level: 'error', text: message });
    host.dispatch({ type: 'run_cancelled', runId, seq: 0, time: new Date().toISOString(), result: emptyResult(message) });
  }

  /** An interrupted write or command may already have happened: the person decides in the panel. */
  private async confirmRerun(runId: string, call: ToolCall, kind: string | undefined, why: string, signal: AbortSignal): Promise<boolean> {
    const answer = await this.deps.host.askApproval(rerunRequest(runId, call, kind, why), undefined, signal, `rerun:${runId}:${call.id}`);
    return answer.approved;
  }
}

/** Logs, once, how long a run took from the person's message to its first model call, and where the time went. */
function firstCallTimer(watch: ReturnType<typeof stopwatch>, log: (line: string) => void): (e: AgentEvent) => void {
  let called = false;
  let answered = false;
  return (e) => {
    if (!called && e.type === 'model_call_started') {
      called = true;
      watch.lap('loop');
      log(`  first model call ${watch.summary()} after the message`);
    } else if (called && !answered && e.type === 'text_delta') {
      answered = true;
      watch.lap('model');
      log(`  first token ${watch.summary()} after the message`);
    }
  };
}
