import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ledgerSpentOn } from '../../../../src/adapters/ledger/dayTotals';
import { spentOn } from '../../../../src/adapters/ledger/summarizeUsage';
import { UsageLedger, type LedgerRow } from '../../../../src/adapters/ledger/usageLedger';
import { createRedactor } from '../../../../src/core/trace/redact';
import { ledgerRow } from '../../../support/ledgerRow';
import { tempDir } from '../../../support/fixtures';

let dir: string;
const savedTz = process.env.TZ;
beforeEach(async () => {
  dir = await tempDir('ah-daytotals-');
  process.env.TZ = 'UTC';
});
afterEach(async () => {
  process.env.TZ = savedTz;
  if (savedTz === undefined) delete process.env.TZ;
  await rm(dir, { recursive: true, force: true });
});

const FILE = () => join(dir, 'usage-2026-11.jsonl');
const TOTALS = () => `${FILE()}.totals.json`;
const lines = (rows: LedgerRow[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

function mixedRows(n: number): LedgerRow[] {
  return Array.from({ length: n }, (_, i) =>
    ledgerRow({
      time: new Date(Date.UTC(2026, 10, 18 + (i % 4), i % 24, i % 60)).toISOString(),
      usage: { inputTokens: i, outputTokens: 2 * i, cacheReadTokens: i % 7, cacheWriteTokens: i % 3 },
      costUsd: i / 1000,
      outcome: i % 11 === 0 ? 'budget_exceeded' : i % 13 === 0 ? 'rate_limited' : 'ok',
    }),
  );
}

describe('ledgerSpentOn (running day totals beside the ledger)', () => {
  it('agrees with adding up every row, for every day', async () => {
    const rows = mixedRows(500);
    await writeFile(FILE(), lines(rows));
    for (const day of ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']) {
      const got = await ledgerSpentOn(dir, day);
      const want = spentOn(rows, day);
      expect(got.tokens).toBe(want.tokens);
      expect(got.costUsd).toBeCloseTo(want.costUsd, 9);
    }
  });

  it('reads only what was appended since its totals: rows added later are counted once', async () => {
    const first = mixedRows(100);
    await writeFile(FILE(), lines(first));
    await ledgerSpentOn(dir, '2026-11-20');
    const covered = JSON.parse(await readFile(TOTALS(), 'utf8')).size;
    expect(covered).toBe(Buffer.byteLength(lines(first)));

    const more = [ledgerRow({ time: '2026-11-20T12:00:00.000Z', usage: { inputTokens: 1000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 1 })];
    await appendFile(FILE(), lines(more));
    const got = await ledgerSpentOn(dir, '2026-11-20');
    const want = spentOn([...first, ...more], '2026-11-20');
    expect(got.tokens).toBe(want.tokens);
    expect(got.costUsd).toBeCloseTo(want.costUsd, 9);
    // Asked again with nothing new: the same answer, not counted twice.
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(want.tokens);
  });

  it('leaves a line still being written for the next reader, then counts it whole', async () => {
    const whole = `${JSON.stringify(ledgerRow())}\n`;
    const late = JSON.stringify(ledgerRow({ step: 'r1:m1' }));
    await writeFile(FILE(), whole + late.slice(0, 40));
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(160);
    await appendFile(FILE(), `${late.slice(40)}\n`);
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(320);
  });

  it('rebuilds totals that do not fit the ledger: corrupt, from another time zone, or for a replaced file', async () => {
    const rows = [ledgerRow({ time: '2026-11-20T23:30:00.000Z' })];
    await writeFile(FILE(), lines(rows));
    await ledgerSpentOn(dir, '2026-11-20');

    // A hand-edited or half-written totals file is not trusted.
    await writeFile(TOTALS(), '{"version":1,"days":');
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(160);

    // The same instant is another local day in Berlin: totals made in UTC must not be reused there.
    process.env.TZ = 'Europe/Berlin';
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(0);
    expect((await ledgerSpentOn(dir, '2026-11-21')).tokens).toBe(160);
    process.env.TZ = 'UTC';
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(160);

    // A ledger replaced by a shorter one (gc, a restore) with totals that claim more than it holds, or
    // a different file of any size: counted from its first byte.
    const smaller = [ledgerRow({ usage: { inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } })];
    await writeFile(join(dir, 'next.jsonl'), lines(smaller) + lines(smaller));
    await rename(join(dir, 'next.jsonl'), FILE());
    expect((await ledgerSpentOn(dir, '2026-11-20')).tokens).toBe(2);
  });

  it('counts a local day that spans two UTC month files', async () => {
    process.env.TZ = 'America/New_York';
    const ledger = new UsageLedger(dir, createRedactor());
    // 2026-11-30 21:00 in New York is 2026-12-01T02:00Z, in December's file.
    ledger.append(ledgerRow({ time: '2026-11-30T15:00:00.000Z' }));
    ledger.append(ledgerRow({ time: '2026-12-01T02:00:00.000Z' }));
    ledger.append(ledgerRow({ time: '2026-12-01T06:00:00.000Z' }));
    await ledger.flush();
    expect((await ledgerSpentOn(dir, '2026-11-30')).tokens).toBe(320);
    expect((await ledgerSpentOn(dir, '2026-12-01')).tokens).toBe(160);
  });

  it('gives every concurrent reader the right answer, whichever totals file wins', async () => {
    const rows = mixedRows(300);
    await writeFile(FILE(), lines(rows));
    const want = spentOn(rows, '2026-11-19').tokens;
    const results = await Promise.all(Array.from({ length: 12 }, () => ledgerSpentOn(dir, '2026-11-19')));
    expect(results.every((r) => r.tokens === want)).toBe(true);
    // Then some appended while others read.
    const more = mixedRows(40);
    const racing = Promise.all(Array.from({ length: 6 }, () => ledgerSpentOn(dir, '2026-11-19')));
    await appendFile(FILE(), lines(more));
    await racing;
    expect((await ledgerSpentOn(dir, '2026-11-19')).tokens).toBe(spentOn([...rows, ...more], '2026-11-19').tokens);
  });

  it('is zero for a day without a ledger', async () => {
    expect(await ledgerSpentOn(join(dir, 'missing'), '2026-11-20')).toEqual({ day: '2026-11-20', tokens: 0, costUsd: 0 });
  });
});
