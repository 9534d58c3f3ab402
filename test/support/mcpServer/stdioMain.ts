import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTestMcpServer } from './testTools';

/**
 * The stdio entry of the test MCP server. `--crash` exits at once with a message on stderr (a server
 * that fails to start); `--hang` reads stdin and never answers (a server that times out).
 */
async function main(): Promise<void> {
  if (process.argv.includes('--crash')) {
    process.stderr.write('fatal: the test server was told to crash\n');
    process.exit(3);
  }
  if (process.argv.includes('--hang')) {
    process.stdin.resume();
    return;
  }
  const pidFile = process.env.MCP_TEST_PID_FILE;
  if (pidFile) (await import('node:fs')).writeFileSync(pidFile, String(process.pid));
  await createTestMcpServer().connect(new StdioServerTransport());
}

void main();
