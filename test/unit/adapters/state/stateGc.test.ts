import { beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { collectGarbage, collectGarbageDaily, DEFAULT_RETENTION, type StateFolders } from '../../../../src/adapters/state/stateGc';
import { agedFile } from '../../../support/agedFile';
import { tempDir } from '../../../support/fixtures';

const NOW = new Date('2026-12-07T12:00:00Z');
const DAY = 86_400_000;
let root: string;
let folders: StateFolders;

beforeEach(async () => {
  root = await tempDir('ah-gc-');
  folders = { usageDir: join(root, 'usage'), tracesDir: join(root, 'traces'), runsDir: join(root, 'runs'), checkpointsDir: join(root, 'checkpoints'), quarantineDir: join(root, 'quarantine') };
  for (const dir of Object.values(folders)) await mkdir(dir, { recursive: true });
});

const file = (path: string, ageDays: number, text = 'x\n') => agedFile(path, ageDays, { text, now: NOW });

async function checkpoint(runId: string, createdDaysAgo: number, touchedDaysAgo: number): Promise<void> {
  const dir = join(folders.checkpointsDir, runId);
  await file(join(dir, 'blobs', 'abc'), touchedDaysAgo, 'old contents');
  await file(join(dir, 'manifest.json'), touchedDaysAgo, JSON.stringify({ runId, createdAt: new Date(NOW.getTime() - createdDaysAgo * DAY).toISOString(), files: [] }));
  const t = new Date(NOW.getTime() - touchedDaysAgo * DAY);
  await utimes(dir, t, t);
}

const names = async (dir: string) => (await readdir(dir)).sort();

describe('collectGarbage', () => {
  beforeEach(async () => {
    await file(join(folders.tracesDir, 'old.jsonl'), 31);
    await file(join(folders.tracesDir, 'new.jsonl'), 29);
    await file(join(folders.runsDir, 'done.jsonl'), 40);
    await file(join(folders.runsDir, 'held.jsonl'), 40);
    await mkdir(join(folders.runsDir, 'held.lock'));
    await file(join(folders.runsDir, 'recent.jsonl'), 1);
    // The lock of a process that died long ago holds nothing.
    await file(join(folders.runsDir, 'dead.jsonl'), 40);
    await mkdir(join(folders.runsDir, 'dead.lock'));
    await utimes(join(folders.runsDir, 'dead.lock'), new Date(NOW.getTime() - 40 * DAY), new Date(NOW.getTime() - 40 * DAY));
    await file(join(folders.runsDir, 'dead.lock.owner.json'), 40);
    // Created long ago but restored (its manifest rewritten) yesterday: its age is its creation.
    await checkpoint('old-run', 45, 1);
    await checkpoint('new-run', 3, 3);
    await file(join(folders.quarantineDir, 'audit-1', 'payload.sh'), 60);
    await utimes(join(folders.quarantineDir, 'audit-1'), new Date(NOW.getTime() - 60 * DAY), new Date(NOW.getTime() - 60 * DAY));
    // Thirteen months are kept, this one included: 2025-12 is the oldest that stays.
    for (const month of ['2025-10', '2025-11', '2025-12', '2026-12']) await file(join(folders.usageDir, `usage-${month}.jsonl`), 0);
    await file(join(folders.usageDir, 'usage-2025-11.jsonl.totals.json'), 0);
    await file(join(folders.usageDir, 'usage-2026-12.jsonl.totals.json.1.x.tmp'), 1);
    await file(join(folders.usageDir, 'notes.txt'), 400);
  });

  it('removes what is older than the retention and keeps the rest', async () => {
    const report = await collectGarbage(folders, DEFAULT_RETENTION, { now: NOW });
    expect(await names(folders.tracesDir)).toEqual(['new.jsonl']);
    // A journal whose run holds its lock stays, however old.
    expect(await names(folders.runsDir)).toEqual(['held.jsonl', 'held.lock', 'recent.jsonl']);
    expect(await names(folders.checkpointsDir)).toEqual(['new-run']);
    expect(await names(folders.quarantineDir)).toEqual([]);
    expect(await names(folders.usageDir)).toEqual(['notes.txt', 'usage-2025-12.jsonl', 'usage-2026-12.jsonl']);
    expect(report.removed.tracesDir).toEqual({ entries: 1, bytes: 2 });
    expect(report.removed.checkpointsDir.entries).toBe(1);
    expect(report.removed.checkpointsDir.bytes).toBeGreaterThan('old contents'.length);
    expect(report.removed.usageDir.entries).toBe(4);
    expect(report.kept.runsDir).toBe(3);
  });

  it('removes nothing in a dry run but reports the same', async () => {
    const dry = await collectGarbage(folders, DEFAULT_RETENTION, { now: NOW, dryRun: true });
    expect(await names(folders.tracesDir)).toEqual(['new.jsonl', 'old.jsonl']);
    const real = await collectGarbage(folders, DEFAULT_RETENTION, { now: NOW });
    expect({ ...dry, dryRun: false }).toEqual(real);
  });

  it('follows a shorter retention', async () => {
    await collectGarbage(folders, { days: 2, ledgerMonths: 1 }, { now: NOW });
    expect(await names(folders.runsDir)).toEqual(['held.jsonl', 'held.lock', 'recent.jsonl']);
    expect(await names(folders.checkpointsDir)).toEqual([]);
    expect(await names(folders.usageDir)).toEqual(['notes.txt', 'usage-2026-12.jsonl']);
  });

  it('copes with folders that do not exist', async () => {
    const report = await collectGarbage({ ...folders, tracesDir: join(root, 'nope') }, DEFAULT_RETENTION, { now: NOW });
    expect(report.kept.tracesDir).toBe(0);
  });
});

describe('collectGarbageDaily', () => {
  it('runs at most once a day', async () => {
    const marker = join(root, 'gc-last');
    let runs = 0;
    const collect = async () => void runs++;
    expect(await collectGarbageDaily(marker, collect, NOW)).toBe(true);
    expect(await collectGarbageDaily(marker, collect, new Date())).toBe(false);
    const longAgo = new Date(Date.now() - 2 * DAY);
    await utimes(marker, longAgo, longAgo);
    expect(await collectGarbageDaily(marker, collect, new Date())).toBe(true);
    expect(runs).toBe(2);
  });

  it('never throws into a run', async () => {
    expect(await collectGarbageDaily(join(root, 'gc-last'), () => Promise.reject(new Error('disk gone')))).toBe(false);
  });
});
