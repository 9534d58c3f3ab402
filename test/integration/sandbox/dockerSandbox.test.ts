import { chmodSync, chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../../src/core/ports';
import { resolveDevcontainer } from '../../../src/adapters/sandbox/devcontainerConfig';
import { DockerSandbox, SandboxImageMissingError } from '../../../src/adapters/sandbox/dockerSandbox';
import { containerExists, docker, makeWorkspace, removeWorkspace, testImage } from './dockerTestSupport';

function request(commandLine: string, extra: Partial<CommandRequest> = {}): CommandRequest {
  return { commandLine, segments: [], timeoutMs: 20_000, ...extra };
}

describe('DockerSandbox on a real engine', () => {
  let workspace: string;
  let sandbox: DockerSandbox;

  beforeAll(async () => {
    workspace = makeWorkspace();
    const settings = resolveDevcontainer(
      { image: testImage, workspaceFolder: '/workspaces/project', containerEnv: { FROM_DEVCONTAINER: 'yes', LD_PRELOAD: '/evil.so' } },
      workspace,
      {},
      '.devcontainer/devcontainer.json',
    );
    sandbox = new DockerSandbox({
      workspaceRoot: workspace,
      settings,
      spillDir: path.join(workspace, '.agent-harness', 'spill'),
      outputCapBytes: 16 * 1024,
      hostEnv: { ...process.env, SUPER_SECRET_TOKEN: 'planted-host-secret', NODE_OPTIONS: '--require /x.js', GIT_DIR: '/tmp/x', LANG: 'C.UTF-8' },
      memoryBytes: 512 * 1024 * 1024,
      pidsLimit: 128,
    });
    await sandbox.start();
  });

  afterAll(async () => {
    await sandbox?.dispose();
    if (workspace) removeWorkspace(workspace);
  });

  it('runs a command in the container that sees the workspace at its folder', async () => {
    const result = await sandbox.run(request('pwd; cat hello.txt; echo err >&2; exit 3'));
    expect(result.output).toContain('/workspaces/project');
    expect(result.output).toContain('hello from the host');
    expect(result.output).toContain('err');
    expect(result.output).not.toContain('agent-harness-pgid');
    expect(result.exitCode).toBe(3);
    expect(result.timedOut).toBe(false);
    expect(result.killed).toBe(false);
  });

  it('runs in a relative working directory and streams output', async () => {
    const chunks: string[] = [];
    const result = await sandbox.run(request('pwd', { cwd: 'src', onOutput: (c) => chunks.push(c) }));
    expect(result.output.trim()).toBe('/workspaces/project/src');
    expect(chunks.join('')).toBe(result.output);
    await expect(sandbox.run(request('pwd', { cwd: '../..' }))).rejects.toThrow(/outside the workspace/);
  });

  it('writes in the workspace reach the host, through the bind mount', async () => {
    const result = await sandbox.run(request('echo made-inside > src/inside.txt'));
    expect(result.exitCode).toBe(0);
    expect(readFileSync(path.join(workspace, 'src', 'inside.txt'), 'utf8')).toBe('made-inside\n');
  });

  it('runs as the image\'s non-root user, hardened', async () => {
    const result = await sandbox.run(request('id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'));
    const [uid] = result.output.trim().split('\n');
    expect(uid).toBe('1000');
    expect(result.output).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.output).toMatch(/NoNewPrivs:\s+1/);
    const info = await docker.getContainer(sandbox.containerName!).inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.HostConfig.CapDrop).toContain('ALL');
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(128);
    expect(info.Mounts.some((m) => m.Source.includes('docker.sock') || m.Destination.includes('docker.sock'))).toBe(false);
  });

  it('has no network: only the loopback interface, and an outside address is unreachable', async () => {
    const result = await sandbox.run(request('ls /sys/class/net; wget -q -T 2 -O - http://1.1.1.1/ >/dev/null 2>&1 && echo REACHED || echo UNREACHABLE'));
    expect(result.output.trim().split('\n')).toEqual(['lo', 'UNREACHABLE']);
  });

  it('keeps writes outside the workspace mount inside the container', async () => {
    const marker = `escape-${Date.now()}`;
    const result = await sandbox.run(request(`echo x > /tmp/${marker} && echo x > /workspaces/${marker} 2>/dev/null; ls /tmp/${marker}`));
    expect(result.output).toContain(`/tmp/${marker}`);
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
    expect(existsSync(path.join(path.dirname(workspace), marker))).toBe(false);
  });

  it('mounts protected paths read-only while the rest of the workspace stays writable', async () => {
    const result = await sandbox.run(request('echo evil > .git/hooks/pre-commit; echo status=$?; echo ok > src/fine.txt; echo status=$?'));
    expect(result.output).toMatch(/Read-only file system/);
    expect(result.output).toContain('status=1');
    expect(result.output).toContain('status=0');
    expect(existsSync(path.join(workspace, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('builds the environment from the allowlist: no planted host secret, no NODE_OPTIONS or GIT_*', async () => {
    const result = await sandbox.run(request('env'));
    expect(result.output).not.toContain('planted-host-secret');
    expect(result.output).not.toMatch(/^NODE_OPTIONS=/m);
    expect(result.output).not.toMatch(/^GIT_DIR=/m);
    expect(result.output).not.toMatch(/^LD_PRELOAD=/m);
    expect(result.output).toMatch(/^FROM_DEVCONTAINER=yes$/m);
    expect(result.output).toMatch(/^HOME=\/home\/agent$/m);
    expect(sandbox.notices.join(' ')).toContain('LD_PRELOAD');
  });

  it('kills a timed-out command and all of its children', async () => {
    const started = Date.now();
    const result = await sandbox.run(request('sleep 1000 & sh -c "sleep 1001" & echo started; sleep 1002', { timeoutMs: 1500 }));
    expect(result.timedOut).toBe(true);
    expect(result.killed).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.output).toContain('started');
    expect(Date.now() - started).toBeLessThan(10_000);
    const ps = await sandbox.run(request('ps -o pid,args'));
    expect(ps.output).not.toMatch(/sleep 100[012]/);
    expect(ps.output).toContain('sleep 3600');
  });

  it('kills what a command leaves running in the background when it ends, and returns at once', async () => {
    const started = performance.now();
    const r = await sandbox.run(request('setsid sleep 300 & (setsid sh -c "sleep 301 & sleep 302" &) ; sleep 400 >/dev/null 2>&1 & echo started'));
    expect(r.output).toContain('started');
    expect(r.exitCode).toBe(0);
    expect(performance.now() - started).toBeLessThan(8_000);
    const ps = await sandbox.run(request('for d in /proc/[0-9]*; do cat $d/cmdline 2>/dev/null | tr "\\000" " "; echo; done'));
    expect(ps.output).not.toMatch(/sleep 30[012]|sleep 400/);
    // The container itself is still the same, alive one.
    expect((await sandbox.run(request('echo alive'))).output).toContain('alive');
  });

  it('stops a command when the caller aborts it', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await sandbox.run(request('sleep 1000', { signal: controller.signal }));
    expect(result.killed).toBe(true);
    expect(result.timedOut).toBe(false);
  });

  it('kills precisely even when the abort comes before the command has started', async () => {
    const before = sandbox.containerName;
    const controller = new AbortController();
    controller.abort();
    const result = await sandbox.run(request('sleep 1000', { signal: controller.signal }));
    expect(result.killed).toBe(true);
    // The process group was known and killed, so the warm container was kept.
    expect(sandbox.containerName).toBe(before);
  });

  it('caps a 10 MB output, keeps head and tail, and saves the full output to a spill file', async () => {
    const tenMb = 10 * 1024 * 1024;
    const before = process.memoryUsage();
    let streamed = 0;
    const result = await sandbox.run(request(`echo BEGIN; head -c ${tenMb} /dev/zero | tr '\\0' 'a'; echo; echo END`, { onOutput: (c) => (streamed += c.length) }));
    const after = process.memoryUsage();
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.output.length).toBeLessThan(16 * 1024 + 400);
    expect(result.output.startsWith('BEGIN\n')).toBe(true);
    expect(result.output.trimEnd().endsWith('END')).toBe(true);
    expect(result.output).toMatch(/bytes omitted/);
    expect(result.fullOutputPath).toMatch(/^\.agent-harness\/spill\/command-.*\.log$/);
    const spill = path.join(workspace, result.fullOutputPath!);
    expect(statSync(spill).size).toBe('BEGIN\n'.length + tenMb + '\nEND\n'.length);
    // Live output stops at the stream limit (1 MiB by default) instead of flooding the UI.
    expect(streamed).toBeLessThan(1.1 * 1024 * 1024);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(tenMb);
  });

  it('recreates a container that was removed between commands', async () => {
    const first = sandbox.containerName!;
    await docker.getContainer(first).remove({ force: true });
    const result = await sandbox.run(request('cat hello.txt'));
    expect(result.output).toContain('hello from the host');
    expect(sandbox.containerName).not.toBe(first);
    expect(await containerExists(sandbox.containerName!)).toBe(true);
  });

  it('replaces a container that crashed (stopped) between commands and removes the dead one', async () => {
    const first = sandbox.containerName!;
    await docker.getContainer(first).kill();
    const result = await sandbox.run(request('echo back'));
    expect(result.output).toBe('back\n');
    expect(sandbox.containerName).not.toBe(first);
    expect(await containerExists(first)).toBe(false);
  });

  it('protects a protected folder that appears during the session, by replacing the container', async () => {
    const before = sandbox.containerName;
    writeFileSync(path.join(workspace, '.npmrc'), 'registry=https://example.invalid\n');
    const result = await sandbox.run(request('echo x >> .npmrc; echo status=$?'));
    expect(result.output).toContain('status=1');
    expect(sandbox.containerName).not.toBe(before);
  });

  it('says that a root-owned workspace limits what the non-root user can write', () => {
    expect(sandbox.notices.join(' ')).toMatch(/workspace belongs to root.*agent \(uid 1000\)/);
  });

  it('runs as the workspace owner when the owner is not root, so a private workspace is usable', async () => {
    const privateWs = makeWorkspace();
    chownSync(privateWs, 1234, 1234);
    chmodSync(privateWs, 0o700);
    const spillDir = path.join(os.tmpdir(), `ah-spill-${process.pid}`);
    const owned = new DockerSandbox({
      workspaceRoot: privateWs,
      settings: resolveDevcontainer({ image: testImage }, privateWs, {}, undefined),
      spillDir,
    });
    try {
      const result = await owned.run(request('id -u; echo written > mine.txt && cat mine.txt'));
      expect(result.output).toBe('1234\nwritten\n');
      expect(statSync(path.join(privateWs, 'mine.txt')).uid).toBe(1234);
    } finally {
      await owned.dispose();
      removeWorkspace(privateWs);
      removeWorkspace(spillDir);
    }
  });

  it('removes the container on dispose', async () => {
    const other = new DockerSandbox({
      workspaceRoot: workspace,
      settings: resolveDevcontainer({ image: testImage }, workspace, {}, undefined),
      spillDir: path.join(workspace, '.agent-harness', 'spill'),
    });
    const result = await other.run(request('echo hi'));
    expect(result.output).toBe('hi\n');
    const name = other.containerName!;
    expect(await containerExists(name)).toBe(true);
    await other.dispose();
    expect(await containerExists(name)).toBe(false);
    await expect(other.run(request('echo again'))).rejects.toThrow(/disposed/);
  });

  it('refuses a workspace that contains the Docker socket', async () => {
    const risky = new DockerSandbox({
      workspaceRoot: '/run',
      settings: resolveDevcontainer({ image: testImage }, '/run', {}, undefined),
      spillDir: path.join(os.tmpdir(), `ah-spill-run-${process.pid}`),
    });
    await expect(risky.start()).rejects.toThrow(/contains the Docker socket/);
    await risky.dispose();
    removeWorkspace(path.join(os.tmpdir(), `ah-spill-run-${process.pid}`));
  });

  it('never pulls: a missing image is an error that says how to get it', async () => {
    const missing = new DockerSandbox({
      workspaceRoot: workspace,
      settings: resolveDevcontainer({}, workspace, { imageSetting: 'agent-harness-test/does-not-exist:0' }, undefined),
      spillDir: path.join(workspace, '.agent-harness', 'spill'),
    });
    const error = await missing.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxImageMissingError);
    expect((error as Error).message).toContain('docker pull agent-harness-test/does-not-exist:0');
    await missing.dispose();
  });
});
