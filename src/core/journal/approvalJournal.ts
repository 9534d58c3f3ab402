import type { RunJournal } from './journalRecord';

/**
 * How the approval layer tells the journal about a question and its answer. With these two records a
 * resume can tell a write that stopped at its question (never happened: run it again, which asks
 * again) from one that was approved and may have happened (the person decides).
 * Both are written before the layer acts: `asked` before the question is shown, `decided` before the
 * approved effect starts.
 */
export interface ApprovalJournal {
  asked(callId: string, summary: string): void;
  decided(callId: string, decision: 'approved' | 'rejected', summary: string): void;
}

export function approvalJournal(journal: RunJournal | undefined): ApprovalJournal {
  return {
    asked: (callId, summary) => journal?.append({ kind: 'approval', callId, state: 'asked', summary }),
    decided: (callId, decision, summary) => journal?.append({ kind: 'approval', callId, state: 'decided', summary, decision }),
  };
}
