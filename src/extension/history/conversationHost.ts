import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MessageSchema, type Message } from '../../core/model/messages';
import { ConversationItemSchema, type ConversationItem, type ConversationSummary, type PanelState } from '../../shared/panelState';
import type { ConversationStore } from './conversationStore';
import { summarize } from './conversationSummary';

/**
 * The conversation history of a workspace on the controller's side: which conversation is shown, saving
 * it as it changes, and opening or deleting saved ones. What is saved is already redacted by the caller.
 * Without a storage folder (no workspace open) there is only the conversation on screen.
 */
export class ConversationHost {
  private created = new Date().toISOString();

  constructor(
    private readonly store: ConversationStore | undefined,
    private current: string = randomUUID(),
  ) {}

  get id(): string {
    return this.current;
  }

  /** A fresh conversation id (New chat); the one shown before stays in the history. */
  startNew(): string {
    this.current = randomUUID();
    this.created = new Date().toISOString();
    return this.current;
  }

  /** Saves the conversation shown, once it has a message. */
  async save(state: Pick<PanelState, 'items'>, history: unknown, now = new Date()): Promise<void> {
    const summary = summarize(this.current, this.created, state, now);
    if (!summary || !this.store) return;
    await this.store.save(summary, { items: state.items, history });
  }

  async list(): Promise<ConversationSummary[]> {
    return (await this.store?.list()) ?? [];
  }

  /** A saved conversation's items and model-facing messages; undefined when it is gone or damaged. */
  async open(id: string): Promise<{ items: ConversationItem[]; history: Message[] } | undefined> {
    const data = await this.store?.load(id);
    const items = z.array(ConversationItemSchema).safeParse(data?.items);
    const history = z.array(MessageSchema).safeParse(data?.history);
    if (!items.success || !history.success) return undefined;
    const summary = (await this.list()).find((c) => c.id === id);
    this.current = id;
    this.created = summary?.created ?? new Date().toISOString();
    return { items: items.data, history: history.data };
  }

  async delete(id: string): Promise<void> {
    await this.store?.delete(id);
  }
}
