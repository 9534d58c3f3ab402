import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRequest, CommandSegment } from '../../../../src/core/ports';
import { LocalSandbox, splitPipelines } from '../../../../src/adapters/sandbox/localSandbox';

function req(segments: CommandSegment[], extra: Partial<CommandRequest> = {}): CommandRequest {
  return { commandLine: segments.map((s) => s.argv.join(' ')).join(' ; '), segments, timeoutMs: 10_000, ...extra };
}
const seg = (joiner: CommandSegment['joiner'] | undefined, ...argv: string[]): CommandSegment => (joiner ? { argv, joiner } : { argv });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0 until its parent reaps it; it is dead for our purpose.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('LocalSandbox', () => {
  let root: string;
  let sandbox: LocalSandbox;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ah-local-'));
    writeFileSync(path.join(root, 'a.txt'), 'one\ntwo\nthree\n');
    sandbox = new LocalSandbox({
      workspaceRoot: root,
      spillDir: path.join(root, '.agent-harness', 'spill'),
      outputCapBytes: 4096,
      hostEnv: { PATH: process.env.PATH, HOME: root, SECRET_API_KEY: 'planted', NODE_OPTIONS: '--require /nope.js' },
    });
  });
  afterAll(async () => {
    await sandbox.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('says plainly that it is not a sandbox', () => {
    expect(sandbox.mode).toBe('local');
    expect(sandbox.describe()).toMatch(/NOT a sandbox/);
  });

  it('passes arguments as a vector: $(whoami), globs and quotes stay literal', async () => {
    const result = await sandbox.run(req([seg(undefined, 'echo', '$(whoami)', '*', '`id`', "'q'")]));
    expect(result.output).toBe("$(whoami) * `id` 'q'\n");
    expect(result.exitCode).toBe(0);
  });

  it('wires pipelines with pipes and returns the last status', async () => {
    const result = await sandbox.run(req([seg(undefined, 'cat', 'a.txt'), seg('|', 'grep', 't'), seg('|', 'wc', '-l')]));
    expect(result.output.trim()).toBe('2');
    expect(result.exitCode).toBe(0);
    const failing = await sandbox.run(req([seg(undefined, 'cat', 'a.txt'), seg('|', 'grep', 'nomatch')]));
    expect(failing.exitCode).toBe(1);
  });

  it('stops an endless writer when the reader exits early (yes | head -1)', async () => {
    const result = await sandbox.run(req([seg(undefined, 'yes'), seg('|', 'head', '-n', '1')], { timeoutMs: 5000 }));
    expect(result.output).toBe('y\n');
    expect(result.timedOut).toBe(false);
  });

  it('ends a pipeline whose reader cannot start', async () => {
    const result = await sandbox.run(req([seg(undefined, 'yes'), seg('|', 'no-such-reader-xyz')], { timeoutMs: 5000 }));
    expect(result.exitCode).toBe(127);
    expect(result.timedOut).toBe(false);
  });

  it('sequences && || ; by exit status, as a shell does', async () => {
    const r1 = await sandbox.run(req([seg(undefined, 'false'), seg('&&', 'echo', 'skipped'), seg('||', 'echo', 'rescued'), seg(';', 'echo', 'always')]));
    expect(r1.output).toBe('rescued\nalways\n');
    const r2 = await sandbox.run(req([seg(undefined, 'true'), seg('&&', 'echo', 'ran'), seg('||', 'echo', 'not')]));
    expect(r2.output).toBe('ran\n');
    const r3 = await sandbox.run(req([seg(undefined, 'true'), seg(';', 'false')]));
    expect(r3.exitCode).toBe(1);
  });

  it('reports a missing program as status 127 with a clear line', async () => {
    const result = await sandbox.run(req([seg(undefined, 'no-such-program-xyz', 'arg')]));
    expect(result.exitCode).toBe(127);
    expect(result.output).toContain('no-such-program-xyz: command not found');
  });

  it('kills what a command left running in the background after it ends, setsid daemons included', async () => {
    const pidFile = path.join(root, 'daemon.pid');
    const script = `const { spawn } = require('node:child_process'); const c = spawn('setsid', ['sleep', '300'], { detached: true, stdio: 'ignore' }); require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); c.unref();`;
    const started = performance.now();
    const r = await sandbox.run(req([seg(undefined, process.execPath, '-e', script)]));
    expect(r.exitCode).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    expect(isAlive(pid)).toBe(false);
  });

  it('kills a timed-out command and the children it started', async () => {
    const started = Date.now();
    const result = await sandbox.run(req([seg(undefined, 'sh', '-c', 'sleep 1000 & echo child=$!; sleep 1000')], { timeoutMs: 500 }));
    expect(result.timedOut).toBe(true);
    expect(result.killed).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    const childPid = Number(/child=(\d+)/.exec(result.output)?.[1]);
    expect(childPid).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(childPid)).toBe(false);
  });

  it('stops when aborted and skips the rest of the sequence', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await sandbox.run(req([seg(undefined, 'sleep', '1000'), seg(';', 'echo', 'after')], { signal: controller.signal }));
    expect(result.killed).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.output).not.toContain('after');
  });

  it('runs with an allowlisted environment, not the host one', async () => {
    const result = await sandbox.run(req([seg(undefined, 'env')]));
    expect(result.output).not.toContain('planted');
    expect(result.output).not.toMatch(/^NODE_OPTIONS=/m);
    expect(result.output).toMatch(/^CI=true$/m);
    expect(result.output).toMatch(new RegExp(`^HOME=${root}$`, 'm'));
  });

  it('caps large output and spills the full output to a file', async () => {
    const result = await sandbox.run(req([seg(undefined, 'seq', '1', '100000')]));
    expect(result.truncated).toBe(true);
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output.trimEnd().endsWith('99999\n100000')).toBe(true);
    expect(result.output.length).toBeLessThan(4096 + 300);
    const spill = path.join(root, result.fullOutputPath!);
    expect(statSync(spill).size).toBe(readFileSync(spill, 'utf8').length);
    expect(readFileSync(spill, 'utf8').split('\n').length).toBe(100001);
  });

  it('runs in a working directory inside the workspace and refuses one outside', async () => {
    const result = await sandbox.run(req([seg(undefined, 'pwd')], { cwd: '.' }));
    expect(result.output.trim()).toBe(root);
    await expect(sandbox.run(req([seg(undefined, 'pwd')], { cwd: '..' }))).rejects.toThrow(/outside the workspace/);
    symlinkSync(os.tmpdir(), path.join(root, 'escape'));
    await expect(sandbox.run(req([seg(undefined, 'pwd')], { cwd: 'escape' }))).rejects.toThrow(/outside the workspace/);
    await expect(sandbox.run(req([seg(undefined, 'pwd')], { cwd: '/etc' }))).rejects.toThrow(/relative/);
  });

  it('refuses a request without parsed segments', async () => {
    await expect(sandbox.run(req([]))).rejects.toThrow(/parsed commands only/);
  });
});

describe('splitPipelines', () => {
  it('groups | segments and starts a new pipeline at && || ;', () => {
    const groups = splitPipelines([seg(undefined, 'a'), seg('|', 'b'), seg('&&', 'c'), seg('|', 'd'), seg(';', 'e')]);
    expect(groups.map((g) => g.map((s) => s.argv[0]).join('|'))).toEqual(['a|b', 'c|d', 'e']);
  });
});
