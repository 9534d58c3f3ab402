import { homedir } from 'node:os';
import path from 'node:path';
import { JournalStore, type RunSummary } from '../adapters/journal/journalStore';
import { EXIT, type CliIo } from './cliIo';
import { parseCliArgs } from './cliArgs';

/**
 * Where the CLI keeps run journals: AGENT_HARNESS_RUNS_DIR, else `runs/` in the CLI's state folder
 * (AGENT_HARNESS_HOME, default ~/.agent-harness, next to the usage ledger and traces). Runs are not
 * kept in the workspace: a journal holds the whole conversation, which does not belong in a repository.
 */
export function runsDir(env: NodeJS.ProcessEnv, flag?: string): string {
  if (flag) return path.resolve(flag);
  if (env.AGENT_HARNESS_RUNS_DIR) return path.resolve(env.AGENT_HARNESS_RUNS_DIR);
  return path.join(env.AGENT_HARNESS_HOME || path.join(env.HOME || homedir(), '.agent-harness'), 'runs');
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  'runs-dir': { type: 'string' },
} as const;

/** `agent-harness runs [--json] [--runs-dir DIR]`: the journaled runs, newest first. */
export async function runRunsCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, false);
  const dir = runsDir(io.env, args.values['runs-dir']);
  const runs = await new JournalStore({ dir }).list();
  if (args.values.json) {
    io.stdout(`${JSON.stringify(runs)}\n`);
    return EXIT.ok;
  }
  if (runs.length === 0) {
    io.stdout(`no runs in ${dir}\n`);
    return EXIT.ok;
  }
  io.stdout(`${formatRuns(runs)}\n`);
  io.stderr(`runs folder: ${dir}\n`);
  return EXIT.ok;
}

export function formatRuns(runs: readonly RunSummary[]): string {
  const rows = runs.map((r) => [r.id, r.status, r.started ? r.started.replace('T', ' ').slice(0, 19) : '-', oneLine(r.problem ?? r.task)]);
  const header = ['ID', 'STATUS', 'STARTED', 'TASK'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
