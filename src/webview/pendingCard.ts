import type { PendingChange } from '../shared/panelState';
import type { WebviewMessage } from '../shared/protocol';
import { button, h } from './dom';
import { t } from './strings';

/**
 * The waiting card for proposed edits: the run is blocked until each file in the diff view is
 * decided, and a closed diff tab must not leave it blocked unseen. Open a file's diff again, or
 * approve or reject everything waiting.
 */
export function renderPendingCard(pending: readonly PendingChange[], send: (m: WebviewMessage) => void): HTMLElement | undefined {
  if (pending.length === 0) return undefined;
  const n = pending.length;
  return h('div', { class: 'card pending waiting', attrs: { role: 'group', 'aria-label': t('Proposed changes waiting for your review') } }, [
    h('div', { class: 'card-head' }, [h('span', { class: 'tool-name', text: t('review') }), h('span', { class: 'tool-title', text: n === 1 ? t('1 proposed change waiting for your review') : t('{0} proposed changes waiting for your review', n) })]),
    h(
      'ul',
      { class: 'pending-files' },
      pending.map((p) =>
        h('li', { attrs: { 'data-path': p.path } }, [
          h('span', { class: 'pending-path', text: `${p.path}${p.newFile ? ` ${t('(new file)')}` : ''}${p.conflict ? ` ${t('(changed on disk)')}` : ''}` }),
          button(t('Open diff'), () => send({ type: 'showPending', key: p.key }), 'secondary open-diff', t('Open the diff of {0} again', p.path)),
        ]),
      ),
    ),
    h('div', { class: 'actions' }, [
      button(t('Approve all'), () => send({ type: 'decidePending', approve: true }), 'primary approve-all'),
      button(t('Reject all'), () => send({ type: 'decidePending', approve: false }), 'reject-all'),
    ]),
  ]);
}
