import type { AttachmentChip, MentionItem } from '../shared/attachments';
import type { WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { mentionAt, removeMention, type MentionAt } from './mentionQuery';
import { formatTokens } from './viewModels';
import { t } from './strings';

type Send = (msg: WebviewMessage) => void;

/**
 * The message box with its attachments: `@` opens a picker of workspace files and folders, the
 * selection, problems, the last command's output and the uncommitted changes (the rows come from the
 * host); chosen rows become removable chips whose tokens count in the context meter before sending.
 * The picker is a listbox the textarea drives (arrow keys, Enter or Tab to choose, Escape to close).
 */
export class Composer {
  readonly input: HTMLTextAreaElement;
  readonly chipsEl: HTMLElement;
  readonly pickerEl: HTMLElement;
  readonly errorEl: HTMLElement;
  private chips: AttachmentChip[] = [];
  private picker: { at: MentionAt; items: MentionItem[]; active: number } | undefined;
  private queryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: Send,
    private readonly submit: () => void,
    private readonly changed: () => void,
  ) {
    this.input = h('textarea', {
      class: 'input',
      attrs: { rows: '3', id: 'composer-input', placeholder: t('Ask the agent to do something… (@ to attach context, Enter to send, Shift+Enter for a new line)'), 'aria-label': t('Message to the agent'), 'aria-autocomplete': 'list', 'aria-controls': 'mention-picker' },
    });
    this.chipsEl = h('div', { class: 'chips', attrs: { role: 'list', 'aria-label': t('Attached context') } });
    this.pickerEl = h('div', { class: 'mention-picker', attrs: { id: 'mention-picker', role: 'listbox', 'aria-label': t('Attach context') } });
    this.pickerEl.hidden = true;
    this.errorEl = h('div', { class: 'attach-error', attrs: { role: 'alert' } });
    this.input.addEventListener('input', () => {
      this.errorEl.textContent = '';
      this.updatePicker();
      this.changed();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.closePicker(), 150));
  }

  /** Ids of the attachments to send with the message; sending clears them. */
  take(): string[] {
    const ids = this.chips.map((c) => c.id);
    this.chips = [];
    this.renderChips();
    return ids;
  }

  /** Tokens the attachments and the typed text add to the next request (about four characters a token). */
  pendingTokens(): number {
    return this.chips.reduce((n, c) => n + c.tokens, 0) + Math.ceil(this.input.value.length / 4);
  }

  attached(chip: AttachmentChip): void {
    this.chips = [...this.chips.filter((c) => c.id !== chip.id), chip];
    this.renderChips();
    this.input.focus();
    this.changed();
  }

  failed(message: string): void {
    this.errorEl.textContent = message;
  }

  mentions(query: string, items: MentionItem[]): void {
    if (!this.picker || this.picker.at.query !== query) return;
    this.picker = { ...this.picker, items, active: 0 };
    this.renderPicker();
  }

  private onKey(e: KeyboardEvent): void {
    if (this.picker && this.picker.items.length > 0) {
      const n = this.picker.items.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.picker.active = (this.picker.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
        this.renderPicker();
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        this.choose(this.picker.active);
        return;
      }
    }
    if (e.key === 'Escape' && this.picker) {
      e.preventDefault();
      e.stopPropagation();
      this.closePicker();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    }
  }

  private updatePicker(): void {
    const at = mentionAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (!at) return this.closePicker();
    const same = this.picker?.at.query === at.query && this.picker.at.start === at.start;
    this.picker = { at, items: same ? this.picker!.items : [], active: 0 };
    this.pickerEl.hidden = false;
    if (this.queryTimer) clearTimeout(this.queryTimer);
    this.queryTimer = setTimeout(() => this.send({ type: 'mentionQuery', query: at.query }), 60);
    this.renderPicker();
  }

  private choose(index: number): void {
    const p = this.picker;
    const item = p?.items[index];
    if (!p || !item) return;
    const next = removeMention(this.input.value, p.at, this.input.selectionStart ?? this.input.value.length);
    this.input.value = next.text;
    this.input.setSelectionRange(next.caret, next.caret);
    this.closePicker();
    this.send({ type: 'attach', ref: item.ref });
  }

  private closePicker(): void {
    if (!this.picker) return;
    this.picker = undefined;
    this.pickerEl.hidden = true;
    this.pickerEl.replaceChildren();
    this.input.removeAttribute('aria-activedescendant');
  }

  private renderPicker(): void {
    const p = this.picker;
    if (!p) return;
    if (p.items.length === 0) {
      this.pickerEl.replaceChildren(h('div', { class: 'mention-empty muted', text: p.at.query ? `No match for “${p.at.query}”` : 'Loading…' }));
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    this.pickerEl.replaceChildren(
      ...p.items.map((item, i) => {
        const row = h('div', { class: `mention-row${i === p.active ? ' active' : ''}`, attrs: { role: 'option', id: `mention-${i}`, 'aria-selected': String(i === p.active), 'data-kind': item.ref.kind } }, [
          h('span', { class: 'mention-label', text: item.label }),
          item.detail ? h('span', { class: 'mention-detail', text: item.detail }) : undefined,
        ]);
        // mousedown, not click: the textarea's blur would close the picker first.
        row.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.choose(i);
        });
        return row;
      }),
    );
    this.input.setAttribute('aria-activedescendant', `mention-${p.active}`);
    this.pickerEl.querySelector('.mention-row.active')?.scrollIntoView({ block: 'nearest' });
  }

  private renderChips(): void {
    this.chipsEl.replaceChildren(
      ...this.chips.map((c) =>
        h('span', { class: `chip ${c.kind}`, attrs: { role: 'listitem', 'data-kind': c.kind }, title: `${c.detail ?? c.label} · about ${formatTokens(c.tokens)} tokens` }, [
          h('span', { class: 'chip-label', text: c.label }),
          h('span', { class: 'chip-tokens', text: formatTokens(c.tokens) }),
          (() => {
            const x = button(t('×'), () => {
              this.chips = this.chips.filter((o) => o.id !== c.id);
              this.send({ type: 'detach', id: c.id });
              this.renderChips();
              this.changed();
              this.input.focus();
            }, 'chip-remove');
            x.setAttribute('aria-label', `Remove ${c.label}`);
            return x;
          })(),
        ]),
      ),
    );
  }
}
