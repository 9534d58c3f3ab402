import { beforeEach, describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer/server';
import { expectNoStack, runCli } from './runCli';
import { agedFile } from '../../support/agedFile';
import { tempDir } from '../../support/fixtures';

let home: string;

beforeEach(async () => {
  home = await tempDir('ah-gc-cli-');
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { AGENT_HARNESS_HOME: home, ...env });


describe('agent-harness gc', () => {
  it('removes old traces and journals from AGENT_HARNESS_HOME, after a dry run that removes nothing', async () => {
    await agedFile(join(home, 'traces', 'a.jsonl'), 45);
    await agedFile(join(home, 'traces', 'b.jsonl'), 2);
    await agedFile(join(home, 'runs', 'r.jsonl'), 45);

    const dry = await cli(['gc', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned).toMatchObject({ dryRun: true, retention: { days: 30, ledgerMonths: 13 }, removed: { tracesDir: { entries: 1 }, runsDir: { entries: 1 } }, kept: { tracesDir: 1 } });
    expect((await readdir(join(home, 'traces'))).sort()).toEqual(['a.jsonl', 'b.jsonl']);

    const real = await cli(['gc']);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/traces\s+removed 1, kept 1/);
    expect(await readdir(join(home, 'traces'))).toEqual(['b.jsonl']);
    expect(await readdir(join(home, 'runs'))).toEqual([]);
  });

  it('follows AGENT_HARNESS_RETENTION_DAYS, and --days over it', async () => {
    await agedFile(join(home, 'traces', 'a.jsonl'), 5);
    expect(JSON.parse((await cli(['gc', '--dry-run', '--json'], { AGENT_HARNESS_RETENTION_DAYS: '3' })).stdout).removed.tracesDir.entries).toBe(1);
    expect(JSON.parse((await cli(['gc', '--dry-run', '--json', '--days', '10'], { AGENT_HARNESS_RETENTION_DAYS: '3' })).stdout).removed.tracesDir.entries).toBe(0);
  });

  it('runs by itself after a run, at most once a day', async () => {
    const server: ScriptedServer = await startScriptedServer();
    try {
      await agedFile(join(home, 'traces', 'old.jsonl'), 45);
      const env = { AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1`, AGENT_HARNESS_PROTOCOL: 'openai', AGENT_HARNESS_MODEL: 'gpt-4o', AGENT_HARNESS_API_KEY: 'sk-gc-test-0123456789' };
      server.script([{ text: 'Nothing to do.' }]);
      expect((await cli(['run', '--workspace', home, '--sandbox', 'local', 'say hi'], env)).code).toBe(0);
      expect(await readdir(join(home, 'traces'))).not.toContain('old.jsonl');
      const marked = (await stat(join(home, 'gc-last'))).mtimeMs;
      // The next run the same day leaves an old trace alone (the daily pass already ran).
      await agedFile(join(home, 'traces', 'old2.jsonl'), 45);
      server.script([{ text: 'Still nothing.' }]);
      expect((await cli(['run', '--workspace', home, '--sandbox', 'local', 'say hi'], env)).code).toBe(0);
      expect(await readdir(join(home, 'traces'))).toContain('old2.jsonl');
      expect((await stat(join(home, 'gc-last'))).mtimeMs).toBe(marked);
    } finally {
      await server.close();
    }
  });

  it('refuses a retention that is not a whole number of days, naming it, and removes nothing', async () => {
    await agedFile(join(home, 'traces', 'a.jsonl'), 45);
    const bad = await cli(['gc'], { AGENT_HARNESS_RETENTION_DAYS: '0' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('agent-harness: AGENT_HARNESS_RETENTION_DAYS must be a whole number of at least 1, got "0"\n');
    expectNoStack(bad.stderr);
    expect((await cli(['gc', '--ledger-months', '1.5'])).stderr).toMatch(/--ledger-months must be a whole number/);
    expect(await readdir(join(home, 'traces'))).toEqual(['a.jsonl']);
    // A run checks it before it starts anything.
    const run = await cli(['run', '--workspace', home, 'task'], { AGENT_HARNESS_RETENTION_DAYS: 'forever' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AGENT_HARNESS_RETENTION_DAYS must be a whole number/);
  });
});
