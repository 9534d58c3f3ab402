import type { ApprovalRequest, ApprovalResponse, Approver } from '../core/policy/approvalsWrapper';
import type { TeamStore } from '../adapters/team/teamStore';
import type { ApprovalMessage, WorkflowEngine } from '../adapters/team/teamEngine';

/** How long one wait on the message lasts before it is renewed (each wait is one recorded operation). */
const WAIT_CHUNK_SECONDS = 60;

export interface TeamApproverOptions {
  runId: string;
  store: TeamStore;
  engine: WorkflowEngine;
  /** Seconds a call waits for a person before it counts as rejected; undefined waits without limit. */
  timeoutSeconds?: number;
  redact(text: string): string;
}

/** What a person sees about a call in `team status`: the tool and its main argument. */
export function approvalSummary(req: Pick<ApprovalRequest, 'tool' | 'args'>): string {
  const a = (req.args ?? {}) as Record<string, unknown>;
  const main = typeof a.command === 'string' ? a.command : typeof a.path === 'string' ? a.path : JSON.stringify(req.args);
  return `${req.tool}: ${main.length > 300 ? `${main.slice(0, 300)}…` : main}`;
}

/**
 * Approvals as durable messages: the call is listed as pending (the run shows as waiting) and the
 * workflow waits on `DBOS.recv` for `team approve` / `team reject` (or VS Code), for as long as it
 * takes; the wait survives worker restarts, and the run resumes on whichever worker holds it then.
 */
export function teamApprover(o: TeamApproverOptions): Approver {
  return {
    async request(req: ApprovalRequest, signal: AbortSignal): Promise<ApprovalResponse> {
      await o.store.askApproval(o.runId, { callId: req.callId, tool: req.tool, summary: o.redact(approvalSummary(req)), reasons: req.reasons.map(o.redact) });
      let waited = 0;
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const chunk = o.timeoutSeconds === undefined ? WAIT_CHUNK_SECONDS : Math.max(1, Math.min(WAIT_CHUNK_SECONDS, o.timeoutSeconds - waited));
        const message = await untilAborted(o.engine.recvApproval(req.callId, chunk), signal);
        waited += chunk;
        if (message) {
          await o.store.decided(o.runId, req.callId, message.approved ? 'approved' : 'rejected', message.approved ? undefined : message.reason);
          return message.approved ? { approved: true, key: req.key } : { approved: false, ...(message.reason ? { reason: message.reason } : {}) };
        }
        if (o.timeoutSeconds !== undefined && waited >= o.timeoutSeconds) {
          await o.store.decided(o.runId, req.callId, 'timed_out', `no decision within ${o.timeoutSeconds} s`);
          return { approved: false, reason: `nobody decided within ${o.timeoutSeconds} s, so it counts as rejected` };
        }
      }
    },
  };
}

function untilAborted(wait: Promise<ApprovalMessage | null>, signal: AbortSignal): Promise<ApprovalMessage | null> {
  wait.catch(() => undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      (m) => {
        signal.removeEventListener('abort', onAbort);
        resolve(m);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
