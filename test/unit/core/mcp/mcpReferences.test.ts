import { describe, expect, it } from 'vitest';
import { parseMcpConfig, type McpServerConfig } from '../../../../src/core/mcp/mcpConfig';
import { resolveServer } from '../../../../src/core/mcp/mcpReferences';

function config(server: unknown): McpServerConfig {
  const r = parseMcpConfig(JSON.stringify({ servers: { s: server } }));
  expect(r.problems).toEqual([]);
  return r.servers[0]!.config;
}

describe('resolveServer', () => {
  it('replaces env, secret and workspace references in a stdio server', async () => {
    const r = await resolveServer(config({ command: '${workspaceFolder}/bin/server', args: ['--db', '${workspaceFolder}/db', 'x${env:A}y${env:B}z'], env: { TOKEN: '${secret:gh}' }, cwd: 'tools' }), {
      env: { A: '1', B: '2' },
      workspaceRoot: '/ws',
      resolveSecret: async (n) => (n === 'gh' ? 'the-secret' : undefined),
    });
    expect(r).toEqual({ ok: true, server: { transport: 'stdio', command: '/ws/bin/server', args: ['--db', '/ws/db', 'x1y2z'], env: { TOKEN: 'the-secret' }, cwd: '/ws/tools' } });
  });

  it('resolves headers of an HTTP server', async () => {
    const r = await resolveServer(config({ url: 'https://a.example/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } }), { env: { TOKEN: 't0k' }, workspaceRoot: '/ws' });
    expect(r).toEqual({ ok: true, server: { transport: 'http', url: 'https://a.example/mcp', headers: { Authorization: 'Bearer t0k' } } });
  });

  it('fails, naming the field and the reference but not the value, when a variable or secret is missing', async () => {
    const c = config({ url: 'https://a.example/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Other': '${secret:other}' } });
    expect(await resolveServer(c, { env: { TOKEN: '' }, workspaceRoot: '/ws' })).toEqual({
      ok: false,
      message: 'field "headers.Authorization" uses ${env:TOKEN}, but the environment variable TOKEN is not set',
    });
    expect(await resolveServer(c, { env: { TOKEN: 'x' }, workspaceRoot: '/ws', resolveSecret: async () => undefined })).toEqual({
      ok: false,
      message: 'field "headers.X-Other" uses ${secret:other}, but no secret "other" is stored',
    });
  });
});
