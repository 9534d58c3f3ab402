import { describe, expect, it } from 'vitest';
import { createPromptApprover, formatApprovalRequest, parseApprovalAnswer } from '../../../../src/core/policy/approvalsPrompt';
import type { ApprovalRequest } from '../../../../src/core/policy/approvalsWrapper';

const signal = new AbortController().signal;
const req = (grantScopes: ApprovalRequest['grantScopes']): ApprovalRequest => ({
  key: 'k1',
  runId: 'r',
  callId: 'c',
  tool: 'run_command',
  kind: 'command',
  args: { command: 'make fmt' },
  reasons: ['make is not on the allowlist'],
  grantScopes,
});

describe('prompt approver', () => {
  it('shows the call, the reasons and only the choices this call allows', () => {
    const once = formatApprovalRequest(req([]));
    expect(once).toContain('Approve run_command (command)?');
    expect(once).toContain('"command": "make fmt"');
    expect(once).toContain('  - make is not on the allowlist');
    expect(once).not.toContain('always');
    expect(formatApprovalRequest({ ...req([]), reasons: ['bad \u001b[2Jname'] })).toContain('bad \\u001b[2Jname');
    expect(formatApprovalRequest(req(['run', 'workspace']))).toContain('r = always this run, w = always in this workspace');
  });

  it('parses yes, no with a reason, and remember only when offered', () => {
    expect(parseApprovalAnswer(' Y ', req([]))).toEqual({ approved: true, key: 'k1' });
    expect(parseApprovalAnswer('n wrong target', req([]))).toEqual({ approved: false, reason: 'wrong target' });
    expect(parseApprovalAnswer('no', req([]))).toEqual({ approved: false });
    expect(parseApprovalAnswer('r', req(['run']))).toEqual({ approved: true, key: 'k1', remember: 'run' });
    expect(parseApprovalAnswer('w', req(['run']))).toBeUndefined();
    expect(parseApprovalAnswer('r', req([]))).toBeUndefined();
    expect(parseApprovalAnswer('maybe', req([]))).toBeUndefined();
  });

  it('asks again after an invalid answer and refuses at end of input', async () => {
    const answers = ['what', 'y'];
    const questions: string[] = [];
    const approver = createPromptApprover(async (q) => (questions.push(q), answers.shift()));
    expect(await approver.request(req([]), signal)).toEqual({ approved: true, key: 'k1' });
    expect(questions[1]).toMatch(/^Please answer \[y = yes/);
    const eof = createPromptApprover(async () => undefined);
    expect(await eof.request(req([]), signal)).toEqual({ approved: false, reason: 'no answer (end of input)' });
  });
});
