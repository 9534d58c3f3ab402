import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import type { Choice } from './choices';

type Msg<K extends WebviewMessage['type']> = Extract<WebviewMessage, { type: K }>;

/** One handler per webview message type: the compiler says when a new intent has none. */
export type PanelIntentHandlers = { [K in WebviewMessage['type']]: (msg: Msg<K>) => unknown };

/** What the panel's intents act on; the controller lends these without opening its fields. */
export interface PanelIntentTarget {
  /** The panel (re)loaded: the whole state, then what waited for it. */
  ready(): void;
  /** The panel missed a patch: the whole state again. */
  resync(): void;
  send(text: string, attachments: readonly string[]): Promise<void>;
  stop(): void;
  newChat(): void;
  decide(msg: Msg<'approve' | 'reject'>): void;
  answer(msg: Msg<'answer'>): void;
  attachments: { handle(msg: Msg<'mentionQuery' | 'attach' | 'detach'>, post: (m: HostMessage) => void): Promise<void> };
  post(m: HostMessage): void;
  proposals: { show(key?: string): boolean; decideAll(approve: boolean): void };
  choose(change: Choice): Promise<void>;
  listConversations(): Promise<void>;
  openConversation(id: string): Promise<void>;
  deleteConversation(id: string): Promise<void>;
  resume(runId: string): Promise<void>;
  dismiss(runId: string): Promise<void>;
}

/**
 * The side panel's user intents as a table of handlers (the webview sends intents only; the host
 * decides whether each is allowed now), in the style of the command table.
 */
export function panelIntents(t: PanelIntentTarget): PanelIntentHandlers {
  const command = (id: string, ...args: unknown[]) => () => vscode.commands.executeCommand(id, ...args);
  return {
    ready: () => t.ready(),
    resync: () => t.resync(),
    send: (m) => t.send(m.text, m.attachments),
    stop: () => t.stop(),
    newChat: () => t.newChat(),
    approve: (m) => t.decide(m),
    reject: (m) => t.decide(m),
    answer: (m) => t.answer(m),
    mentionQuery: (m) => t.attachments.handle(m, (x) => t.post(x)),
    attach: (m) => t.attachments.handle(m, (x) => t.post(x)),
    detach: (m) => t.attachments.handle(m, (x) => t.post(x)),
    showPending: (m) => t.proposals.show(m.key) || void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: no proposed changes are waiting.')),
    decidePending: (m) => t.proposals.decideAll(m.approve),
    chooseModel: (m) => t.choose({ model: m.model }),
    chooseProfile: (m) => t.choose({ profile: m.profile }),
    listConversations: () => t.listConversations(),
    openConversation: (m) => t.openConversation(m.id),
    deleteConversation: (m) => t.deleteConversation(m.id),
    resumeRun: (m) => t.resume(m.id),
    dismissRun: (m) => t.dismiss(m.id),
    setGatewayKey: command('agentHarness.setGatewayKey'),
    openSettings: command('workbench.action.openSettings', 'agentHarness.gateway'),
    manageTrust: command('workbench.trust.manage'),
    reviewDiff: command('agentHarness.codeReview.run'),
  };
}
