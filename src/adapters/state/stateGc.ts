import { lstat, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monthKey } from '../ledger/usageLedger';

/**
 * Retention for the state folders, so they stay bounded however long the product is used: traces, run
 * journals, checkpoints and quarantined entries are kept `days` days, the usage ledger `ledgerMonths`
 * calendar months (this one included, so `usage --since` a year back still works). A journal whose
 * run holds its lock (it is running, or its process just died) is never removed; neither are the
 * integrity records of protected changes, which are security evidence.
 */
export interface Retention {
  days: number;
  ledgerMonths: number;
}

export const DEFAULT_RETENTION: Retention = { days: 30, ledgerMonths: 13 };

/** The folders a gc pass looks at; any may be absent. */
export interface StateFolders {
  usageDir: string;
  tracesDir: string;
  runsDir: string;
  checkpointsDir: string;
  quarantineDir: string;
}

export type StateKind = keyof StateFolders;

export interface GcReport {
  /** Per folder: entries removed (or, in a dry run, that would be) and their bytes. */
  removed: Record<StateKind, { entries: number; bytes: number }>;
  kept: Record<StateKind, number>;
  dryRun: boolean;
}

interface Entry {
  path: string;
  /** When it was last written. */
  mtimeMs: number;
  bytes: number;
}

const DAY_MS = 86_400_000;
/** A totals snapshot left by a crash between its write and its rename. */
const STALE_TMP_MS = 3_600_000;
/** A run lock not touched for this long belongs to a process that is gone. */
const LOCK_FRESH_MS = 3_600_000;

export async function collectGarbage(folders: StateFolders, retention: Retention, opts: { now?: Date; dryRun?: boolean } = {}): Promise<GcReport> {
  const now = opts.now ?? new Date();
  const cutoff = now.getTime() - retention.days * DAY_MS;
  const oldestMonth = monthKey(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (retention.ledgerMonths - 1), 1)));
  const report: GcReport = { removed: emptyCounts(() => ({ entries: 0, bytes: 0 })), kept: emptyCounts(() => 0), dryRun: opts.dryRun === true };

  const plan: Record<StateKind, (e: Entry, name: string) => Promise<boolean> | boolean> = {
    usageDir: (e, name) => {
      const month = /^usage-(\d{4}-\d{2})\.jsonl(\.totals\.json)?$/.exec(name)?.[1];
      if (month) return month < oldestMonth;
      return name.endsWith('.tmp') && e.mtimeMs < now.getTime() - STALE_TMP_MS;
    },
    tracesDir: (e, name) => name.endsWith('.jsonl') && e.mtimeMs < cutoff,
    runsDir: async (e, name) => {
      if (/\.lock(\.owner\.json)?$/.test(name)) return e.mtimeMs < cutoff;
      return name.endsWith('.jsonl') && e.mtimeMs < cutoff && !(await heldSince(`${e.path.slice(0, -'.jsonl'.length)}.lock`, now.getTime() - LOCK_FRESH_MS));
    },
    checkpointsDir: async (e) => (await checkpointTime(e)) < cutoff,
    quarantineDir: (e) => e.mtimeMs < cutoff,
  };
  for (const kind of Object.keys(plan) as StateKind[]) {
    for (const [name, entry] of await entriesOf(folders[kind])) {
      if (!(await plan[kind](entry, name))) {
        report.kept[kind]++;
        continue;
      }
      if (!report.dryRun) await rm(entry.path, { recursive: true, force: true });
      report.removed[kind].entries++;
      report.removed[kind].bytes += entry.bytes;
    }
  }
  return report;
}

/** A checkpoint's age is its manifest's creation time (a restore rewrites the manifest, not the age). */
async function checkpointTime(e: Entry): Promise<number> {
  try {
    const created = Date.parse((JSON.parse(await readFile(path.join(e.path, 'manifest.json'), 'utf8')) as { createdAt?: string }).createdAt ?? '');
    return Number.isFinite(created) ? created : e.mtimeMs;
  } catch {
    return e.mtimeMs;
  }
}

async function entriesOf(dir: string): Promise<Array<[string, Entry]>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Array<[string, Entry]> = [];
  for (const name of names.sort()) {
    const full = path.join(dir, name);
    const info = await lstat(full).catch(() => undefined);
    if (info) out.push([name, { path: full, mtimeMs: info.mtimeMs, bytes: info.isDirectory() ? await sizeOf(full) : info.size }]);
  }
  return out;
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await lstat(path.join(entry.parentPath, entry.name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** A run's lock touched since `since`: its run is live (locks are refreshed every few seconds). */
async function heldSince(lock: string, since: number): Promise<boolean> {
  const info = await lstat(lock).catch(() => undefined);
  return info !== undefined && info.mtimeMs >= since;
}

function emptyCounts<T>(make: () => T): Record<StateKind, T> {
  return { usageDir: make(), tracesDir: make(), runsDir: make(), checkpointsDir: make(), quarantineDir: make() };
}

/**
 * Runs `collect` when the last automatic pass recorded in `markerFile` is a day old or more (or there
 * is none), and records this one first, so concurrent processes rarely both run it. Never throws:
 * clean-up must not fail a run.
 */
export async function collectGarbageDaily(markerFile: string, collect: () => Promise<unknown>, now = new Date()): Promise<boolean> {
  try {
    const last = (await stat(markerFile).catch(() => undefined))?.mtimeMs;
    if (last !== undefined && now.getTime() - last < DAY_MS) return false;
    await writeFile(markerFile, `${now.toISOString()}\n`);
    await collect();
    return true;
  } catch {
    return false;
  }
}
