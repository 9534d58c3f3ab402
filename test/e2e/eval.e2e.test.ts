import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationResponder } from '../support/scriptedServer/conversations';
import { loadScenario } from '../support/scriptedServer/turn';
import { ARTIFACTS, REPO, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { runCommand, until } from './support/workbench';

/**
 * "Agent Harness: Run Eval Suite…" in a real VS Code (issue 20): a suite file is picked in VS Code's
 * own file dialog, the attempts run on the window's governed core with progress, and the report is
 * written to .agent-harness/evals/ and opened.
 */
let session: E2eSession | undefined;
let page: PwPage;
let workspace: string;

beforeAll(async () => {
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-eval-',
    // The suite sets a cost budget per case, so the model needs a price (an unpriced one is refused up front).
    settings: { 'agentHarness.gateway.prices': { 'scripted-model': { input: 2.5, output: 10 } } },
    workspaceSetup: async (dir) => {
      await cp(path.join(REPO, 'examples/evals'), path.join(dir, 'evals'), { recursive: true });
    },
  });
  ({ page, workspace } = session);
  const { conversations } = await loadScenario(path.join(REPO, 'examples/evals/scripted-model.json'));
  session.server.respondWith(conversationResponder(conversations ?? []));
}, 180_000);

afterAll(async () => {
  await session?.stop();
});

describe('Run Eval Suite in VS Code', () => {
  it('picks the suite in the file dialog, runs every case, and writes and opens the report', { timeout: 180_000 }, async () => {
    await runCommand(page, 'Agent Harness: Run Eval Suite…');
    // VS Code's own (simple) file dialog: type the suite's path, wait until the dialog lists the file,
    // then accept with its OK button (Enter while it is still filtering can be swallowed).
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    const suite = path.join(workspace, 'evals', 'demo.yaml');
    const ok = page.locator('.quick-input-widget .monaco-button').filter({ hasText: 'OK' }).first();
    // Under load the dialog's own completion can rewrite the value while it is typed; each attempt sets
    // the full path again and accepts only once the dialog lists the file.
    // The dialog hides and shows again while it moves between folders: it is accepted only when it
    // stays closed for a second.
    // The file dialog, not the palette that ran the command (whose row also says "Run Eval Suite"): its
    // value is a path.
    const dialogOpen = async () => (await input.isVisible()) && (await input.inputValue().catch(() => '')).startsWith('/');
    // The command loads the controller first: the dialog opens after the palette has closed.
    await until('the file dialog', dialogOpen, 60_000);
    await until('the file dialog to accept the suite', async () => {
      if (!(await dialogOpen())) {
        await page.waitForTimeout(1000);
        if (!(await dialogOpen())) return true;
      }
      if ((await input.inputValue()) !== suite) await input.fill(suite);
      const listed = await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'demo.yaml' }).first().isVisible();
      if (listed) await ok.click({ timeout: 2_000 }).catch(() => undefined);
      await page.waitForTimeout(500);
      return false;
    }, 60_000).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'eval-dialog-failure.png') });
      throw new Error(`${e instanceof Error ? e.message : String(e)}; the dialog held ${JSON.stringify(await input.inputValue().catch(() => '?'))}`);
    });
    const dir = path.join(workspace, '.agent-harness', 'evals');
    await until('the report to be written', async () => (await readdir(dir).catch(() => [] as string[])).some((f) => f.endsWith('.md')), 150_000).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'eval-failure.png') });
      throw e;
    });
    const files = await readdir(dir);
    const md = await readFile(path.join(dir, files.find((f) => f.endsWith('.md'))!), 'utf8');
    expect(md, md).toMatch(/\| fix-add \| ✅ 1\/1/);
    const json = JSON.parse(await readFile(path.join(dir, files.find((f) => f.endsWith('.json'))!), 'utf8')) as { summary: { passed: number; attempts: number } };
    expect(json.summary).toMatchObject({ passed: 3, attempts: 3 });
    const toast = page.locator('.notifications-toasts').filter({ hasText: 'eval demo: 3/3 passed' });
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'eval-report.png') });
  });
});
