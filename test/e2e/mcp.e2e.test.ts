import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStdioServer } from '../support/mcpServer/buildStdioServer';
import { startTestMcpHttpServer, type TestMcpHttpServer } from '../support/mcpServer/httpServer';
import type { ScriptedServer } from '../support/scriptedServer/server';
import { ARTIFACTS, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { panelFrame, runCommand, until } from './support/workbench';

/**
 * MCP servers from .agent-harness/mcp.json in a real VS Code (issue 15), as in the CLI: a stdio server
 * starts only after a person allows its exact command, an HTTP server needs no such question, their
 * tools go through the same approvals in the panel and show as tool cards, and the stdio server's
 * process is ended when the run ends.
 */
let session: E2eSession | undefined;
let server: ScriptedServer;
let page: PwPage;
let workspace: string;
let http: TestMcpHttpServer;
let pidFile: string;

beforeAll(async () => {
  const [serverFile, httpServer] = await Promise.all([buildStdioServer(), startTestMcpHttpServer()]);
  http = httpServer;
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-mcp-',
    workspaceSetup: async (dir) => {
      pidFile = path.join(dir, '..', 'mcp.pid');
      await writeFile(path.join(dir, 'README.md'), '# MCP demo\n');
      await mkdir(path.join(dir, '.agent-harness'), { recursive: true });
      await writeFile(
        path.join(dir, '.agent-harness', 'mcp.json'),
        JSON.stringify({ servers: { calc: { command: process.execPath, args: [serverFile], env: { MCP_TEST_PID_FILE: pidFile } }, web: { url: http.url } } }),
      );
    },
  });
  ({ server, page, workspace } = session);
}, 180_000);

afterAll(async () => {
  await session?.stop();
  await http?.close();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('MCP servers in a real VS Code', () => {
  it('asks before starting a stdio server, runs both servers\' tools through the panel\'s approvals, and ends the server after the run', { timeout: 180_000 }, async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'calc__add', arguments: { a: 2, b: 40 } }] }, { toolCalls: [{ name: 'web__echo', arguments: { text: 'over http' } }] }, { text: 'The sum is 42.' }]);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const panel = panelFrame(page);
    const input = panel.locator('textarea.input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('Add 2 and 40 with the calc server, then echo over http');
    await input.press('Enter');

    // The stdio server runs a program on this machine: a modal asks first, naming the exact command.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await dialog.innerText()).toContain('the workspace MCP server "calc" starts');
    expect(await dialog.innerText()).toContain(process.execPath);
    await page.screenshot({ path: path.join(ARTIFACTS, 'mcp-server-approval.png') });
    await dialog.locator('a.monaco-button, button').filter({ hasText: 'Allow this server' }).first().click();

    // Each MCP tool call is an external tool: the panel asks, as for any tool the profile marks "ask".
    for (const tool of ['calc__add', 'web__echo']) {
      const approval = panel.locator('.card.approval.waiting').last();
      await approval.waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(ARTIFACTS, `mcp-failure-${tool}.png`) });
        throw e;
      });
      expect(await approval.innerText()).toContain(tool);
      await approval.locator('button.approve').click();
      const card = panel.locator(`.card.tool[data-tool="${tool}"]`).last();
      await until(`the ${tool} card to finish`, async () => (await card.innerText()).includes('done'), 30_000);
    }
    await until('the run to finish', async () => server.requests.length >= 3, 60_000);
    const last = JSON.stringify(server.requests[2]?.body);
    expect(last).toContain('42');
    expect(last).toContain('over http');
    await page.screenshot({ path: path.join(ARTIFACTS, 'mcp-tool-cards.png') });

    // The run's stdio server is ended with the run.
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    await until('the stdio MCP server to exit', async () => !alive(pid), 30_000);

    // Allowed once per exact command: the next run starts it without asking.
    server.reset();
    server.script([{ toolCalls: [{ name: 'calc__add', arguments: { a: 1, b: 1 } }] }, { text: 'Two.' }]);
    await input.fill('Add 1 and 1');
    await input.press('Enter');
    const approval = panel.locator('.card.approval.waiting').last();
    await approval.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await dialog.isVisible()).toBe(false);
    await approval.locator('button.approve').click();
    await until('the second run to finish', async () => server.requests.length >= 2, 60_000);
    expect(JSON.stringify(server.requests[1]?.body)).toContain('2');
    expect(workspace).toBeTruthy();
  });
});
