import type { ConversationSummary } from '../shared/panelState';
import type { WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { formatCost, formatTokens } from './viewModels';
import { t } from './strings';

/** The history list's filter: every word of the query in the title (case-insensitive). */
export function matchesQuery(c: Pick<ConversationSummary, 'title'>, query: string): boolean {
  const t = c.title.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => t.includes(w));
}

/** "Today 14:05", "Yesterday", or the date: when a conversation was last continued. */
export function whenText(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(now) - day(d)) / 86_400_000);
  if (days === 0) return `Today ${d.toTimeString().slice(0, 5)}`;
  if (days === 1) return 'Yesterday';
  return d.toISOString().slice(0, 10);
}

/**
 * The conversations of this workspace, most recent first, with a search box: open one to continue it,
 * or delete it. The list comes from the host; the query is the webview's own.
 */
export class HistoryView {
  readonly el = h('section', { class: 'history', attrs: { 'aria-label': t('Chat history') } });
  private readonly search = h('input', { class: 'history-search', attrs: { type: 'search', placeholder: t('Search conversations'), 'aria-label': t('Search conversations') } });
  private readonly list = h('ul', { class: 'history-list', attrs: { 'aria-label': t('Conversations') } });
  private conversations: ConversationSummary[] = [];
  private current: string | undefined;

  constructor(
    private readonly send: (m: WebviewMessage) => void,
    private readonly close: () => void,
  ) {
    this.search.addEventListener('input', () => this.renderList());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
    this.el.append(h('div', { class: 'history-head' }, [h('h2', { text: t('Chat history') }), button(t('Back to chat'), () => this.close(), 'secondary history-back')]), this.search, this.list);
  }

  update(conversations: ConversationSummary[], current: string | undefined): void {
    this.conversations = conversations;
    this.current = current;
    this.renderList();
  }

  focus(): void {
    this.search.focus();
  }

  private renderList(): void {
    const now = new Date();
    const shown = this.conversations.filter((c) => matchesQuery(c, this.search.value));
    if (shown.length === 0) {
      this.list.replaceChildren(h('li', { class: 'muted', text: this.conversations.length === 0 ? 'No saved conversations yet.' : 'No conversation matches.' }));
      return;
    }
    this.list.replaceChildren(
      ...shown.map((c) => {
        const open = button(c.title, () => this.send({ type: 'openConversation', id: c.id }), 'history-open', c.id === this.current ? 'The conversation shown now' : 'Open and continue this conversation');
        const del = button(t('Delete'), () => this.send({ type: 'deleteConversation', id: c.id }), 'secondary history-delete');
        del.setAttribute('aria-label', `Delete “${c.title}”`);
        return h('li', { class: `history-item${c.id === this.current ? ' current' : ''}`, attrs: { 'data-id': c.id } }, [
          open,
          h('div', { class: 'history-meta muted', text: `${whenText(c.updated, now)} · ${c.messages} message${c.messages === 1 ? '' : 's'} · ${formatTokens(c.tokens)} tokens · ${formatCost(c.costUsd, c.costUnknown)}` }),
          del,
        ]);
      }),
    );
  }
}
