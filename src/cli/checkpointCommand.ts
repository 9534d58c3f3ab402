import { homedir } from 'node:os';
import path from 'node:path';
import { CheckpointError, listCheckpoints, restoreCheckpoint } from '../core/edits/checkpoint';
import { EXIT, UsageError, type CliIo } from './cliIo';
import { parseCliArgs } from './cliArgs';

/** Where the CLI keeps checkpoints: `checkpoints/` in its state folder (AGENT_HARNESS_HOME, default ~/.agent-harness). */
export function checkpointsDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.AGENT_HARNESS_HOME || path.join(env.HOME || homedir(), '.agent-harness'), 'checkpoints');
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  last: { type: 'boolean', default: false },
} as const;

/**
 * `agent-harness checkpoint list [--json]` and `agent-harness checkpoint restore RUN_ID|--last [--force] [--json]`:
 * undo every file change of a run, deleting the files it created. A file changed after the run wrote it
 * stops the restore (nothing is restored) unless --force.
 */
export async function runCheckpointCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, true);
  const [sub, runArg, ...extra] = args.positionals;
  const storeDir = checkpointsDir(io.env);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (sub === 'list') {
    const all = (await listCheckpoints(storeDir)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (args.values.json) io.stdout(`${JSON.stringify(all.map((c) => ({ runId: c.runId, root: c.root, createdAt: c.createdAt, restoredAt: c.restoredAt ?? null, files: c.files.map((f) => f.path) })))}\n`);
    else if (all.length === 0) io.stdout(`no checkpoints in ${storeDir}\n`);
    else for (const c of all) io.stdout(`${c.runId}  ${c.createdAt}  ${c.files.length} file(s)  ${c.root}${c.restoredAt ? '  (restored)' : ''}\n`);
    return EXIT.ok;
  }
  if (sub !== 'restore') throw new UsageError(`unknown checkpoint sub-command "${sub ?? ''}": use list or restore`);
  let runId = runArg;
  if (args.values.last) {
    if (runId) throw new UsageError('give either RUN_ID or --last, not both');
    const newest = (await listCheckpoints(storeDir)).filter((c) => !c.restoredAt).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!newest) throw new UsageError(`no checkpoint to restore in ${storeDir}`);
    runId = newest.runId;
  }
  if (!runId) throw new UsageError('checkpoint restore needs a RUN_ID or --last');
  let report;
  try {
    report = await restoreCheckpoint({ storeDir, runId, force: args.values.force });
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(e.message);
    throw e;
  }
  if (args.values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else {
    for (const f of report.restored) io.stdout(`restored ${f}\n`);
    for (const f of report.deleted) io.stdout(`deleted ${f} (created by the run)\n`);
    for (const c of report.conflicts) io.stderr(`agent-harness: ${c.path}: ${c.reason}\n`);
  }
  if (report.conflicts.length > 0) {
    io.stderr('agent-harness: nothing was restored because files changed after the run wrote them; use --force to restore anyway\n');
    return EXIT.failed;
  }
  return EXIT.ok;
}
