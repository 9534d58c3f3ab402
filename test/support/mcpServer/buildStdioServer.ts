import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the stdio entry into one plain JavaScript file that `node` runs, the way a user's MCP server
 * is a program of its own. Returns the file's path.
 */
export async function buildStdioServer(): Promise<string> {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'ah-mcp-server-')), 'server.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'stdioMain.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return out;
}
