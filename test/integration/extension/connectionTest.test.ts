import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseConnection } from '../../../src/extension/setup/connectionDiagnosis';
import { testConnection, type ConnectionInputs } from '../../../src/extension/setup/connectionTest';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer/server';

/**
 * Test Connection (issue 16 item 8) with the real SDKs against real sockets: each failure a person
 * meets on first setup gets its own plain sentence.
 */
const servers: Server[] = [];
let scripted: ScriptedServer;
let tlsUrl = '';

function listen(s: Server): Promise<string> {
  servers.push(s);
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

/** A server that answers every request with one status and body. */
async function answering(status: number, body: string, type = 'application/json'): Promise<string> {
  return `http://${await listen(createHttp((_req, res) => res.writeHead(status, { 'content-type': type }).end(body)))}/v1`;
}

/** A port nothing listens on (fetch refuses some well-known ports outright, so not port 1). */
async function closedPort(): Promise<number> {
  const s = createHttp();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const gw = (url: string, over: Partial<ConnectionInputs> = {}): ConnectionInputs => ({ url, protocol: 'openai', model: 'm-1', headers: {}, key: 'k', ...over });

beforeAll(async () => {
  scripted = await startScriptedServer();
  // A self-signed certificate, as a company's TLS-inspecting proxy presents to a machine without its CA.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ah-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const tls = createHttps({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
  tlsUrl = `https://${await listen(tls)}/v1`;
});

afterAll(async () => {
  await scripted.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('Test Connection', () => {
  it('a working gateway answers, on both protocols', async () => {
    scripted.reset();
    scripted.script([{ text: 'ok' }, { text: 'ok' }]);
    const openai = await testConnection(async () => gw(`${scripted.url}/v1`));
    expect(openai.ok).toBe(true);
    expect(openai.message).toMatch(/^Connected: .+ answered in \d+ ms\.$/);
    const anthropic = await testConnection(async () => gw(scripted.url, { protocol: 'anthropic' }));
    expect(anthropic.ok).toBe(true);
    // One tiny request each: a few output tokens, no retries.
    expect(scripted.requests).toHaveLength(2);
    expect(JSON.stringify(scripted.requests[0]?.body)).toMatch(/"max_(completion_)?tokens":16/);
  });

  it('says which part is wrong: DNS, refused, TLS, key, model, endpoint, protocol', async () => {
    const cases: [ConnectionInputs, RegExp][] = [
      [gw('http://agent-harness-connection-test.invalid/v1'), /does not resolve \(DNS/],
      [gw(`http://127.0.0.1:${await closedPort()}/v1`), /Nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/],
      [gw(tlsUrl), /TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/],
      [gw(await answering(401, '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}')), /refused the key \(HTTP 401\)/],
      [gw(await answering(404, '{"error":{"message":"The model `m-1` does not exist or you do not have access to it.","code":"model_not_found"}}')), /does not know the model "m-1" \(HTTP 404\)/],
      [gw(await answering(404, 'Cannot POST /v1/chat/completions', 'text/html')), /has no OpenAI-compatible endpoint \(HTTP 404\)\. OpenAI-compatible URLs usually end in \/v1/],
      [gw(await answering(200, '<html><body>Sign in</body></html>', 'text/html')), /answered, but not as an OpenAI-compatible API/],
    ];
    for (const [input, expected] of cases) {
      const r = await testConnection(async () => input);
      expect(r.ok, input.url).toBe(false);
      expect(r.message, input.url).toMatch(expected);
      expect(r.message).not.toMatch(/\n|at .+\(.+:\d+:\d+\)/);
    }
  });

  it('a settings problem is said as it is, without sending anything', async () => {
    const r = await testConnection(async () => {
      throw new Error('No model gateway is configured.');
    });
    expect(r).toEqual({ ok: false, message: 'No model gateway is configured.' });
  });

  it('reads the codes anywhere in the cause chain', () => {
    const inner = Object.assign(new Error('x'), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    expect(diagnoseConnection(new Error('fetch failed', { cause: new Error('y', { cause: inner }) }), gw('https://llm.corp.example/v1')).problem).toBe('tls');
    expect(diagnoseConnection(Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'agg')), gw('http://localhost:11434/v1')).message).toMatch(/\(Ollama, LiteLLM\)/);
  });
});
