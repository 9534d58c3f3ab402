import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationResponder } from '../support/scriptedServer/conversations';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { fixConversation, makeRepo, startWorker, team, teamJson, waitFor, type FleetEnv, type WorkerProcess } from '../integration/team/teamFleet';
import { ARTIFACTS, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { runCommand, until } from './support/workbench';

/**
 * The Team Runs view in a real VS Code (issue 19): with a team database configured it lists the
 * fleet's runs, a run waiting for a person shows its pending call with Approve / Reject, approving it
 * there lets the worker go on, and the finished run's result opens as a diff.
 */
let session: E2eSession | undefined;
let pgServer: TestPostgres;
let page: PwPage;
let fleet: FleetEnv;
let worker: WorkerProcess | undefined;
const TASK = 'Fix add.js and run the tests (team e2e)';

beforeAll(async () => {
  pgServer = await startPostgres();
  const databaseUrl = await pgServer.database('team_e2e');
  session = await startE2eSession({ tmpPrefix: 'ah-e2e-team-', workspaceSetup: async () => undefined, settings: { 'agentHarness.team.databaseUrl': databaseUrl } });
  page = session.page;
  session.server.respondWith(conversationResponder([fixConversation(TASK, { runTests: true })]));
  fleet = { databaseUrl, gatewayUrl: `${session.server.url}/v1`, home: path.join(session.base, 'team-home'), apiKey: 'sk-team-e2e-0123456789' };
  const init = await team(fleet, ['init']);
  expect(init.code, init.stderr).toBe(0);
  worker = await startWorker(fleet, 'e2e-worker');
}, 240_000);

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await worker?.exited;
  await session?.stop();
  await pgServer?.stop();
});

describe('Team Runs view', () => {
  it('lists the fleet\'s runs, approves a waiting call from VS Code, and opens the result as a diff', { timeout: 240_000 }, async () => {
    const submitted = await team(fleet, ['submit', '--repo', makeRepo(), '--team', 'e2e', '--json', TASK]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const runId = (JSON.parse(submitted.stdout) as { runId: string }).runId;
    await waitFor('the run to wait for approval', async () => (await teamJson<{ state: string }>(fleet, ['status', runId])).state === 'waiting' || undefined, 90_000);

    await runCommand(page, 'Focus on Team Runs View');
    await runCommand(page, 'Agent Harness: Refresh Team Runs');
    const runRow = page.locator('.monaco-list-row').filter({ hasText: TASK }).first();
    await runRow.waitFor({ state: 'visible', timeout: 30_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'team-runs-failure.png') });
      throw e;
    });
    expect(await runRow.innerText()).toContain('waiting');
    const callRow = page.locator('.monaco-list-row').filter({ hasText: 'run_command: node test.js' }).first();
    await callRow.waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'team-runs-waiting.png') });
    await callRow.hover();
    await callRow.locator('.action-label[aria-label="Approve"]').click();

    await waitFor('the run to complete', async () => (await teamJson<{ state: string }>(fleet, ['status', runId])).state === 'completed' || undefined, 90_000);
    await runCommand(page, 'Agent Harness: Refresh Team Runs');
    await until('the view to show the run completed', async () => (await runRow.innerText()).includes('completed'), 30_000);
    await runRow.click();
    const editor = page.locator('.editor-instance .view-lines').first();
    // The editor renders spaces as no-break spaces.
    const shown = async () => (await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
    await until('the result diff to open', async () => (await shown()).includes('return a + b'), 30_000).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'team-runs-result-failure.png') });
      throw e;
    });
    const text = await shown();
    expect(text).toContain(`Team run ${runId} (e2e): completed`);
    expect(text).toContain('commands run: node test.js');
    await page.screenshot({ path: path.join(ARTIFACTS, 'team-runs-result.png') });
  });
});
