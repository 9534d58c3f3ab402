import path from 'node:path';
import { cliStateLocation } from '../adapters/ledger/stateLocation';
import { collectGarbage, collectGarbageDaily, DEFAULT_RETENTION, type GcReport, type Retention, type StateFolders, type StateKind } from '../adapters/state/stateGc';
import { checkpointsDir } from './checkpointCommand';
import { EXIT, UsageError, type CliIo } from './cliIo';
import { parseCliArgs } from './cliArgs';
import { runsDir } from './runsCommand';

const OPTIONS = {
  days: { type: 'string' },
  'ledger-months': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

const LABEL: Record<StateKind, string> = { tracesDir: 'traces', runsDir: 'run journals', checkpointsDir: 'checkpoints', quarantineDir: 'quarantined entries', usageDir: 'usage ledger files' };

/**
 * `agent-harness gc [--days N] [--ledger-months N] [--dry-run] [--json]`: removes state older than the
 * retention (AGENT_HARNESS_RETENTION_DAYS, default 30; AGENT_HARNESS_LEDGER_MONTHS, default 13). Every
 * run does the same at most once a day, so the state folder stays bounded without this command.
 */
export async function runGcCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, false);
  const retention = retentionFrom(io.env, { days: args.values.days, ledgerMonths: args.values['ledger-months'] });
  const folders = cliStateFolders(io.env);
  const report = await collectGarbage(folders, retention, { dryRun: args.values['dry-run'] });
  if (args.values.json) io.stdout(`${JSON.stringify({ root: path.dirname(folders.usageDir), retention, ...report })}\n`);
  else io.stdout(render(report, retention, path.dirname(folders.usageDir)));
  return EXIT.ok;
}

/** The CLI's state folders (AGENT_HARNESS_HOME, default ~/.agent-harness). */
export function cliStateFolders(env: NodeJS.ProcessEnv): StateFolders {
  const loc = cliStateLocation(env);
  return { usageDir: loc.usageDir, tracesDir: loc.tracesDir, runsDir: runsDir(env), checkpointsDir: checkpointsDir(env), quarantineDir: loc.quarantineDir };
}

/** Retention from flags, then the environment, then the defaults; a value that is not a whole number of at least 1 is a usage error. */
export function retentionFrom(env: NodeJS.ProcessEnv, flags: { days?: string; ledgerMonths?: string } = {}): Retention {
  return {
    days: positive(flags.days, '--days') ?? positive(env.AGENT_HARNESS_RETENTION_DAYS, 'AGENT_HARNESS_RETENTION_DAYS') ?? DEFAULT_RETENTION.days,
    ledgerMonths: positive(flags.ledgerMonths, '--ledger-months') ?? positive(env.AGENT_HARNESS_LEDGER_MONTHS, 'AGENT_HARNESS_LEDGER_MONTHS') ?? DEFAULT_RETENTION.ledgerMonths,
  };
}

/** After a run: the clean-up, at most once a day (the run checked `retention` before it started). */
export async function dailyGc(io: CliIo, retention: Retention): Promise<void> {
  const folders = cliStateFolders(io.env);
  await collectGarbageDaily(path.join(path.dirname(folders.usageDir), 'gc-last'), () => collectGarbage(folders, retention));
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${name} must be a whole number of at least 1, got "${value}"`);
  return Number(value);
}

function render(report: GcReport, retention: Retention, root: string): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const lines = [`${root}: keeping ${retention.days} days of traces, journals, checkpoints and quarantine, ${retention.ledgerMonths} months of usage`];
  let total = 0;
  for (const kind of Object.keys(LABEL) as StateKind[]) {
    const r = report.removed[kind];
    total += r.bytes;
    lines.push(`  ${LABEL[kind].padEnd(20)} ${verb} ${r.entries}, kept ${report.kept[kind]}${r.entries > 0 ? ` (${mib(r.bytes)})` : ''}`);
  }
  lines.push(`${report.dryRun ? 'would free' : 'freed'} ${mib(total)}`);
  return `${lines.join('\n')}\n`;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
