import type { AnyTool, Tool, ToolContext, ToolKind } from '../tools/defineTool';
import { ToolError } from '../tools/defineTool';
import type { ApprovalDecision } from './approvals';
import type { GrantScope, GrantStore, StandingGrant } from './approvalsGrants';
import type { AskKind } from './askKinds';

/** What a person is shown when a call needs approval. */
export interface ApprovalRequest {
  /** Echo this back in the response: it binds the approval to exactly this call. */
  key: string;
  runId: string;
  callId: string;
  tool: string;
  kind: ToolKind;
  args: unknown;
  reasons: string[];
  /** The scopes an "always allow" may use; empty means only this call can be approved. */
  grantScopes: GrantScope[];
  /** What kinds of risk made it ask (see autoApproval.ts); auto-approval tiers decide by these. */
  kinds?: AskKind[];
}

export type ApprovalResponse =
  | { approved: true; key: string; remember?: GrantScope }
  | { approved: false; reason?: string };

/**
 * The approval port. The CLI asks on the terminal (or refuses when nobody can answer, unless --yes);
 * the extension asks in the diff view or the side panel.
 */
export interface Approver {
  request(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalResponse>;
}

/** Decides one call; the composition root closes over the profile, guards, policy and grants. */
export type DecideFn = (tool: AnyTool, args: unknown, ctx: ToolContext) => Promise<ApprovalDecision> | ApprovalDecision;

export interface ApprovalOutcome {
  tool: string;
  callId: string;
  decision: ApprovalDecision;
  /** For asks: what the person answered. */
  approved?: boolean;
  grant?: StandingGrant;
}

export interface WithApprovalOptions {
  /** Where "always allow" answers are stored. Without it, remember is ignored. */
  grants?: GrantStore;
  /** Told about every decision, for events, journals and traces. */
  onOutcome?: (outcome: ApprovalOutcome) => void;
}

/**
 * Wraps a tool so every call goes through the approval rules first. Denied and declined calls come back
 * to the model as tool errors that say why; nothing runs. After an approval the call is decided again
 * and must have the same key, so a file that changed while the person was looking is asked about again
 * rather than written under an approval for other content.
 */
export function withApproval<T extends AnyTool>(tool: T, decide: DecideFn, approver: Approver, options: WithApprovalOptions = {}): T {
  const run = async (args: unknown, ctx: ToolContext) => {
    const first = await decide(tool, args, ctx);
    const report = (o: Omit<ApprovalOutcome, 'tool' | 'callId'>) => options.onOutcome?.({ tool: tool.name, callId: ctx.callId, ...o });
    if (first.decision === 'deny') {
      report({ decision: first });
      throw new ToolError(`Not run: ${first.reasons.join('; ')}.`);
    }
    if (first.decision === 'ask') {
      const answer = await approver.request(
        { key: first.key, runId: ctx.runId, callId: ctx.callId, tool: tool.name, kind: tool.kind, args, reasons: first.reasons, grantScopes: first.grantScopes, kinds: first.kinds },
        ctx.signal,
      );
      if (!answer.approved) {
        report({ decision: first, approved: false });
        throw new ToolError(`Not run: the user declined${answer.reason ? `: ${answer.reason}` : ''}. Do not retry the same call; adapt or ask the user.`);
      }
      if (answer.key !== first.key) {
        report({ decision: first, approved: false });
        throw new ToolError('Not run: the approval was given for a different call.');
      }
      const again = await decide(tool, args, ctx);
      if (again.key !== first.key || again.decision === 'deny') {
        report({ decision: again, approved: false });
        throw new ToolError('Not run: what was approved changed before it could run (for example the file was edited meanwhile); call the tool again to get a fresh approval.');
      }
      let grant: StandingGrant | undefined;
      if (answer.remember && first.grantScopes.includes(answer.remember) && first.grantSubject && options.grants) {
        grant = options.grants.add(answer.remember, first.grantSubject);
      }
      report({ decision: first, approved: true, ...(grant ? { grant } : {}) });
    } else {
      report({ decision: first });
    }
    return tool.run(args as never, ctx);
  };
  const wrapped: Tool = { ...tool, run };
  return wrapped as T;
}

/**
 * Says yes to every ask, as a person who approves everything would; never remembers. For tests and for
 * front ends that already asked a person themselves. Not for auto-approval: that is autoApproval.ts,
 * whose tiers never cover code execution, protected writes or network.
 */
export const approveAll: Approver = {
  request: async (req) => ({ approved: true, key: req.key }),
};

/** For a run nobody can answer (CI without --yes): refuses every ask and says how to allow it. */
export function refuseAll(why = 'no one can approve it in a non-interactive run; re-run with --yes to approve asks'): Approver {
  return { request: async () => ({ approved: false, reason: why }) };
}
