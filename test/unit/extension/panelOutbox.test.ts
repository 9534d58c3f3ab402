import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentEventInput } from '../../../src/core/agent/events';
import { createRedactor } from '../../../src/core/trace/redact';
import { initialPanelState } from '../../../src/shared/panelState';
import { parseHostMessage, type HostMessage } from '../../../src/shared/protocol';
import { reducePanel, type PanelAction } from '../../../src/extension/panel/panelReducer';
import { PanelOutbox } from '../../../src/extension/panel/panelOutbox';

const KEY = 'gw-live-7f3a9c2e1b5d4f60a8e2';
const HEADER = 'team-token-55aa11bb22cc';
let seq = 0;
const ev = (e: AgentEventInput): AgentEvent => ({ ...e, runId: 'r1', seq: seq++, time: '2026-01-01T00:00:00.000Z' }) as AgentEvent;

describe('PanelOutbox', () => {
  it('never sends the gateway key or a header value to the webview, wherever the text came from', () => {
    const sent: HostMessage[] = [];
    const redact = createRedactor([KEY, HEADER]);
    const outbox = new PanelOutbox((m) => sent.push(m), () => redact);
    const actions: PanelAction[] = [
      { type: 'user_message', id: 'u1', text: `use key ${KEY}` },
      ev({ type: 'text_delta', step: 'r1:m0', text: `the header was ${HEADER} and the key ${KEY}` }),
      ev({ type: 'model_call_retried', step: 'r1:m1', attempt: 2, reason: `401 from proxy: bad key ${KEY}`, delayMs: 0, model: 'm' }),
      ev({ type: 'tool_call_started', step: 'r1:m0', callId: 'c1', name: 'run_command', arguments: JSON.stringify({ command: `curl -H "x-team: ${HEADER}" url` }) }),
      { type: 'tool_output', runId: 'r1', callId: 'c1', chunk: `Authorization: Bearer ${KEY}\n` },
      { type: 'notice', id: 'n1', level: 'error', text: `gateway said: invalid api key ${KEY}` },
    ];
    let state = initialPanelState();
    for (const a of actions) {
      state = reducePanel(state, a);
      outbox.post({ type: 'state', state });
    }
    outbox.post({ type: 'prefill', text: KEY });
    const wire = JSON.stringify(sent);
    expect(sent).toHaveLength(actions.length + 1);
    expect(wire).not.toContain(KEY);
    expect(wire).not.toContain(HEADER);
    expect(wire).toContain('[REDACTED]');
    // What is sent is still a valid protocol message the webview accepts.
    for (const m of sent) expect(parseHostMessage(m)).toBeDefined();
  });

  it('redacts a key added after the outbox was made (a new key set in the window)', () => {
    const sent: HostMessage[] = [];
    const redact = createRedactor([]);
    const outbox = new PanelOutbox((m) => sent.push(m), () => redact);
    redact.addSecret(KEY);
    outbox.post({ type: 'prefill', text: `x ${KEY} y` });
    expect(JSON.stringify(sent)).not.toContain(KEY);
  });
});
