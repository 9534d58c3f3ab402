import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { checkDockerStatus, classifyDockerError } from '../../../../src/adapters/sandbox/dockerStatus';

describe('checkDockerStatus', () => {
  it('reports "not running" with a clear message when nothing listens on the socket', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ah-dstat-'));
    try {
      writeFileSync(path.join(dir, 'docker'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'docker'), 0o755);
      const status = await checkDockerStatus({ docker: new Docker({ socketPath: path.join(dir, 'missing.sock') }), pathEnv: dir });
      expect(status).toMatchObject({ available: false, problem: 'not-running' });
      if (!status.available) expect(status.message).toMatch(/^Docker is not running: .*missing\.sock; commands are disabled for this run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports "not installed" when there is no docker program either', async () => {
    const status = await checkDockerStatus({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }), pathEnv: '/nonexistent-bin' });
    expect(status).toMatchObject({ available: false, problem: 'not-installed' });
  });
});

describe('classifyDockerError', () => {
  it('names permission problems and timeouts', () => {
    expect(classifyDockerError(Object.assign(new Error('x'), { code: 'EACCES', address: '/var/run/docker.sock' }), '')).toMatchObject({ problem: 'permission-denied' });
    expect(classifyDockerError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), '').message).toMatch(/not answering.*commands are disabled/);
    expect(classifyDockerError(new Error('weird\nstack'), '').message).toBe('Docker is not usable: weird; commands are disabled for this run.');
  });
});
