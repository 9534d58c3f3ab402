import { beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageLedger } from '../../../../src/adapters/ledger/usageLedger';
import { ledgerRow } from '../../../support/ledgerRow';
import { spentOn, summarizeUsage } from '../../../../src/adapters/ledger/summarizeUsage';
import { createRedactor } from '../../../../src/core/trace/redact';
import { tempDir } from '../../../support/fixtures';

const KEY = 'sk-ledger-secret-0123456789';
let dir: string;
beforeEach(async () => {
  dir = await tempDir('ah-ledger-');
});

const row = ledgerRow;

describe('UsageLedger', () => {
  it('appends redacted rows to one file per month and reads them back since a date', async () => {
    const ledger = new UsageLedger(dir, createRedactor([KEY]));
    ledger.append(row({ time: '2026-10-31T23:00:00.000Z' }));
    ledger.append(row({ outcome: 'auth', error: `key ${KEY} refused`, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0 }));
    ledger.append(row({ time: '2026-11-21T08:00:00.000Z', model: 'claude-haiku-4-5', protocol: 'anthropic' }));
    await ledger.flush();
    expect((await readdir(dir)).sort()).toEqual(['usage-2026-10.jsonl', 'usage-2026-11.jsonl']);
    const text = await readFile(join(dir, 'usage-2026-11.jsonl'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(text.trim().split('\n')).toHaveLength(2);

    const all = await ledger.read();
    expect(all.rows).toHaveLength(3);
    const recent = await ledger.read({ since: new Date('2026-11-01T00:00:00Z') });
    expect(recent.rows.map((r) => r.model)).toEqual(['gpt-4o', 'claude-haiku-4-5']);
  });

  it('skips and counts lines that are not rows instead of failing', async () => {
    const ledger = new UsageLedger(dir, createRedactor());
    ledger.append(row({}));
    await ledger.flush();
    await appendFile(join(dir, 'usage-2026-11.jsonl'), '{"time": "half a line\nnot json\n');
    const { rows, skipped } = await ledger.read();
    expect(rows).toHaveLength(1);
    expect(skipped).toBe(2);
  });

  it('reading a folder that does not exist yet is an empty ledger', async () => {
    expect(await new UsageLedger(join(dir, 'nope'), createRedactor()).read()).toEqual({ rows: [], skipped: 0 });
  });
});

describe('summarizeUsage', () => {
  const rows = [
    row({ model: 'gpt-4o', costUsd: 0.02, skills: ['testing'] }),
    row({ model: 'gpt-4o', outcome: 'server', costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, latencyMs: 30 }),
    row({ model: 'claude-haiku-4-5', answeredBy: 'claude-haiku-4-5-20251001', profile: 'reviewer', costUsd: 0.05, skills: ['testing', 'refactoring'], time: '2026-11-21T09:00:00.000Z' }),
    row({ outcome: 'budget_exceeded', costUsd: 0 }),
  ];

  it('groups by model (the one that answered), sorted by cost, with a total; budget stops are not calls', () => {
    const s = summarizeUsage(rows, { by: 'model' });
    expect(s.rows.map((r) => [r.key, r.calls, r.failed])).toEqual([
      ['claude-haiku-4-5-20251001', 1, 0],
      ['gpt-4o', 2, 1],
    ]);
    expect(s.total.calls).toBe(3);
    expect(s.total.costUsd).toBeCloseTo(0.07, 10);
    expect(s.total.totalTokens).toBe(320);
    expect(s.rows[1]!.avgLatencyMs).toBe(200);
  });

  it('a call the person stopped is a call (its tokens count), not a failure', () => {
    const stopped = row({ model: 'gpt-4o', outcome: 'cancelled', costUsd: 0.001, usage: { inputTokens: 40, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    const s = summarizeUsage([rows[0]!, stopped], { by: 'model' });
    expect(s.rows.map((r) => [r.key, r.calls, r.failed])).toEqual([['gpt-4o', 2, 0]]);
    expect(s.total.costUsd).toBeCloseTo(0.021, 10);
  });

  it('groups by skill (a call under each active skill), profile and day', () => {
    expect(summarizeUsage(rows, { by: 'skill' }).rows.map((r) => [r.key, r.calls])).toEqual([
      ['testing', 2],
      ['refactoring', 1],
      ['(no skill)', 1],
    ]);
    expect(summarizeUsage(rows, { by: 'profile' }).rows.map((r) => r.key)).toEqual(['reviewer', 'coder']);
    expect(summarizeUsage(rows, { by: 'day' }).rows.map((r) => [r.key, r.calls])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-21', 1],
    ]);
  });

  it('honours since', () => {
    expect(summarizeUsage(rows, { by: 'model', since: new Date('2026-11-21T00:00:00Z') }).total.calls).toBe(1);
  });

  it('spentOn adds up one local day for the daily budget', () => {
    expect(spentOn(rows, '2026-11-20')).toEqual({ day: '2026-11-20', tokens: 160, costUsd: 0.02 });
  });
});
