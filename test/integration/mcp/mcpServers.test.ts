import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcpServer } from '../../../src/adapters/mcp/mcpConnection';
import { openMcpTools, type McpSession } from '../../../src/adapters/mcp/openMcpTools';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { buildStdioServer } from '../../support/mcpServer/buildStdioServer';
import { startTestMcpHttpServer, type TestMcpHttpServer } from '../../support/mcpServer/httpServer';
import { tempDir, toolContext } from '../../support/fixtures';

let serverFile: string;
let http: TestMcpHttpServer;
const TOKEN = 'test-token-for-the-http-server';

beforeAll(async () => {
  serverFile = await buildStdioServer();
  http = await startTestMcpHttpServer({ token: TOKEN });
});
afterAll(async () => {
  await http.close();
});

async function workspaceWith(config: unknown): Promise<string> {
  const root = await tempDir('ah-mcp-ws-');
  await mkdir(path.join(root, '.agent-harness'));
  await writeFile(path.join(root, '.agent-harness', 'mcp.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return root;
}

const ctx = () => (toolContext());

/** A port nothing listens on: bound by us for a moment, then released. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('connecting to MCP servers', () => {
  it('lists and calls the tools of a stdio server and of a streamable HTTP server, with credentials from the environment', async () => {
    const root = await workspaceWith(`{
      // JSONC: comments are fine
      "servers": {
        "local": { "command": "node", "args": ["${serverFile}"], "env": { "GREETING": "\${env:MY_GREETING}" } },
        "remote": { "url": "${http.url}", "headers": { "Authorization": "Bearer \${env:REMOTE_TOKEN}" } },
      }
    }`);
    const mcp = await openMcpTools({ workspaceRoot: root, workspaceTrusted: true, approveServer: async () => true, env: { MY_GREETING: 'hello from env', REMOTE_TOKEN: TOKEN, SHOULD_NOT_LEAK: 'x' } });
    try {
      expect(mcp.problems).toEqual([]);
      expect(mcp.servers).toEqual([
        { name: 'local', transport: 'stdio', tools: 6 },
        { name: 'remote', transport: 'http', tools: 6 },
      ]);
      const names = mcp.tools.map((t) => t.name);
      expect(names).toContain('local__echo');
      expect(names).toContain('remote__add');
      for (const n of names) expect(n).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(mcp.tools.every((t) => t.kind === 'external')).toBe(true);
      // The server's own JSON Schema reaches the model.
      const add = mcp.tools.find((t) => t.name === 'remote__add')!;
      expect(add.spec.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });

      const reg = new ToolRegistry(mcp.tools);
      expect(await reg.call('local__echo', '{"text":"hi"}', ctx())).toMatchObject({ content: 'echo: hi', isError: false });
      expect(await reg.call('remote__add', '{"a":2,"b":40}', ctx())).toMatchObject({ content: '42', isError: false });
      // The child got the resolved variable and not our environment.
      expect((await reg.call('local__env_value', '{"name":"GREETING"}', ctx())).content).toBe('hello from env');
      expect((await reg.call('local__env_value', '{"name":"SHOULD_NOT_LEAK"}', ctx())).content).toBe('(unset)');
      expect(http.authorizations.at(-1)).toBe(`Bearer ${TOKEN}`);
      // A tool error and non-text content come back as our tool output.
      expect(await reg.call('local__fail', '{}', ctx())).toMatchObject({ content: 'something broke on the server', isError: true });
      expect((await reg.call('remote__picture', '{}', ctx())).content).toBe('here is the picture\n[image image/png, 8 bytes, not shown]');
      // Arguments the server rejects come back to the model as a tool error, not a crash.
      const bad = await reg.call('local__add', '{"a":"two","b":1}', ctx());
      expect(bad.isError).toBe(true);
      expect(bad.content).toMatch(/a|number|invalid/i);
      // The server flagged wipe destructive.
      expect(mcp.tools.find((t) => t.name === 'local__wipe')?.destructive).toBe(true);
    } finally {
      await mcp.close();
    }
  });

  it('reports each failing server in one line and keeps the working ones', async () => {
    const closedPort = await freePort();
    const root = await workspaceWith({
      servers: {
        good: { command: 'node', args: [serverFile] },
        missing: { command: 'no-such-mcp-program-xyz' },
        crashes: { command: 'node', args: [serverFile, '--crash'] },
        hangs: { command: 'node', args: [serverFile, '--hang'], startupTimeoutMs: 800 },
        unauthorized: { url: http.url },
        nothere: { url: `http://127.0.0.1:${closedPort}/mcp` },
        novar: { command: 'node', args: [serverFile], env: { KEY: '${env:NOT_SET_ANYWHERE}' } },
        secretonly: { url: http.url, headers: { Authorization: 'Bearer ${secret:remote-token}' } },
      },
    });
    const started = Date.now();
    const mcp = await openMcpTools({ workspaceRoot: root, workspaceTrusted: true, approveServer: async () => true, env: {} });
    try {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(mcp.servers.map((s) => s.name)).toEqual(['good']);
      expect(mcp.tools.map((t) => t.name)).toContain('good__echo');
      const byServer = (name: string) => mcp.problems.find((p) => p.startsWith(`MCP server "${name}" left out: `));
      expect(byServer('missing')).toMatch(/cannot start "no-such-mcp-program-xyz": no such program/);
      expect(byServer('crashes')).toMatch(/closed the connection before it was ready.*server said: fatal: the test server was told to crash/i);
      expect(byServer('hangs')).toMatch(/no answer within 800 ms/);
      expect(byServer('unauthorized')).toMatch(/401/);
      expect(byServer('nothere')).toBe('MCP server "nothere" left out: cannot reach the server: ECONNREFUSED');
      expect(byServer('novar')).toBe('MCP server "novar" left out: field "env.KEY" uses ${env:NOT_SET_ANYWHERE}, but the environment variable NOT_SET_ANYWHERE is not set');
      expect(byServer('secretonly')).toMatch(/only available in VS Code/);
      expect(mcp.problems).toHaveLength(7);
      for (const p of mcp.problems) expect(p).not.toContain('\n');
    } finally {
      await mcp.close();
    }
  });

  it('takes ${secret:NAME} from the injected secret port', async () => {
    const root = await workspaceWith({ servers: { remote: { url: http.url, headers: { Authorization: 'Bearer ${secret:remote-token}' } } } });
    const asked: string[] = [];
    const mcp = await openMcpTools({
      approveServer: async () => true,
      workspaceRoot: root,
      workspaceTrusted: true,
      env: {},
      resolveSecret: async (name) => {
        asked.push(name);
        return name === 'remote-token' ? TOKEN : undefined;
      },
    });
    try {
      expect(mcp.problems).toEqual([]);
      expect(asked).toEqual(['remote-token']);
      expect((await new ToolRegistry(mcp.tools).call('remote__echo', '{"text":"x"}', ctx())).content).toBe('echo: x');
    } finally {
      await mcp.close();
    }
  });

  it('ends the stdio child when the session closes', async () => {
    const pidFile = path.join(await tempDir('ah-mcp-pid-'), 'pid');
    const conn = await connectMcpServer('local', { transport: 'stdio', command: 'node', args: [serverFile], env: { MCP_TEST_PID_FILE: pidFile }, cwd: os.tmpdir() });
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    await conn.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });

  it('leaves out tools mcp.json denies and records the approvals it asks for', async () => {
    const root = await workspaceWith({ servers: { local: { command: 'node', args: [serverFile], approval: 'allow', tools: { wipe: 'deny', fail: 'ask' } } } });
    let mcp: McpSession | undefined;
    try {
      mcp = await openMcpTools({ workspaceRoot: root, workspaceTrusted: true, approveServer: async () => true, env: {} });
      expect(mcp.tools.map((t) => t.name).sort()).toEqual(['local__add', 'local__echo', 'local__env_value', 'local__fail', 'local__picture']);
      expect(mcp.toolApprovals).toEqual({ local__add: 'allow', local__echo: 'allow', local__env_value: 'allow', local__fail: 'ask', local__picture: 'allow' });
    } finally {
      await mcp?.close();
    }
  });

  it('starts nothing in an untrusted workspace and says why', async () => {
    const pidFile = path.join(await tempDir('ah-mcp-pid-'), 'pid');
    const root = await workspaceWith({ servers: { local: { command: 'node', args: [serverFile], env: { MCP_TEST_PID_FILE: pidFile } } } });
    const mcp = await openMcpTools({ workspaceRoot: root, workspaceTrusted: false, env: {} });
    expect(mcp.tools).toEqual([]);
    expect(mcp.problems).toEqual(['.agent-harness/mcp.json is ignored: MCP servers are not started in an untrusted workspace']);
    await new Promise((r) => setTimeout(r, 300));
    await expect(readFile(pidFile, 'utf8')).rejects.toThrow(/ENOENT/);
    const empty = await tempDir('ah-mcp-none-');
    expect((await openMcpTools({ workspaceRoot: empty, workspaceTrusted: false, env: {} })).problems).toEqual([]);
  });
});
