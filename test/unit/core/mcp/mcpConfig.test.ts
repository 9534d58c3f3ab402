import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMcpConfig, parseMcpConfig } from '../../../../src/core/mcp/mcpConfig';
import { tempDir } from '../../../support/fixtures';

const parse = (v: unknown) => parseMcpConfig(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseMcpConfig', () => {
  it('reads stdio and HTTP servers from JSONC with defaults', () => {
    const r = parse(`{
      // the GitHub server
      "servers": {
        "github": { "command": "npx", "args": ["-y", "server-github"], "env": { "GITHUB_TOKEN": "\${env:GITHUB_TOKEN}" }, "approval": "allow" },
        "docs": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer \${secret:docs-token}" }, },
      },
    }`);
    expect(r.problems).toEqual([]);
    expect(r.servers).toEqual([
      { name: 'github', config: { command: 'npx', args: ['-y', 'server-github'], env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}' }, approval: 'allow', tools: {}, disabled: false } },
      { name: 'docs', config: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${secret:docs-token}' }, tools: {}, disabled: false } },
    ]);
  });

  it('refuses a planted literal secret, naming the field and where secrets belong, and keeps the other servers', () => {
    const r = parse({
      servers: {
        leaky: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789' } },
        fine: { command: 'node', args: ['server.js'] },
      },
    });
    expect(r.servers.map((s) => s.name)).toEqual(['fine']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('.agent-harness/mcp.json: server "leaky": field "servers.leaky.headers.Authorization"');
    expect(r.problems[0]).toContain('${env:NAME}');
    expect(r.problems[0]).toContain('SecretStorage');
    expect(r.problems[0]).not.toContain('ghp_abcdef');
  });

  it.each([
    ['an env entry named like a credential', { command: 'x', env: { GITHUB_TOKEN: 'plain-value' } }, 'env.GITHUB_TOKEN'],
    ['a key-shaped argument', { command: 'x', args: ['--key', 'sk-proj-abcdefghijklmnopqrstuvwx'] }, 'args.1'],
    ['an Authorization header without a reference', { url: 'https://a.example/mcp', headers: { Authorization: 'Basic dXNlcjpwYXNz' } }, 'headers.Authorization'],
    ['a URL with a password', { url: 'https://user:hunter2@a.example/mcp' }, 'url'],
    ['an unknown field holding a key', { command: 'x', apiKey: 'whatever' }, 'apiKey'],
  ])('refuses %s', (_what, server, field) => {
    const r = parse({ servers: { s: server } });
    expect(r.servers).toEqual([]);
    expect(r.problems[0]).toContain(`field "servers.s.${field}" looks like`);
  });

  it('accepts references after an auth scheme, and names that only look like credential fields', () => {
    const r = parse({
      servers: {
        'api-token': { command: 'x', tools: { get_token: 'allow' }, env: { TOKEN: '${env:T}', HOME_DIR: '${workspaceFolder}' } },
        h: { url: 'https://a.example/mcp', headers: { Authorization: 'Bearer ${env:A}', 'X-Api-Key': '${secret:k}' } },
      },
    });
    expect(r.problems).toEqual([]);
    expect(r.servers.map((s) => s.name)).toEqual(['api-token', 'h']);
  });

  it('refuses a secret outside "servers" for the whole file', () => {
    const r = parse({ token: 'abc', servers: { a: { command: 'x' } } });
    expect(r.servers).toEqual([]);
    expect(r.problems[0]).toMatch(/^\.agent-harness\/mcp\.json: field "token" looks like/);
  });

  it.each([
    [{ a__b: { command: 'x' } }, 'server "a__b": a server name is letters, digits'],
    [{ 'a.b': { command: 'x' } }, 'server "a.b": a server name is letters, digits'],
    [{ s: { command: 'x', url: 'https://a.example' } }, 'has both "command" and "url"'],
    [{ s: { args: [] } }, 'needs "command" (a program to start, stdio) or "url"'],
    [{ s: { command: 'x', colour: 'red' } }, 'unknown field "colour"'],
    [{ s: { command: 'x', approval: 'sometimes' } }, 'field "approval"'],
    [{ s: { url: 'http://mcp.example.com/mcp' } }, 'field "url": the url must be https://'],
    [{ s: { command: 'x', env: { K: '${ENV:K}' } } }, 'field "env.K": "${ENV:K}" is not a reference this file understands'],
    [{ s: 'npx server' }, 'must be an object with "command"'],
  ])('names the server and the field for %j', (servers, message) => {
    const r = parse({ servers });
    expect(r.servers).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('.agent-harness/mcp.json: ');
    expect(r.problems[0]).toContain(message);
  });

  it('accepts plain http to this machine and skips disabled servers', () => {
    const r = parse({ servers: { a: { url: 'http://127.0.0.1:8080/mcp' }, b: { url: 'http://localhost/mcp', disabled: true } } });
    expect(r.problems).toEqual([]);
    expect(r.servers.map((s) => s.name)).toEqual(['a']);
  });

  it('reports broken JSON with its line, and a file that is not an object', () => {
    expect(parseMcpConfig('{\n  "servers": {\n    "a": { "command": }\n  }\n}').problems).toEqual(['.agent-harness/mcp.json: invalid JSON (line 3): ValueExpected']);
    expect(parse([]).problems[0]).toContain('the file must be an object');
    expect(parse({ server: {} }).problems[0]).toContain('unknown field "server" (expected "servers")');
  });
});

describe('loadMcpConfig', () => {
  it('has no servers and no problems without a file, and refuses a symbolic link', async () => {
    const root = await tempDir('ah-mcpcfg-');
    expect(await loadMcpConfig(root)).toEqual({ servers: [], problems: [] });
    await mkdir(path.join(root, '.agent-harness'));
    const real = path.join(root, 'real.json');
    await writeFile(real, JSON.stringify({ servers: { a: { command: 'x' } } }));
    await symlink(real, path.join(root, '.agent-harness', 'mcp.json'));
    expect((await loadMcpConfig(root)).problems).toEqual(['.agent-harness/mcp.json: not a regular file (symbolic links are not followed)']);
  });
});
