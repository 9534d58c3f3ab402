import path from 'node:path';
import { z } from 'zod';
import type { JournalStore, RunSummary } from '../../adapters/journal/journalStore';
import type { ResumableRun } from '../../shared/panelState';

/**
 * What the extension stores in a run's journal (the start record's `resume`) to rebuild the same
 * session after a window reload: the workspace folder, the profile and the gateway. Never the key:
 * it is read from SecretStorage or the environment again. `source` tells these runs from the CLI's.
 */
export const ExtensionResumeConfigSchema = z.object({
  source: z.literal('vscode'),
  workspace: z.string().min(1),
  profile: z.string(),
  gateway: z.object({ url: z.string(), protocol: z.enum(['openai', 'anthropic']), model: z.string() }),
});
export type ExtensionResumeConfig = z.infer<typeof ExtensionResumeConfigSchema>;

/** Statuses a run can be continued from (as resumeRun accepts): stopped from outside, not finished or at a limit. */
export const RESUMABLE_STATUSES: ReadonlySet<string> = new Set(['interrupted', 'cancelled', 'failed']);

/** Runs offered in the panel at most; older ones stay resumable from the CLI. */
const MAX_OFFERED = 5;

/**
 * The unfinished runs of this workspace, newest first: started by the extension in this folder, in a
 * resumable state, not held by a live window (status `running`) and not dismissed. A journal that
 * cannot be read is skipped here (the CLI's `runs` lists it as damaged).
 */
export async function resumableRuns(store: JournalStore, workspace: string, dismissed: ReadonlySet<string>): Promise<ResumableRun[]> {
  const out: ResumableRun[] = [];
  for (const run of await store.list()) {
    if (out.length >= MAX_OFFERED) break;
    if (!RESUMABLE_STATUSES.has(run.status) || dismissed.has(run.id)) continue;
    const cfg = resumeConfigOf(store, run);
    if (!cfg || path.resolve(cfg.workspace) !== path.resolve(workspace)) continue;
    out.push({ id: run.id, task: run.task, status: run.status, started: run.started, model: run.model });
  }
  return out;
}

/** Runs of this workspace another live window (or a window still closing) holds right now. */
export async function heldRuns(store: JournalStore, workspace: string): Promise<string[]> {
  const out: string[] = [];
  for (const run of await store.list()) {
    if (run.status !== 'running') continue;
    const cfg = resumeConfigOf(store, run);
    if (cfg && path.resolve(cfg.workspace) === path.resolve(workspace)) out.push(run.id);
  }
  return out;
}

function resumeConfigOf(store: JournalStore, run: RunSummary): ExtensionResumeConfig | undefined {
  try {
    const parsed = ExtensionResumeConfigSchema.safeParse(store.read(run.id).state.start.resume);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Dismissed ids are kept for runs that still exist only, so the list does not grow forever. */
export function pruneDismissed(dismissed: readonly string[], existing: readonly string[]): string[] {
  const live = new Set(existing);
  return dismissed.filter((id) => live.has(id));
}
