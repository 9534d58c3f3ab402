import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedServer } from '../support/scriptedServer/server';
import { ARTIFACTS, type CodeServer, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { openWorkbench, panelFrame, runCommand, until } from './support/workbench';

/**
 * Durable runs in a real VS Code (issue 9): a run whose second model call stalls is cut off by a
 * window reload, offered in the panel afterwards, and resumed; the scripted server's request log
 * shows the completed first call was not paid for again.
 */

const KEY = 'e2e-durable-key-4d9f2a7c1e';
let session: E2eSession | undefined;
let server: ScriptedServer;
let codeServer: CodeServer;
let page: PwPage;

beforeAll(async () => {
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-durable-',
    workspaceSetup: async (dir) => {
      await writeFile(path.join(dir, 'README.md'), '# Durable\n\nThe answer is 42.\n');
    },
    env: { AGENT_HARNESS_API_KEY: KEY },
  });
  ({ server, codeServer, page } = session);
}, 180_000);

afterAll(async () => {
  await session?.stop();
});

describe('durable runs in a real VS Code', () => {
  it('a run cut off by a window reload is offered, resumed, and its completed model call is not repeated', { timeout: 180_000 }, async () => {
    server.reset();
    server.script([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
      // The second call hangs until the window goes away.
      { fault: 'stall', text: 'Reading', afterEvents: 1, ms: 600_000 },
      { text: 'The README says the answer is 42.' },
    ]);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const panel = panelFrame(page);
    const input = panel.locator('textarea.input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('What does the README say?');
    await input.press('Enter');
    await until('the first call to finish and the second to stall', async () => server.requests.length >= 2, 60_000);
    const completedBefore = JSON.stringify(server.requests[0]?.body);

    // Reload the window: the extension host that ran the run goes away mid-call.
    await openWorkbench(page, codeServer.url);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const offered = panelFrame(page).locator('.resumable-run');
    // The closing window may hold the run's lock for a while; the panel looks again by itself.
    await until('the run to be offered for resumption', async () => (await offered.count()) > 0, 90_000).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'durable-offer-failure.png') });
      throw e;
    });
    expect(await offered.first().innerText()).toContain('What does the README say?');
    await page.screenshot({ path: path.join(ARTIFACTS, 'durable-offer.png') });

    await offered.first().locator('button.resume-run').click();
    await until('the resumed run to finish', async () => (await panelFrame(page).locator('.run-summary').last().innerText()).includes('completed'), 60_000).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'durable-resume-failure.png') });
      throw e;
    });
    expect(await panelFrame(page).locator('.msg.assistant').last().innerText()).toContain('answer is 42');

    // Three requests in all: the completed first call was replayed from the journal, not asked again;
    // only the stalled call was made again, with the first call's tool result in it.
    expect(server.requests).toHaveLength(3);
    expect(JSON.stringify(server.requests[0]?.body)).toBe(completedBefore);
    const resumed = JSON.stringify(server.requests[2]?.body);
    expect(resumed).toContain('The answer is 42.');
    expect(resumed).toBe(JSON.stringify(server.requests[1]?.body));
    expect(await panelFrame(page).locator('.resumable-run').count()).toBe(0);

    // The key never reaches the panel.
    expect(await panelFrame(page).locator('body').innerText()).not.toContain(KEY);
  });

  it('an approval pending when the window reloads is asked again on resume, and the approved command runs once', { timeout: 180_000 }, async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo durable-ok' } }] }, { text: 'The command printed durable-ok.' }]);
    const panel = panelFrame(page);
    await panel.locator('textarea.input').fill('Run the echo check');
    await panel.locator('textarea.input').press('Enter');
    const card = panel.locator('.card.approval.waiting').last();
    await card.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await card.innerText()).toContain('echo durable-ok');
    expect(server.requests).toHaveLength(1);

    await openWorkbench(page, codeServer.url);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const offered = panelFrame(page).locator('.resumable-run').filter({ hasText: 'Run the echo check' });
    await until('the run with the pending approval to be offered', async () => (await offered.count()) > 0, 90_000);
    await offered.first().locator('button.resume-run').click();

    const again = panelFrame(page).locator('.card.approval.waiting').last();
    await again.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await again.innerText()).toContain('echo durable-ok');
    // Asked again from the journal: the model was not called to get the tool call a second time.
    expect(server.requests).toHaveLength(1);
    const summaries = await panelFrame(page).locator('.run-summary').count();
    await again.locator('button.approve').click();
    await until('the resumed run to finish', async () => (await panelFrame(page).locator('.run-summary').count()) > summaries, 60_000);
    expect(await panelFrame(page).locator('.run-summary').last().innerText()).toContain('completed');
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]?.body)).toContain('durable-ok');
  });
});
