import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox } from '../../../src/adapters/sandbox/openSandbox';
import { sandboxLabel } from '../../../src/adapters/sandbox/dockerSandbox';
import { removeOrphanedSandboxes } from '../../../src/adapters/sandbox/orphanedSandboxes';
import { containerExists, docker, makeWorkspace, removeWorkspace, testImage } from './dockerTestSupport';

describe('openSandbox', () => {
  let workspace: string;
  let stateDir: string;
  beforeAll(() => {
    workspace = makeWorkspace();
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  });
  afterAll(() => {
    removeWorkspace(workspace);
    rmSync(stateDir, { recursive: true, force: true });
  });

  function writeDevcontainer(text: string): void {
    mkdirSync(path.join(workspace, '.devcontainer'), { recursive: true });
    writeFileSync(path.join(workspace, '.devcontainer', 'devcontainer.json'), text);
  }

  it('opens a started container sandbox from devcontainer.json and reports what it is', async () => {
    writeDevcontainer(`{ "image": "${testImage}", "containerEnv": { "GIT_DIR": "/x" } }`);
    const opened = await openSandbox({ mode: 'container', workspaceRoot: workspace, stateDir });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    try {
      expect(opened.notices.join('\n')).toMatch(/containerEnv\.GIT_DIR was not passed/);
      expect(opened.sandbox.describe()).toMatch(/^container agent-harness-sbx-.* \(image agent-harness-test\/busybox:1, agent, network none, workspace at \/workspaces\//);
      const result = await opened.sandbox.run({ commandLine: 'cat hello.txt', segments: [], timeoutMs: 10_000 });
      expect(result.output).toBe('hello from the host\n');
    } finally {
      await opened.sandbox.dispose();
    }
  });

  it('continues without commands when Docker is not running, with a clear message', async () => {
    const opened = await openSandbox({ mode: 'container', workspaceRoot: workspace, stateDir, docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) });
    expect(opened).toMatchObject({ ok: false, reason: 'docker-unavailable' });
    if (!opened.ok) expect(opened.message).toMatch(/commands are disabled for this run/);
  });

  it('reports a broken devcontainer.json and a missing image as reasons, not crashes', async () => {
    writeDevcontainer('{ "image": ');
    const broken = await openSandbox({ mode: 'container', workspaceRoot: workspace, stateDir });
    expect(broken).toMatchObject({ ok: false, reason: 'devcontainer' });
    if (!broken.ok) expect(broken.message).toMatch(/^\.devcontainer\/devcontainer\.json: value expected at line 1/);

    writeDevcontainer('{ "image": "agent-harness-test/not-here:9" }');
    const missing = await openSandbox({ mode: 'container', workspaceRoot: workspace, stateDir });
    expect(missing).toMatchObject({ ok: false, reason: 'image-missing' });
    if (!missing.ok) expect(missing.message).toContain('docker pull agent-harness-test/not-here:9');
  });

  it('opens local mode and says it is not a sandbox', async () => {
    const opened = await openSandbox({ mode: 'local', workspaceRoot: workspace, stateDir });
    expect(opened.ok && opened.sandbox.describe()).toMatch(/NOT a sandbox/);
  });
});

describe('removeOrphanedSandboxes', () => {
  it('removes a sandbox container whose owning process is dead and keeps one whose owner lives', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const make = async (pid: string) =>
      docker.createContainer({
        Image: testImage,
        Cmd: ['true'],
        name: `agent-harness-orphan-test-${pid}-${Date.now()}`,
        Labels: { [sandboxLabel]: '1', [`${sandboxLabel}.host`]: os.hostname(), [`${sandboxLabel}.pid`]: pid },
        HostConfig: { NetworkMode: 'none' },
      });
    const orphan = await make(dead);
    const owned = await make(String(process.pid));
    try {
      const removed = await removeOrphanedSandboxes(docker);
      expect(removed.some((n) => n.includes(`-${dead}-`))).toBe(true);
      expect(await containerExists(orphan.id)).toBe(false);
      expect(await containerExists(owned.id)).toBe(true);
    } finally {
      await owned.remove({ force: true });
      await orphan.remove({ force: true }).catch(() => undefined);
    }
  });
});
