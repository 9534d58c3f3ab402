import type { ConversationItem, PanelState } from '../shared/panelState';
import { parseHostMessage, type WebviewMessage } from '../shared/protocol';
import { applyPanelPatch } from '../shared/panelPatch';
import { announcements } from './announce';
import { Composer } from './composer';
import { button, h, reconcile } from './dom';
import { ledgerLines, resumableRunView } from './durableViews';
import { renderItem } from './items';
import { HistoryView } from './historyView';
import { renderPendingCard } from './pendingCard';
import { contextMeter, statusLabel, usageRow, type UsageRow } from './viewModels';
import { t } from './strings';

/**
 * The side panel's browser code. It renders the state the extension host sends and sends back user
 * intents; it keeps no state of its own beyond the message being written (text and attachments).
 * Imports only src/shared.
 */
interface VsCodeApi {
  postMessage(msg: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (msg: WebviewMessage) => vscode.postMessage(msg);

const root = document.getElementById('root')!;
const header = h('header', { class: 'header' });
const statusEl = h('span', { class: 'status', attrs: { role: 'status' } });
const modelEl = h('span', { class: 'model' });
const demoEl = h('span', { class: 'badge demo', text: t('DEMO'), title: t('Offline demo: answers come from a scripted model server, not a real model.') });
const modelSelect = h('select', { class: 'model-picker', attrs: { 'aria-label': t('Model for this workspace'), title: t('Model for this workspace (not written to settings)') } });
const profileSelect = h('select', { class: 'profile-picker', attrs: { 'aria-label': t('Profile for this workspace'), title: t('Profile for this workspace (not written to settings)') } });
modelSelect.addEventListener('change', () => send({ type: 'chooseModel', model: modelSelect.value }));
profileSelect.addEventListener('change', () => send({ type: 'chooseProfile', profile: profileSelect.value }));
const historyBtn = button(t('History'), () => showHistory(!showingHistory), 'secondary history-toggle', t('Saved conversations of this workspace'));
header.append(statusEl, demoEl, h('span', { class: 'pickers' }, [profileSelect, modelSelect, modelEl]), historyBtn);
const blockers = h('section', { class: 'blockers', attrs: { 'aria-label': t('Setup needed') } });
const resumable = h('section', { class: 'resumable', attrs: { 'aria-label': t('Unfinished runs') } });
const conversation = h('section', { class: 'conversation', attrs: { 'aria-label': t('Conversation'), tabindex: '0' } });
/** The one live region: a line per new item and per status change (announce.ts). */
const announcer = h('div', { class: 'visually-hidden', attrs: { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' } });
const pendingEl = h('section', { class: 'pending-section', attrs: { 'aria-label': t('Waiting for your review') } });
const side = h('section', { class: 'side', attrs: { 'aria-label': t('Skills and token usage') } });
const composer = new Composer(send, () => submit(), () => renderMeter());
const sendBtn = button(t('Send'), () => submit(), 'primary send');
const stopBtn = button(t('Stop'), () => send({ type: 'stop' }), 'stop', t('Stop the run (Escape)'));
const newBtn = button(t('New chat'), () => send({ type: 'newChat' }), 'secondary new-chat');
const reviewBtn = button(t('Review diff'), () => send({ type: 'reviewDiff' }), 'secondary review-diff', t('Agent Harness: Review Current Diff'));
const meterEl = h('div', { class: 'meter-slot' });
const footer = h('footer', { class: 'composer' }, [composer.pickerEl, composer.chipsEl, composer.input, composer.errorEl, h('div', { class: 'composer-actions' }, [reviewBtn, newBtn, stopBtn, sendBtn])]);
root.append(header, blockers, resumable, conversation, pendingEl, side, footer, announcer);

const history = new HistoryView(send, () => showHistory(false));
history.el.hidden = true;
root.insertBefore(history.el, conversation);
let showingHistory = false;

/** The history list takes the conversation's place until a conversation is opened or Back is pressed. */
function showHistory(on: boolean): void {
  showingHistory = on;
  history.el.hidden = !on;
  conversation.hidden = on;
  historyBtn.setAttribute('aria-pressed', String(on));
  if (on) {
    send({ type: 'listConversations' });
    history.focus();
  } else composer.input.focus();
}

const rendered = new Map<string, { json: string; item: ConversationItem; el: HTMLElement }>();
const lastParts = new Map<string, string>();

/** Whether a part of the state differs from the last render (and remembers it). */
function changed(part: string, data: unknown): boolean {
  const json = JSON.stringify(data);
  if (lastParts.get(part) === json) return false;
  lastParts.set(part, json);
  return true;
}
let current: PanelState | undefined;
/** The revision of the last state or patch applied; a patch on another base means one was missed. */
let rev = 0;

function submit(): void {
  const text = composer.input.value.trim();
  if (!text || !current || current.status !== 'idle') return;
  send({ type: 'send', text, attachments: composer.take() });
  composer.input.value = '';
  renderMeter();
}

// Escape stops a run from anywhere in the panel (the picker's own Escape closes only the picker).
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !e.defaultPrevented && current && current.status !== 'idle') {
    e.preventDefault();
    send({ type: 'stop' });
  }
});

function render(state: PanelState): void {
  const prev = current;
  current = state;
  statusEl.textContent = statusLabel(state);
  statusEl.className = `status ${state.status}`;
  demoEl.hidden = !state.demo;
  renderPickers(state);
  blockers.replaceChildren(
    ...state.blockers.map((b) =>
      h('div', { class: `blocker ${b.kind}` }, [
        h('div', { class: 'blocker-text', text: b.message }),
        b.kind === 'no-gateway' ? h('div', { class: 'actions' }, [button(t('Open Settings'), () => send({ type: 'openSettings' }), 'primary'), button(t('Set Gateway Key'), () => send({ type: 'setGatewayKey' }))]) : undefined,
        b.kind === 'untrusted' ? h('div', { class: 'actions' }, [button(t('Manage Workspace Trust'), () => send({ type: 'manageTrust' }), 'primary')]) : undefined,
      ]),
    ),
  );
  // Parts that rarely change are rebuilt only when their data did (a streaming answer changes 25 times a second).
  if (changed('resumable', [state.resumable, state.status === 'idle'])) renderResumable(state);
  renderConversation(state);
  if (changed('history', [state.conversations, state.conversationId])) history.update(state.conversations, state.conversationId);
  // Opening a conversation from the list shows it.
  if (showingHistory && prev && prev.conversationId !== state.conversationId) showHistory(false);
  if (changed('pending', state.pending)) {
    const pendingCard = renderPendingCard(state.pending, send);
    pendingEl.replaceChildren(...(pendingCard ? [pendingCard] : []));
  }
  if (changed('side', [state.skills, state.runUsage, state.sessionUsage, state.usageSummary])) renderSide(state);
  else renderMeter();

  const idle = state.status === 'idle';
  const blocked = state.blockers.some((b) => b.kind === 'no-gateway' || b.kind === 'no-workspace');
  sendBtn.disabled = !idle || blocked;
  composer.input.disabled = blocked;
  reviewBtn.disabled = blocked;
  stopBtn.hidden = idle;
  newBtn.hidden = !idle || state.items.length === 0;

  for (const line of announcements(prev, state)) announcer.append(h('div', { text: line }));
  while (announcer.childElementCount > 20) announcer.firstElementChild?.remove();
  if (prev && waitingIds(state).some((id) => !waitingIds(prev).includes(id))) focusWaiting(false);
}

/** The model and profile pickers; without them (no gateway yet) the model's name. A fallback that answered is named beside. */
function renderPickers(state: PanelState): void {
  const p = state.picker;
  modelSelect.hidden = profileSelect.hidden = !p;
  if (p) {
    fillSelect(modelSelect, p.models.map((m) => ({ value: m, label: m })), p.model);
    fillSelect(profileSelect, p.profiles.map((x) => ({ value: x.name, label: x.name, title: x.description })), p.profile);
    modelSelect.disabled = profileSelect.disabled = state.status !== 'idle';
  }
  modelEl.textContent = !p ? (state.model ?? '') : state.model && state.model !== p.model ? `answered by ${state.model}` : '';
}

function fillSelect(el: HTMLSelectElement, options: { value: string; label: string; title?: string }[], selected: string): void {
  const key = JSON.stringify(options);
  if (el.dataset.options !== key) {
    el.replaceChildren(...options.map((o) => h('option', { text: o.label, ...(o.title ? { title: o.title } : {}), attrs: { value: o.value } })));
    el.dataset.options = key;
  }
  if (document.activeElement !== el || el.value !== selected) el.value = selected;
}

function renderResumable(state: PanelState): void {
  const idleNow = state.status === 'idle';
  resumable.replaceChildren(
    ...(state.resumable.length === 0
      ? []
      : [
          h('h2', { text: t('Unfinished runs') }),
          ...state.resumable.map((r) => {
            const v = resumableRunView(r, new Date());
            const resume = button(t('Resume'), () => send({ type: 'resumeRun', id: v.id }), 'primary resume-run', t('Continue from the first unfinished step; completed model calls are not paid for again'));
            resume.disabled = !idleNow;
            return h('div', { class: 'resumable-run', attrs: { 'data-run': v.id } }, [
              h('div', { class: 'resumable-title', text: v.title }),
              h('div', { class: 'muted', text: v.detail }),
              h('div', { class: 'actions' }, [resume, button(t('Dismiss'), () => send({ type: 'dismissRun', id: v.id }), 'secondary dismiss-run')]),
            ]);
          }),
        ]),
  );
}

function renderConversation(state: PanelState): void {
  const nearBottom = conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 40;
  const seen = new Set<string>();
  const children: HTMLElement[] = [];
  for (const item of state.items) {
    seen.add(item.id);
    let entry = rendered.get(item.id);
    // A patch keeps unchanged items as the same objects: only new or changed ones are compared and rebuilt.
    if (entry?.item !== item) {
      const json = JSON.stringify(item);
      if (!entry || entry.json !== json) entry = { json, item, el: renderItem(item, send) };
      else entry = { ...entry, item };
      rendered.set(item.id, entry);
    }
    children.push(entry.el);
  }
  for (const id of [...rendered.keys()]) if (!seen.has(id)) rendered.delete(id);
  if (children.length === 0) children.push(emptyNote);
  reconcile(conversation, children);
  if (nearBottom) conversation.scrollTop = conversation.scrollHeight;
}
const emptyNote = h('div', { class: 'empty', text: t('Ask a question or describe a task; type @ to attach files, the selection, problems or your uncommitted changes. Proposed edits open as diffs you approve or reject; commands ask first.') });

function renderSide(state: PanelState): void {
  side.replaceChildren(
    h('div', { class: 'skills' }, [
      h('h2', { text: t('Skills used') }),
      state.skills.length === 0
        ? h('div', { class: 'muted', text: t('None for this run.') })
        : h('ul', {}, state.skills.map((s) => h('li', { class: 'skill' }, [h('span', { class: 'skill-name', text: s.name }), h('span', { class: 'skill-reason', text: ` — ${s.reason}` })]))),
    ]),
    h('div', { class: 'usage' }, [
      h('h2', { text: t('Token usage') }),
      usageTable([usageRow(t('Run'), state.runUsage), usageRow(t('Session'), state.sessionUsage)]),
      meterEl,
      state.usageSummary ? ledgerSection(state.usageSummary) : undefined,
    ]),
  );
  renderMeter();
}

/** The context meter, with what the message being written adds; a progressbar with its values. */
function renderMeter(): void {
  const meter = current ? contextMeter(current, composer.pendingTokens()) : undefined;
  if (!meter) return void meterEl.replaceChildren();
  const fill = h('div', { class: 'meter-fill' });
  const bar = meter.percent !== undefined
    ? h('div', { class: 'meter-bar', attrs: { role: 'progressbar', 'aria-label': t('Context window used'), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(meter.percent), 'aria-valuetext': meter.label } }, [fill])
    : undefined;
  meterEl.replaceChildren(h('div', { class: `meter ${meter.level}`, title: meter.label }, [bar, h('div', { class: 'meter-label', text: meter.label })]));
  // Width through the CSSOM: the CSP forbids inline style attributes, not CSSOM writes.
  if (meter.percent !== undefined) fill.style.width = `${meter.percent}%`;
}

function ledgerSection(summary: NonNullable<PanelState['usageSummary']>): HTMLElement {
  const { totals, models } = ledgerLines(summary);
  return h('div', { class: 'ledger', title: t('From the usage ledger: every model call in all windows and the CLI') }, [
    ...totals.map((l) => h('div', { class: 'ledger-line' }, [h('span', { class: 'ledger-label', text: `${l.label}: ` }), h('span', { text: l.text })])),
    models.length > 0 ? h('ul', { class: 'ledger-models' }, models.map((m) => h('li', {}, [h('span', { class: 'ledger-label', text: `${m.label}: ` }), h('span', { text: m.text })]))) : undefined,
  ]);
}

function usageTable(rows: UsageRow[]): HTMLElement {
  const head = h('tr', {}, ['', t('Input'), t('Output'), t('Cache read'), t('Cache write'), t('Cost')].map((label, i) => h(i === 0 ? 'td' : 'th', { text: label, attrs: i === 0 ? {} : { scope: 'col' } })));
  return h('table', { class: 'usage-table', attrs: { 'aria-label': t('Token usage') } }, [
    h('thead', {}, [head]),
    h('tbody', {}, rows.map((r, i) => h('tr', { class: i === 0 ? 'usage-run' : 'usage-session' }, [h('th', { text: r.label, attrs: { scope: 'row' } }), h('td', { class: 'in', text: r.input }), h('td', { class: 'out', text: r.output }), h('td', { text: r.cacheRead }), h('td', { text: r.cacheWrite }), h('td', { class: 'cost', text: r.cost })]))),
  ]);
}

function waitingIds(state: PanelState): string[] {
  return [...state.items.filter((i) => (i.kind === 'approval' || i.kind === 'question') && i.state === 'waiting').map((i) => i.id), ...state.pending.map((p) => p.key)];
}

/**
 * Focus on the first waiting card's primary button, when asked (Focus keybinding) or when a card
 * appears while the person is in the panel and not typing: never taken from another part of VS Code.
 */
function focusWaiting(asked: boolean): void {
  const typing = document.activeElement === composer.input && composer.input.value !== '';
  if (!asked && (!document.hasFocus() || typing)) return;
  const target = document.querySelector<HTMLElement>('.card.approval.waiting button.primary, .card.question.waiting input.answer, .card.pending.waiting button.primary');
  target?.focus();
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only protocol messages are acted on; anything else is ignored.
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  switch (msg.type) {
    case 'state':
      rev = msg.rev ?? 0;
      return render(msg.state);
    case 'patch': {
      const next = current ? applyPanelPatch(current, rev, msg) : undefined;
      if (!next) return send({ type: 'resync' });
      rev = msg.rev;
      return render(next);
    }
    case 'prefill':
      composer.input.value = msg.text;
      return composer.input.focus();
    case 'focus':
      return msg.target === 'input' ? composer.input.focus() : focusWaiting(true);
    case 'mentions':
      return composer.mentions(msg.query, msg.items);
    case 'attached':
      return composer.attached(msg.chip);
    case 'attachFailed':
      return composer.failed(msg.message);
    case 'showHistory':
      return showHistory(true);
  }
});

send({ type: 'ready' });
