import { runAgent, type RunOptions } from '../../core/agent/loop';
import type { RunResult } from '../../core/agent/runResult';
import type { RunStartRecord } from '../../core/journal/journalRecord';
import { pendingApprovals } from '../../core/journal/replayState';
import { hashSystem, type ConfirmRerun } from '../../core/journal/stepRecorder';
import type { JournalStore } from './journalStore';

/** What the caller rebuilds from the start record: the same kind of session `run` built (model client, tools, prompt...). */
export type ResumeSession = Omit<RunOptions, 'task' | 'runId' | 'history' | 'limits' | 'journal' | 'replay' | 'confirmRerun'>;

export interface ResumeRunOptions {
  store: JournalStore;
  runId: string;
  /** Builds the session from the journaled start record (its `resume` holds the caller's own settings). */
  build(start: RunStartRecord): Promise<ResumeSession>;
  confirmRerun?: ConfirmRerun;
  /** Told things the person should know before the run goes on (a changed prompt, a torn last record, questions to be asked again). */
  onNote?(note: string): void;
}

/** Statuses a run can be continued from: it stopped from outside (crash, cancel, a failed model call), not by finishing or by a limit. */
const RESUMABLE = new Set(['interrupted', 'cancelled', 'failed']);

export class NotResumableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotResumableError';
  }
}

/**
 * Continues a journaled run in this process: takes the run's lock (a second resumer gets
 * RunInUseError), replays what the journal holds without calling the model, and goes on from the
 * first incomplete step, journaling to the same file.
 */
export async function resumeRun(opts: ResumeRunOptions): Promise<RunResult> {
  const peek = opts.store.read(opts.runId).state;
  const status = peek.ended?.status ?? 'interrupted';
  if (!RESUMABLE.has(status)) throw new NotResumableError(`run ${opts.runId} already ended (${status}); there is nothing to resume`);
  const { writer, state, tornTail } = await opts.store.openForResume(opts.runId);
  try {
    if (tornTail) opts.onNote?.(`the last record of run ${opts.runId} was cut short by the crash and is ignored; that step is done again`);
    for (const a of pendingApprovals(state)) opts.onNote?.(`a question was pending when the run stopped and will be asked again: ${a.summary}`);
    const session = await opts.build(state.start);
    if (hashSystem(session.system) !== state.start.systemHash) {
      opts.onNote?.('the system prompt differs from the one the run started with (profile, skills or project files changed); the run goes on with the new one');
    }
    return await runAgent({ ...session, task: state.start.task, runId: state.start.runId, journal: writer, replay: state, confirmRerun: opts.confirmRerun });
  } finally {
    await writer.close();
  }
}
