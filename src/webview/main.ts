import type { PanelState } from '../shared/panelState';
import { parseHostMessage, type WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { renderItem } from './items';
import { contextMeter, statusLabel, usageRow, type UsageRow } from './viewModels';
import { ledgerLines, resumableRunView } from './durableViews';

/**
 * The side panel's browser code. It renders the state the extension host sends and sends back user
 * intents; it keeps no state of its own beyond the text being typed. Imports only src/shared.
 */
interface VsCodeApi {
  postMessage(msg: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (msg: WebviewMessage) => vscode.postMessage(msg);

const root = document.getElementById('root')!;
const header = h('header', { class: 'header' });
const blockers = h('section', { class: 'blockers' });
const resumable = h('section', { class: 'resumable' });
const conversation = h('section', { class: 'conversation', attrs: { role: 'log' } });
const side = h('section', { class: 'side' });
const input = h('textarea', { class: 'input', attrs: { rows: '3', placeholder: 'Ask the agent to do something… (Enter to send, Shift+Enter for a new line)', 'aria-label': 'Message' } });
const sendBtn = button('Send', () => submit(), 'primary send');
const stopBtn = button('Stop', () => send({ type: 'stop' }), 'stop');
const newBtn = button('New chat', () => send({ type: 'newChat' }), 'secondary new-chat');
const reviewBtn = button('Review diff', () => send({ type: 'reviewDiff' }), 'secondary review-diff', 'Agent Harness: Review Current Diff');
const composer = h('footer', { class: 'composer' }, [input, h('div', { class: 'composer-actions' }, [reviewBtn, newBtn, stopBtn, sendBtn])]);
root.append(header, blockers, resumable, conversation, side, composer);

const rendered = new Map<string, { json: string; el: HTMLElement }>();
let current: PanelState | undefined;

function submit(): void {
  const text = input.value.trim();
  if (!text || !current || current.status !== 'idle') return;
  send({ type: 'send', text });
  input.value = '';
}

input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});

function render(state: PanelState): void {
  current = state;
  header.replaceChildren(
    h('span', { class: `status ${state.status}`, text: statusLabel(state) }),
    state.demo ? h('span', { class: 'badge demo', text: 'DEMO', title: 'Offline demo: answers come from a scripted model server, not a real model.' }) : '',
    state.model ? h('span', { class: 'model', text: state.model }) : '',
  );
  blockers.replaceChildren(
    ...state.blockers.map((b) =>
      h('div', { class: `blocker ${b.kind}` }, [
        h('div', { class: 'blocker-text', text: b.message }),
        b.kind === 'no-gateway' ? h('div', { class: 'actions' }, [button('Open Settings', () => send({ type: 'openSettings' }), 'primary'), button('Set Gateway Key', () => send({ type: 'setGatewayKey' }))]) : undefined,
        b.kind === 'untrusted' ? h('div', { class: 'actions' }, [button('Manage Workspace Trust', () => send({ type: 'manageTrust' }), 'primary')]) : undefined,
      ]),
    ),
  );

  const idleNow = state.status === 'idle';
  resumable.replaceChildren(
    ...(state.resumable.length === 0
      ? []
      : [
          h('h3', { text: 'Unfinished runs' }),
          ...state.resumable.map((r) => {
            const v = resumableRunView(r, new Date());
            const resume = button('Resume', () => send({ type: 'resumeRun', id: v.id }), 'primary resume-run', 'Continue from the first unfinished step; completed model calls are not paid for again');
            resume.disabled = !idleNow;
            return h('div', { class: 'resumable-run', attrs: { 'data-run': v.id } }, [
              h('div', { class: 'resumable-title', text: v.title }),
              h('div', { class: 'muted', text: v.detail }),
              h('div', { class: 'actions' }, [resume, button('Dismiss', () => send({ type: 'dismissRun', id: v.id }), 'secondary dismiss-run')]),
            ]);
          }),
        ]),
  );

  const nearBottom = conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 40;
  const seen = new Set<string>();
  const children: HTMLElement[] = [];
  for (const item of state.items) {
    seen.add(item.id);
    const json = JSON.stringify(item);
    let entry = rendered.get(item.id);
    if (!entry || entry.json !== json) {
      entry = { json, el: renderItem(item, send) };
      rendered.set(item.id, entry);
    }
    children.push(entry.el);
  }
  for (const id of [...rendered.keys()]) if (!seen.has(id)) rendered.delete(id);
  if (children.length === 0) children.push(h('div', { class: 'empty', text: 'Ask a question or describe a task. Proposed edits open as diffs you approve or reject; commands ask first.' }));
  conversation.replaceChildren(...children);
  if (nearBottom) conversation.scrollTop = conversation.scrollHeight;

  const meter = contextMeter(state);
  side.replaceChildren(
    h('div', { class: 'skills' }, [
      h('h3', { text: 'Skills used' }),
      state.skills.length === 0
        ? h('div', { class: 'muted', text: 'None for this run.' })
        : h('ul', {}, state.skills.map((s) => h('li', { class: 'skill' }, [h('span', { class: 'skill-name', text: s.name }), h('span', { class: 'skill-reason', text: ` — ${s.reason}` })]))),
    ]),
    h('div', { class: 'usage' }, [
      h('h3', { text: 'Token usage' }),
      usageTable([usageRow('Run', state.runUsage), usageRow('Session', state.sessionUsage)]),
      meter
        ? h('div', { class: `meter ${meter.level}`, title: meter.label }, [h('div', { class: 'meter-bar' }, [h('div', { class: 'meter-fill' })]), h('div', { class: 'meter-label', text: meter.label })])
        : undefined,
      state.usageSummary ? ledgerSection(state.usageSummary) : undefined,
    ]),
  );
  // Width through the CSSOM: the CSP forbids inline style attributes, not CSSOM writes.
  const fill = side.querySelector<HTMLElement>('.meter-fill');
  if (fill && meter) fill.style.width = `${meter.percent}%`;

  const idle = state.status === 'idle';
  const blocked = state.blockers.some((b) => b.kind === 'no-gateway' || b.kind === 'no-workspace');
  sendBtn.disabled = !idle || blocked;
  input.disabled = blocked;
  reviewBtn.disabled = blocked;
  stopBtn.hidden = idle;
  newBtn.hidden = !idle || state.items.length === 0;
}

function ledgerSection(summary: NonNullable<PanelState['usageSummary']>): HTMLElement {
  const { totals, models } = ledgerLines(summary);
  return h('div', { class: 'ledger', title: 'From the usage ledger: every model call in all windows and the CLI' }, [
    ...totals.map((l) => h('div', { class: 'ledger-line' }, [h('span', { class: 'ledger-label', text: `${l.label}: ` }), h('span', { text: l.text })])),
    models.length > 0 ? h('ul', { class: 'ledger-models' }, models.map((m) => h('li', {}, [h('span', { class: 'ledger-label', text: `${m.label}: ` }), h('span', { text: m.text })]))) : undefined,
  ]);
}

function usageTable(rows: UsageRow[]): HTMLElement {
  const head = h('tr', {}, ['', 'Input', 'Output', 'Cache read', 'Cache write', 'Cost'].map((t) => h('th', { text: t })));
  return h('table', { class: 'usage-table' }, [
    h('thead', {}, [head]),
    h('tbody', {}, rows.map((r) => h('tr', { class: `usage-${r.label.toLowerCase()}` }, [h('th', { text: r.label }), h('td', { class: 'in', text: r.input }), h('td', { class: 'out', text: r.output }), h('td', { text: r.cacheRead }), h('td', { text: r.cacheWrite }), h('td', { class: 'cost', text: r.cost })]))),
  ]);
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only protocol messages are acted on; anything else is ignored.
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  if (msg.type === 'state') render(msg.state);
  else if (msg.type === 'prefill') {
    input.value = msg.text;
    input.focus();
  }
});

send({ type: 'ready' });
