import path from 'node:path';
import { z } from 'zod';
import { MessageSchema, type Message } from '../../core/model/messages';
import type { Redactor } from '../../core/trace/redact';
import { PanelStateSchema, type ConversationItem, type ConversationSummary, type PanelState } from '../../shared/panelState';
import { PanelStore, type KeyValue } from '../panel/panelStore';
import { ConversationHost } from './conversationHost';
import { ConversationStore } from './conversationStore';

const MAX_HISTORY_MESSAGES = 200;

/**
 * What the chat remembers: the model-facing messages of the conversation shown, the run Undo Last Run
 * restores, the panel state saved for a window reload (panelStore.ts) and every conversation of the
 * workspace for the history list (conversationStore.ts). Everything saved passes the redactor first.
 */
export class ChatMemory {
  history: Message[] = [];
  lastRun: string | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly panel: PanelStore;
  private readonly conversations: ConversationHost;

  constructor(
    storageDir: string | undefined,
    memento: KeyValue,
    private readonly deps: { state(): PanelState; redact(): Redactor; log(line: string): void },
  ) {
    this.panel = new PanelStore(storageDir, memento);
    const stored = this.panel.load();
    const saved = PanelStateSchema.safeParse(stored.state);
    this.restored = saved.success ? saved.data : undefined;
    if (stored.state !== undefined && !saved.success) deps.log(`the saved conversation could not be restored: ${saved.error.issues[0]?.message ?? 'invalid'} at ${saved.error.issues[0]?.path.join('.') ?? ''}`);
    const hist = z.array(MessageSchema).safeParse(stored.history);
    this.history = hist.success ? hist.data : [];
    this.lastRun = typeof stored.lastRunId === 'string' ? stored.lastRunId : undefined;
    this.conversations = new ConversationHost(storageDir ? new ConversationStore(path.join(storageDir, 'conversations')) : undefined, this.restored?.conversationId);
  }

  /** The panel state saved before the window reloaded, if it could be read. */
  readonly restored: PanelState | undefined;

  get conversationId(): string {
    return this.conversations.id;
  }

  /** A run's turns join the conversation; a run that did not complete leaves only its task and what it said. */
  remember(task: string, runMessages: Message[], completed: boolean, output: string): void {
    // A stopped run may end in a tool call without a result, which no provider accepts in the next request.
    const added: Message[] = completed ? [{ role: 'user', content: task }, ...runMessages] : [{ role: 'user', content: task }, { role: 'assistant', text: output || '(the run stopped before it finished)', toolCalls: [] }];
    this.history = [...this.history, ...added].slice(-MAX_HISTORY_MESSAGES);
    while (this.history.length > 0 && this.history[0]?.role !== 'user') this.history.shift();
    this.flush();
  }

  /** New chat: the conversation shown stays in the history; a new one starts. Returns its id. */
  startNew(): string {
    this.flush();
    this.history = [];
    return this.conversations.startNew();
  }

  /** Opens a saved conversation: its items for the panel; its messages become the history. */
  async open(id: string): Promise<ConversationItem[] | undefined> {
    this.flush();
    const c = await this.conversations.open(id);
    if (!c) return undefined;
    this.history = c.history;
    return c.items;
  }

  delete(id: string): Promise<void> {
    return this.conversations.delete(id);
  }

  list(): Promise<ConversationSummary[]> {
    return this.conversations.list();
  }

  scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => this.flush(), 500);
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const redact = this.deps.redact();
    const state = this.deps.state();
    const data = redact({ state, history: this.history, ...(this.lastRun ? { lastRunId: this.lastRun } : {}) });
    void this.panel.save(data);
    this.conversations.save(data.state, data.history).catch((e: unknown) => this.deps.log(`could not save the conversation history: ${e instanceof Error ? e.message : String(e)}`));
  }
}
