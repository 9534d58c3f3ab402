import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseSince, runUsageCommand } from '../../../src/cli/usageCommand';
import { UsageError, type CliIo } from '../../../src/cli/cliIo';
import { UsageLedger, type LedgerRow } from '../../../src/adapters/ledger/usageLedger';
import { createRedactor } from '../../../src/core/trace/redact';
import { tempDir } from '../../support/fixtures';

let home: string;
beforeEach(async () => {
  home = await tempDir('ah-usage-');
});

function io(): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', env: { AGENT_HARNESS_HOME: home } as NodeJS.ProcessEnv, interactive: false, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

const base: LedgerRow = {
  time: '2026-11-20T10:00:00.000Z',
  skills: ['testing'],
  profile: 'coder',
  model: 'gpt-4o',
  protocol: 'openai',
  attempt: 1,
  usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 },
  costUsd: 0.0035,
  latencyMs: 900,
  outcome: 'ok',
};

async function seed() {
  const ledger = new UsageLedger(join(home, 'usage'), createRedactor());
  ledger.append(base);
  ledger.append({ ...base, time: '2026-11-21T10:00:00.000Z', model: 'claude-haiku-4-5', protocol: 'anthropic', costUsd: 0.0015, skills: [] });
  await ledger.flush();
}

describe('agent-harness usage', () => {
  it('prints a table by model and names the ledger folder on stderr', async () => {
    await seed();
    const c = io();
    expect(await runUsageCommand([], c)).toBe(0);
    expect(c.err).toContain(join(home, 'usage'));
    const lines = c.out.trim().split('\n');
    expect(lines[0]).toMatch(/^model\s+calls\s+failed/);
    expect(lines[1]).toMatch(/^gpt-4o\s+1\s+0\s+1000\s+100/);
    expect(lines.at(-1)).toMatch(/^total\s+2\s+0\s+2000\s+200\s+0\s+0\s+0\.0050/);
  });

  it('--json --by day --since gives machine-readable totals', async () => {
    await seed();
    const c = io();
    await runUsageCommand(['--json', '--by', 'day', '--since', '2026-11-21'], c);
    const json = JSON.parse(c.out);
    expect(json.by).toBe('day');
    expect(json.rows.map((r: { key: string }) => r.key)).toEqual(['2026-11-21']);
    expect(json.total.costUsd).toBeCloseTo(0.0015, 10);
  });

  it('an empty ledger says so', async () => {
    const c = io();
    await runUsageCommand(['--by', 'skill'], c);
    expect(c.out).toBe('no model calls\n');
  });

  it('bad flags are usage errors that name the flag', async () => {
    await expect(runUsageCommand(['--by', 'team'], io())).rejects.toThrow(/--by must be one of model, profile, skill, day/);
    await expect(runUsageCommand(['--since', 'yesterday'], io())).rejects.toBeInstanceOf(UsageError);
    await expect(runUsageCommand(['--bogus'], io())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('reads dates, ISO times and spans', () => {
    expect(parseSince('2026-11-01', now).getDate()).toBe(1);
    expect(parseSince('2026-11-01T05:00:00Z', now).toISOString()).toBe('2026-11-01T05:00:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-14T12:00:00.000Z');
    expect(parseSince('12h', now).toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });
  it('rejects impossible dates', () => {
    expect(() => parseSince('2026-02-31', now)).toThrow(/--since/);
  });
});
