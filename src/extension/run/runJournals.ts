import type { JournalStore } from '../../adapters/journal/journalStore';
import type { RunJournal } from '../../core/journal/journalRecord';
import type { ToolCall } from '../../core/model/messages';
import type { ApprovalRequest } from '../../core/policy/approvalsWrapper';
import type { ResumableRun } from '../../shared/panelState';
import { heldRuns, pruneDismissed, resumableRuns } from './durableRuns';

const DISMISSED_KEY = 'agentHarness.dismissedRuns.v1';

/** The part of vscode.Memento this needs, so it is tested without VS Code. */
export interface DismissedState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * The window's run journals: one folder in global storage for every workspace (each run's resume
 * config says whose it is), the runs the person dismissed, and the writer resumeRun opened for the
 * run being continued (the approval layer journals into it too).
 */
export class RunJournals {
  private store_: Promise<JournalStore> | undefined;
  private writer: RunJournal | undefined;

  constructor(
    private readonly dir: string,
    private readonly state: DismissedState,
  ) {}

  get resumeWriter(): RunJournal | undefined {
    return this.writer;
  }

  /** Loaded on first use: the journal code (and proper-lockfile) is not needed at activation. */
  store(): Promise<JournalStore> {
    return (this.store_ ??= import('../../adapters/journal/journalStore').then(({ JournalStore }) => {
      const capture = (w: RunJournal) => (this.writer = w);
      class CapturingStore extends JournalStore {
        override async openForResume(runId: string) {
          const opened = await super.openForResume(runId);
          capture(opened.writer);
          return opened;
        }
      }
      return new CapturingStore({ dir: this.dir });
    }));
  }

  async resumable(workspace: string, exclude?: string): Promise<ResumableRun[]> {
    const store = await this.store();
    const ids = (await store.list()).map((r) => r.id);
    const dismissed = pruneDismissed(this.state.get<string[]>(DISMISSED_KEY) ?? [], ids);
    const runs = await resumableRuns(store, workspace, new Set(dismissed));
    return runs.filter((r) => r.id !== exclude);
  }

  /** Runs of this workspace held by another window; after a reload, the closing window's run shows up here for a few seconds. */
  async held(workspace: string, exclude?: string): Promise<string[]> {
    return (await heldRuns(await this.store(), workspace)).filter((id) => id !== exclude);
  }

  async dismiss(runId: string): Promise<void> {
    const dismissed = this.state.get<string[]>(DISMISSED_KEY) ?? [];
    if (!dismissed.includes(runId)) await this.state.update(DISMISSED_KEY, [...dismissed, runId]);
  }
}

/** The panel question for a write or command that may have happened before the run stopped. */
export function rerunRequest(runId: string, call: ToolCall, kind: string | undefined, why: string): ApprovalRequest {
  let args: unknown = {};
  try {
    args = JSON.parse(call.arguments);
  } catch {
    /* shown without arguments */
  }
  return { key: `rerun:${call.id}`, runId, callId: call.id, tool: call.name, kind: (kind ?? 'write') as ApprovalRequest['kind'], args, reasons: [`${why}. Run it again?`], grantScopes: [] };
}
