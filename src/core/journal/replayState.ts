import type { RunResult } from '../agent/runResult';
import type { ToolKind } from '../tools/defineTool';
import type {
  ApprovalRecord,
  CompactionRecord,
  JournalRecord,
  ModelCallRecord,
  RunStartRecord,
  ToolIntentRecord,
  ToolResultRecord,
} from './journalRecord';

/**
 * What a journal says about a run, indexed for the loop to replay it: completed model calls by step
 * id, tool results by call id, and the calls that were started but never finished.
 */
export interface ReplayState {
  start: RunStartRecord;
  modelCalls: Map<string, ModelCallRecord>;
  compactions: Map<string, CompactionRecord>;
  toolIntents: Map<string, ToolIntentRecord>;
  toolResults: Map<string, ToolResultRecord>;
  approvals: Map<string, { asked?: ApprovalRecord; decided?: ApprovalRecord }>;
  /** The run's result, when its last session ended it (a later `run_resumed` reopens it). */
  ended?: RunResult;
  /** Sessions that worked on the run (1 + resumes). */
  sessions: number;
}

export class JournalReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalReplayError';
  }
}

export function buildReplayState(records: readonly JournalRecord[], source: string): ReplayState {
  const first = records[0];
  if (!first || first.kind !== 'run_started') {
    throw new JournalReplayError(`the run journal ${source} does not begin with the run's start record`);
  }
  const state: ReplayState = {
    start: first,
    modelCalls: new Map(),
    compactions: new Map(),
    toolIntents: new Map(),
    toolResults: new Map(),
    approvals: new Map(),
    sessions: 1,
  };
  for (const r of records.slice(1)) {
    switch (r.kind) {
      case 'run_started':
        throw new JournalReplayError(`the run journal ${source} holds two start records`);
      case 'model_call':
        state.modelCalls.set(r.step, r);
        break;
      case 'compaction':
        state.compactions.set(r.step, r);
        break;
      case 'tool_intent':
        state.toolIntents.set(r.call.id, r);
        break;
      case 'tool_result':
        state.toolResults.set(r.callId, r);
        break;
      case 'approval': {
        const entry = state.approvals.get(r.callId) ?? {};
        if (r.state === 'asked') state.approvals.set(r.callId, { asked: r });
        else state.approvals.set(r.callId, { ...entry, decided: r });
        break;
      }
      case 'run_resumed':
        state.sessions++;
        state.ended = undefined;
        break;
      case 'run_ended':
        state.ended = r.result;
        break;
    }
  }
  return state;
}

/** The tool calls whose intent was journaled without a result: they may or may not have taken effect. */
export function interruptedCalls(state: ReplayState): ToolIntentRecord[] {
  return [...state.toolIntents.values()].filter((i) => !state.toolResults.has(i.call.id));
}

/** A question that was put to the person and never answered: it is asked again on resume. */
export function pendingApprovals(state: ReplayState): ApprovalRecord[] {
  return [...state.approvals.entries()]
    .filter(([callId, a]) => a.asked && !a.decided && !state.toolResults.has(callId))
    .map(([, a]) => a.asked as ApprovalRecord);
}

/**
 * What to do with a call that was interrupted. A read-only tool has no effect, so it simply runs again.
 * A call stopped at its approval question never reached its effect either, so it runs again and asks
 * the question again. Any other write or command may have happened: the person decides.
 */
export function interruptedCallAction(state: ReplayState, callId: string, kind: ToolKind | undefined): 'rerun' | 'ask' {
  if (kind === 'read') return 'rerun';
  const approval = state.approvals.get(callId);
  // Fail closed: only an unanswered or rejected question proves the effect did not happen.
  if (approval?.asked && (!approval.decided || approval.decided.decision === 'rejected')) return 'rerun';
  return 'ask';
}

/** Status for listings: the result's status, or `interrupted` when no session ended the run. */
export function replayStatus(state: ReplayState): string {
  return state.ended?.status ?? 'interrupted';
}
