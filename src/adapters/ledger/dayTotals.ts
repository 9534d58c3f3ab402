import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { localDay } from '../../core/model/budgets';
import { countsAsCall, rowTokens } from './summarizeUsage';
import { monthKey, parseLedgerLine } from './usageLedger';

/**
 * Running totals per local day for one month file of the usage ledger, kept beside it
 * (`usage-2026-12.jsonl.totals.json`): how many bytes of the file they cover and what those bytes
 * spent per day. A run that needs today's spend reads only what was appended since the totals were
 * last written, so start-up does not grow with the month. Writers never lock: each writes a complete
 * snapshot (for the bytes it read) under a temporary name and renames it into place, so whichever
 * snapshot wins is correct, and the next reader continues from it. The totals are a cache: a missing,
 * unreadable or mismatched file (another time zone, a rewritten ledger) is rebuilt from the ledger.
 */
const TotalsSchema = z.object({
  version: z.literal(1),
  timeZone: z.string(),
  /** The month file's inode: a file replaced by `gc` or by hand starts over. */
  ino: z.number(),
  /** Bytes of the month file covered, always at a line end. */
  size: z.number().int().nonnegative(),
  days: z.record(z.string(), z.object({ tokens: z.number(), costUsd: z.number() })),
});
type Totals = z.infer<typeof TotalsSchema>;

export interface DayAmount {
  day: string;
  tokens: number;
  costUsd: number;
}

/** What the ledger in `dir` holds for the local `day` (`YYYY-MM-DD`), counted like `usage`: calls only. */
export async function ledgerSpentOn(dir: string, day: string, timeZone = currentTimeZone()): Promise<DayAmount> {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const start = new Date(y, m - 1, d);
  const end = new Date(y, m - 1, d + 1);
  // A local day can straddle two UTC month files.
  const months = [...new Set([monthKey(start), monthKey(new Date(end.getTime() - 1))])];
  const total: DayAmount = { day, tokens: 0, costUsd: 0 };
  for (const month of months) {
    const spent = (await monthTotals(join(dir, `usage-${month}.jsonl`), timeZone))?.days[day];
    if (!spent) continue;
    total.tokens += spent.tokens;
    total.costUsd += spent.costUsd;
  }
  return total;
}

/** Brings the month's totals up to date with its file and returns them (undefined: no such file). */
async function monthTotals(file: string, timeZone: string): Promise<Totals | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size, ino } = await handle.stat();
    const saved = await readTotals(`${file}.totals.json`);
    const fresh = saved && saved.timeZone === timeZone && saved.ino === ino && saved.size <= size;
    const totals: Totals = fresh ? saved : { version: 1, timeZone, ino, size: 0, days: {} };
    if (totals.size === size) return totals;
    const tail = Buffer.alloc(size - totals.size);
    const { bytesRead } = await handle.read(tail, 0, tail.length, totals.size);
    // Only whole lines count: a line still being appended is read next time.
    const lastNewline = tail.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (lastNewline < 0) return totals;
    for (const line of tail.toString('utf8', 0, lastNewline).split('\n')) {
      const row = line.trim() ? parseLedgerLine(line) : undefined;
      if (!row || !countsAsCall(row)) continue;
      const day = localDay(new Date(row.time));
      const spent = (totals.days[day] ??= { tokens: 0, costUsd: 0 });
      spent.tokens += rowTokens(row);
      spent.costUsd += row.costUsd;
    }
    totals.size += lastNewline + 1;
    await writeTotals(`${file}.totals.json`, totals);
    return totals;
  } finally {
    await handle.close();
  }
}

async function readTotals(file: string): Promise<Totals | undefined> {
  try {
    const parsed = TotalsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: totals that cannot be written are rebuilt by the next reader. */
async function writeTotals(file: string, totals: Totals): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(totals), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    await rm(tmp, { force: true });
  }
}

function currentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
