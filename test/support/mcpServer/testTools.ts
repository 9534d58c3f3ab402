import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/**
 * The MCP server the tests talk to: a few tools with known answers. `echo` and `add` are the plain
 * cases; `env_value` shows what environment the server was given; `fail` answers with isError;
 * `picture` returns an image; `wipe` is flagged destructive.
 */
export function createTestMcpServer(): McpServer {
  const server = new McpServer({ name: 'agent-harness-test', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes the text back.', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: `echo: ${text}` }],
  }));
  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('env_value', { description: 'Returns the value of one environment variable of the server process.', inputSchema: { name: z.string() } }, async ({ name }) => ({
    content: [{ type: 'text', text: process.env[name] ?? '(unset)' }],
  }));
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'something broke on the server' }],
    isError: true,
  }));
  server.registerTool('picture', { description: 'Returns a tiny PNG.', inputSchema: {} }, async () => ({
    content: [
      { type: 'text', text: 'here is the picture' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    ],
  }));
  server.registerTool('wipe', { description: 'Pretends to delete everything.', inputSchema: {}, annotations: { destructiveHint: true } }, async () => ({
    content: [{ type: 'text', text: 'wiped' }],
  }));
  return server;
}
