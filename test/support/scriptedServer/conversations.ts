import type { RecordedRequest, Responder } from './server';
import type { Turn } from './turn';

/**
 * Scripts per conversation, for runs that go on at the same time (an eval's parallel attempts): the
 * conversation is chosen by its first user message, and the turn by how many assistant messages the
 * request already carries, so interleaved requests of different runs each get their own next turn.
 */
export interface Conversation {
  /** Text the first user message contains. */
  match: string;
  turns: Turn[];
}

export function conversationResponder(conversations: readonly Conversation[]): Responder {
  return (req: RecordedRequest): Turn => {
    const first = firstUserText(req.body);
    const conv = conversations.find((c) => first.includes(c.match));
    if (!conv) return { fault: 'status', status: 400, message: `no conversation is scripted for a task starting "${first.slice(0, 80)}"` };
    const n = assistantMessages(req.body);
    return conv.turns[Math.min(n, conv.turns.length - 1)]!;
  };
}

interface MessageLike {
  role?: string;
  content?: unknown;
}

function messagesOf(body: unknown): MessageLike[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as MessageLike[]) : [];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b) => (typeof b === 'object' && b && 'text' in b && typeof b.text === 'string' ? b.text : '')).join('');
  return '';
}

/** The first user message's text (both protocols put the task there). */
export function firstUserText(body: unknown): string {
  return textOf(messagesOf(body).find((m) => m.role === 'user')?.content);
}

export function assistantMessages(body: unknown): number {
  return messagesOf(body).filter((m) => m.role === 'assistant').length;
}
