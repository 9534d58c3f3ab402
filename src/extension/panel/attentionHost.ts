import * as vscode from 'vscode';
import type { PanelState } from '../../shared/panelState';
import { attentionNotes, badgeFor, type AttentionNote } from './attention';
import { VIEW_ID } from '../commands/commandTable';

export interface AttentionHostOptions {
  /** agentHarness.notifications.enabled: notes for an unfocused window. */
  enabled(): boolean;
  /** "Show" on a note: the panel, or the diff of a waiting proposed edit. */
  show(note: AttentionNote): void;
}

/**
 * Brings things to the person's attention without taking focus: the view shows progress while the
 * agent works and a badge counting what waits for the person, the `agentHarness.waiting` context key drives the approve/reject keybindings, and when
 * the window is not focused a notification says that an approval is needed or a run finished.
 */
export class AttentionHost {
  private view: vscode.WebviewView | undefined;
  private waiting = false;
  private badge: { value: number; tooltip: string } | undefined;
  /** Ends the view's progress indicator; set while the agent works (not while it waits: the badge shows then). */
  private progress: { ended: boolean; end?: () => void } | undefined;

  constructor(private readonly opts: AttentionHostOptions) {}

  attach(view: vscode.WebviewView): void {
    this.view = view;
    view.badge = this.badge;
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  update(prev: PanelState, next: PanelState): void {
    const working = next.status === 'running' || next.status === 'stopping';
    if (working && !this.progress) {
      const p: { ended: boolean; end?: () => void } = { ended: false };
      this.progress = p;
      void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => new Promise<void>((resolve) => (p.ended ? resolve() : (p.end = resolve))));
    } else if (!working && this.progress) {
      this.progress.ended = true;
      this.progress.end?.();
      this.progress = undefined;
    }
    this.badge = badgeFor(next);
    if (this.view && (this.view.badge?.value ?? 0) !== (this.badge?.value ?? 0)) this.view.badge = this.badge;
    const waiting = this.badge !== undefined;
    if (waiting !== this.waiting) {
      this.waiting = waiting;
      void vscode.commands.executeCommand('setContext', 'agentHarness.waiting', waiting);
    }
    if (vscode.window.state.focused || !this.opts.enabled()) return;
    for (const note of attentionNotes(prev, next)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', note.text), 'Show').then((choice) => {
        if (choice === 'Show') this.opts.show(note);
      });
    }
  }
}
