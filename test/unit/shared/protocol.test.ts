import { describe, expect, it } from 'vitest';
import { initialPanelState } from '../../../src/shared/panelState';
import { parseHostMessage, parseWebviewMessage } from '../../../src/shared/protocol';

describe('webview -> host messages', () => {
  it('accepts each user intent in its exact shape', () => {
    expect(parseWebviewMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseWebviewMessage({ type: 'send', text: '  fix it  ' })).toEqual({ type: 'send', text: 'fix it', attachments: [] });
    expect(parseWebviewMessage({ type: 'send', text: 'why?', attachments: ['a1'] })).toEqual({ type: 'send', text: 'why?', attachments: ['a1'] });
    expect(parseWebviewMessage({ type: 'attach', ref: { kind: 'file', path: 'src/a.ts' } })).toEqual({ type: 'attach', ref: { kind: 'file', path: 'src/a.ts' } });
    expect(parseWebviewMessage({ type: 'chooseModel', model: ' o3 ' })).toEqual({ type: 'chooseModel', model: 'o3' });
    expect(parseWebviewMessage({ type: 'decidePending', approve: false })).toEqual({ type: 'decidePending', approve: false });
    expect(parseWebviewMessage({ type: 'approve', id: 'approval:r:c', remember: 'workspace' })).toEqual({ type: 'approve', id: 'approval:r:c', remember: 'workspace' });
    expect(parseWebviewMessage({ type: 'reject', id: 'a', reason: 'not now' })).toEqual({ type: 'reject', id: 'a', reason: 'not now' });
    expect(parseWebviewMessage({ type: 'answer', id: 'q', answer: 'yes' })).toEqual({ type: 'answer', id: 'q', answer: 'yes' });
  });

  it('ignores anything that does not match the protocol', () => {
    expect(parseWebviewMessage(undefined)).toBeUndefined();
    expect(parseWebviewMessage('send')).toBeUndefined();
    expect(parseWebviewMessage({ type: 'runCommand', command: 'rm -rf /' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: '   ' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'approve', id: '' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'approve', id: 'a', remember: 'forever' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'x'.repeat(100_001) })).toBeUndefined();
    // An attachment reference is one of the known kinds with a bounded path; the host resolves it.
    expect(parseWebviewMessage({ type: 'attach', ref: { kind: 'url', path: 'http://x' } })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'attach', ref: { kind: 'file', path: '' } })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'x', attachments: Array.from({ length: 51 }, (_, i) => `a${i}`) })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'chooseModel', model: '' })).toBeUndefined();
  });
});

describe('host -> webview messages', () => {
  it('accepts a full state and a prefill', () => {
    const state = initialPanelState();
    expect(parseHostMessage({ type: 'state', state })).toEqual({ type: 'state', state });
    expect(parseHostMessage({ type: 'prefill', text: 'about this' })).toEqual({ type: 'prefill', text: 'about this' });
  });

  it('rejects a state with an unknown item kind or a wrong version', () => {
    const state = initialPanelState();
    expect(parseHostMessage({ type: 'state', state: { ...state, version: 2 } })).toBeUndefined();
    expect(parseHostMessage({ type: 'state', state: { ...state, items: [{ kind: 'html', id: 'x', html: '<script>' }] } })).toBeUndefined();
  });
});

describe('durable-run messages', () => {
  it('accepts Resume and Dismiss for a run id and drops them without one', () => {
    expect(parseWebviewMessage({ type: 'resumeRun', id: 'run-1' })).toEqual({ type: 'resumeRun', id: 'run-1' });
    expect(parseWebviewMessage({ type: 'dismissRun', id: 'run-1' })).toEqual({ type: 'dismissRun', id: 'run-1' });
    expect(parseWebviewMessage({ type: 'resumeRun' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'dismissRun', id: '' })).toBeUndefined();
  });

  it('lets a stored state without the new fields load with no runs offered', () => {
    const { resumable: _r, ...old } = initialPanelState();
    const msg = parseHostMessage({ type: 'state', state: old });
    expect(msg?.type === 'state' ? msg.state.resumable : undefined).toEqual([]);
  });
});
