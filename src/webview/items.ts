import type { ApprovalItem, ConversationItem, QuestionItem } from '../shared/panelState';
import type { WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { renderMarkdown } from './markdown';
import { formatCost, formatTokens, toolCardView } from './viewModels';
import { renderReviewCard } from './reviewCard';
import { t } from './strings';

export type Send = (msg: WebviewMessage) => void;

/** One conversation item as a DOM element. Rebuilt only when the item's data changes. */
export function renderItem(item: ConversationItem, send: Send): HTMLElement {
  switch (item.kind) {
    case 'user':
      return h('div', { class: 'msg user' }, [h('div', { class: 'who', text: t('You') }), h('div', { class: 'body plain', text: item.text })]);
    case 'assistant': {
      const body = h('div', { class: `body md${item.streaming ? ' streaming' : ''}` });
      body.innerHTML = renderMarkdown(item.text);
      return h('div', { class: 'msg assistant' }, [h('div', { class: 'who', text: t('Agent') }), body]);
    }
    case 'tool': {
      const v = toolCardView(item);
      const details = h('details', { class: 'tool-details' }, [
        h('summary', { text: t('Arguments and result') }),
        h('pre', { class: 'args', text: v.args }),
        v.result ? h('pre', { class: `result${v.isError ? ' error' : ''}`, text: v.result }) : undefined,
      ]);
      return h('div', { class: `card tool ${item.status}`, attrs: { 'data-tool': item.name } }, [
        h('div', { class: 'card-head' }, [
          h('span', { class: 'tool-name', text: item.name }),
          h('span', { class: 'tool-title', text: v.title }),
          h('span', { class: 'tool-meta', text: [v.status, v.duration].filter(Boolean).join(' · ') }),
        ]),
        item.output && item.status === 'running' ? h('pre', { class: 'live-output', text: item.output.split('\n').slice(-12).join('\n') }) : undefined,
        v.commandOutput !== undefined
          ? h('pre', { class: 'command-output', text: v.commandOutput })
          : v.result
            ? h('div', { class: `tool-summary${v.isError ? ' error' : ''}`, text: v.result.split('\n')[0] ?? '' })
            : undefined,
        details,
      ]);
    }
    case 'approval':
      return renderApproval(item, send);
    case 'question':
      return renderQuestion(item, send);
    case 'notice':
      return h('div', { class: `notice ${item.level}`, text: item.text });
    case 'review':
      return renderReviewCard(item, send);
    case 'summary': {
      const u = item.usage;
      const files = item.filesChanged.length > 0 ? ` · changed ${item.filesChanged.join(', ')}` : '';
      const tokens = formatTokens(u.input + u.output + u.cacheRead + u.cacheWrite);
      return h('div', { class: `run-summary ${item.status}` }, [
        h('span', { text: `Run ${item.status.replace(/_/g, ' ')} · ${tokens} tokens · ${formatCost(u.costUsd, u.costUnknown)}${item.model ? ` · answered by ${item.model}` : ''}${files}` }),
        item.error ? h('div', { class: 'error', text: item.error }) : undefined,
      ]);
    }
  }
}

function renderApproval(item: ApprovalItem, send: Send): HTMLElement {
  const waiting = item.state === 'waiting';
  const reasonBox = h('textarea', { class: 'reason', attrs: { rows: '2', placeholder: t('Why not? (the agent is told)'), 'aria-label': t('Reason for rejecting: {0}', item.title) } });
  reasonBox.hidden = true;
  const actions = waiting
    ? h('div', { class: 'actions' }, [
        button(t('Approve'), () => send({ type: 'approve', id: item.id }), 'primary approve'),
        item.grantScopes.includes('run') ? button(t('Allow for this run'), () => send({ type: 'approve', id: item.id, remember: 'run' }), 'approve-run') : undefined,
        item.grantScopes.includes('workspace') ? button(t('Always allow here'), () => send({ type: 'approve', id: item.id, remember: 'workspace' }), 'approve-workspace', t('Remember for this workspace')) : undefined,
        button(t('Reject'), () => send({ type: 'reject', id: item.id }), 'reject'),
        button(t('Reject with reason…'), () => {
          if (reasonBox.hidden) {
            reasonBox.hidden = false;
            reasonBox.focus();
            return;
          }
          send({ type: 'reject', id: item.id, reason: reasonBox.value });
        }, 'reject-reason'),
      ])
    : h('div', { class: `decided ${item.state}`, text: item.state === 'approved' ? `Approved${item.remembered ? (item.remembered === 'run' ? ' for this run' : ' in this workspace from now on') : ''}` : item.state === 'rejected' ? `Rejected${item.reason ? `: ${item.reason}` : ''}` : 'No longer needed (the run ended)' });
  return h('div', { class: `card approval ${item.state}`, attrs: { role: 'group', 'aria-label': item.title } }, [
    h('div', { class: 'card-head' }, [h('span', { class: 'tool-name', text: t('approval') }), h('span', { class: 'tool-title', text: item.title })]),
    item.command !== undefined ? h('pre', { class: 'command', text: item.command }) : undefined,
    item.where ? h('div', { class: 'where', text: `Runs in: ${item.where}` }) : undefined,
    item.reasons.length > 0 ? h('ul', { class: 'reasons' }, item.reasons.map((r) => h('li', { text: r }))) : undefined,
    waiting ? reasonBox : undefined,
    actions,
  ]);
}

function renderQuestion(item: QuestionItem, send: Send): HTMLElement {
  const waiting = item.state === 'waiting';
  const input = h('input', { class: 'answer', attrs: { type: 'text', placeholder: t('Your answer'), 'aria-label': t('Your answer to: {0}', item.question) } });
  const submit = () => {
    if (input.value.trim()) send({ type: 'answer', id: item.id, answer: input.value.trim() });
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') submit();
  });
  return h('div', { class: `card question ${item.state}`, attrs: { role: 'group', 'aria-label': t('Question from the agent') } }, [
    h('div', { class: 'card-head' }, [h('span', { class: 'tool-name', text: t('question') }), h('span', { class: 'tool-title', text: item.question })]),
    waiting && item.options.length > 0 ? h('div', { class: 'options' }, item.options.map((o) => button(o, () => send({ type: 'answer', id: item.id, answer: o }), 'option'))) : undefined,
    waiting ? h('div', { class: 'answer-row' }, [input, button(t('Answer'), submit, 'primary')]) : h('div', { class: 'decided', text: item.answer !== undefined ? t('You answered: {0}', item.answer) : t('Not answered (the run ended)') }),
  ]);
}
