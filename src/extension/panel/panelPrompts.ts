import type { ApprovalRequest, ApprovalResponse } from '../../core/policy/approvalsWrapper';
import type { AskUserAnswer } from '../../core/tools/askUser';
import type { WebviewMessage } from '../../shared/protocol';
import type { PanelAction } from './panelReducer';
import { TOOL } from '../../shared/toolNames';

type Prompt = { kind: 'approval'; key: string; resolve: (a: ApprovalResponse) => void } | { kind: 'question'; resolve: (a: AskUserAnswer) => void };

/**
 * The questions a run asks through the panel (approvals, ask_user, re-run confirmations), each kept
 * until the person answers, the run's signal aborts, or the run ends. Without `vscode`: the controller
 * passes how to dispatch and log. Asking never takes focus: the view's badge and, in an unfocused
 * window, a notification say that something waits (attention.ts).
 */
export class PanelPrompts {
  private readonly open = new Map<string, Prompt>();

  constructor(
    private readonly dispatch: (a: PanelAction) => void,
    private readonly log: (line: string) => void,
  ) {}

  askApproval(r: ApprovalRequest, where: string | undefined, signal: AbortSignal, itemId?: string): Promise<ApprovalResponse> {
    const id = itemId ?? `approval:${r.runId}:${r.callId}`;
    const args = (r.args ?? {}) as Record<string, unknown>;
    const command = r.tool === TOOL.runCommand && typeof args.command === 'string' ? args.command : undefined;
    const path = typeof args.path === 'string' ? args.path : undefined;
    const title = command !== undefined ? 'Run this command?' : path !== undefined ? `Allow ${r.tool} on ${path}?` : `Allow ${r.tool}?`;
    this.log(`  approval asked: ${command ?? r.tool}${command && where ? ` (${where})` : ''}: ${r.reasons.join('; ')}`);
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!this.open.delete(id)) return;
        this.dispatch({ type: 'approval_resolved', id, approved: false, reason: 'the run was stopped' });
        resolve({ approved: false, reason: 'the run was stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.open.set(id, { kind: 'approval', key: r.key, resolve: (a) => (signal.removeEventListener('abort', onAbort), resolve(a)) });
      this.dispatch({
        type: 'approval_requested',
        item: {
          id,
          title,
          reasons: r.reasons,
          grantScopes: r.grantScopes,
          ...(command !== undefined ? { command } : {}),
          ...(r.kind === 'command' && where ? { where } : {}),
        },
      });
    });
  }

  askQuestion(callId: string, question: string, options: string[], signal: AbortSignal): Promise<AskUserAnswer> {
    const id = `question:${callId}`;
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!this.open.delete(id)) return;
        this.dispatch({ type: 'question_answered', id });
        resolve({ unanswered: 'the run was stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.open.set(id, { kind: 'question', resolve: (a) => (signal.removeEventListener('abort', onAbort), resolve(a)) });
      this.dispatch({ type: 'question_asked', item: { id, question, options } });
    });
  }

  /** The panel's Approve / Reject; a stale id (the question already ended) is ignored. */
  decide(msg: Extract<WebviewMessage, { type: 'approve' | 'reject' }>): void {
    const p = this.open.get(msg.id);
    if (p?.kind !== 'approval') return;
    this.open.delete(msg.id);
    if (msg.type === 'approve') {
      this.dispatch({ type: 'approval_resolved', id: msg.id, approved: true, ...(msg.remember ? { remember: msg.remember } : {}) });
      p.resolve({ approved: true, key: p.key, ...(msg.remember ? { remember: msg.remember } : {}) });
    } else {
      const reason = msg.reason?.trim() || undefined;
      this.dispatch({ type: 'approval_resolved', id: msg.id, approved: false, ...(reason ? { reason } : {}) });
      p.resolve({ approved: false, ...(reason ? { reason } : {}) });
    }
  }

  answer(msg: Extract<WebviewMessage, { type: 'answer' }>): void {
    const p = this.open.get(msg.id);
    if (p?.kind !== 'question') return;
    this.open.delete(msg.id);
    this.dispatch({ type: 'question_answered', id: msg.id, answer: msg.answer });
    p.resolve({ answer: msg.answer });
  }

  /** When a run ends, whatever it still asked is answered "no" so nothing waits forever. */
  endAll(): void {
    for (const [id, p] of this.open) {
      if (p.kind === 'approval') p.resolve({ approved: false, reason: 'the run ended' });
      else p.resolve({ unanswered: 'the run ended' });
      this.open.delete(id);
    }
  }
}
