import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedServer } from '../support/scriptedServer/server';
import { ARTIFACTS, type CodeServer, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { answerInputBox, openWorkbench, panelFrame, runCommand, until } from './support/workbench';

/**
 * The extension in a real VS Code (code-server 4.139 in Chromium), against the scripted model server,
 * on a throwaway workspace. One code-server and one page serve every test, in order.
 */

const TEST_IMAGE = process.env.AGENT_HARNESS_TEST_IMAGE ?? 'agent-harness-test/busybox:1';

const CALC_ORIGINAL = [
  '// A tiny calculator.',
  'function add(a, b) { return a - b; }',
  '',
  'function sub(a, b) { return a - b; }',
  '',
  'function mul(a, b) { return a * b; }',
  '',
  'function div(a, b) { return a / b; }',
  '',
  'function mod(a, b) { return a % b; }',
  '',
  'function neg(a) { return -a; }',
  '',
  'function sq(a) { return a * a; }',
  '',
  'function cube(a) { return a * a * a; }',
  '',
  'module.exports = { add, sub, mul, div, mod, neg, sq, cube };',
  '',
].join('\n');
const CALC_PROPOSED = CALC_ORIGINAL.replace('function add(a, b) { return a - b; }', 'function add(a, b) { return a + b; }').replace(
  'module.exports = { add, sub, mul, div, mod, neg, sq, cube };',
  'module.exports = { add, sub, mul, div, mod, neg, sq, cube, VERSION: 2 };',
);
const CALC_FIRST_HUNK_ONLY = CALC_ORIGINAL.replace('function add(a, b) { return a - b; }', 'function add(a, b) { return a + b; }');

let session: E2eSession | undefined;
let server: ScriptedServer;
let codeServer: CodeServer;
let page: PwPage;
let workspace: string;

beforeAll(async () => {
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-',
    workspaceSetup: async (dir) => {
      await mkdir(path.join(dir, 'src'), { recursive: true });
      await writeFile(path.join(dir, 'README.md'), '# Calculator\n\nA tiny calculator library. `npm test` runs its tests.\n');
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'calc', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2));
      await writeFile(path.join(dir, 'src/calc.js'), CALC_ORIGINAL);
    },
  });
  ({ server, codeServer, page, workspace } = session);
}, 180_000);

afterAll(async () => {
  await session?.stop();
});

describe('Agent Harness in a real VS Code', () => {
  it('(a) Run Task: the proposed edit opens as a diff; one hunk approved, one rejected; the disk has exactly the approved hunk; the model hears about the rejection', async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'write_file', arguments: { path: 'src/calc.js', content: CALC_PROPOSED } }] }, { text: 'I fixed `add`; the export change was rejected, so I left it.' }]);

    await runCommand(page, 'Agent Harness: Run Task…');
    await answerInputBox(page, 'Fix the add function in src/calc.js');

    await page
      .locator('.monaco-diff-editor')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 })
      .catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(ARTIFACTS, 'diff-failure.png') });
        throw e;
      });
    const approve1 = page.locator('.codelens-decoration a').filter({ hasText: 'Approve hunk 1' }).first();
    await approve1.waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'diff-review.png') });
    // Nothing is written before a decision.
    expect(await readFile(path.join(workspace, 'src/calc.js'), 'utf8')).toBe(CALC_ORIGINAL);

    await approve1.click();
    const reject2 = page.locator('.codelens-decoration a').filter({ hasText: 'Reject hunk 2' }).first();
    await reject2.waitFor({ state: 'visible', timeout: 15_000 });
    await reject2.click();

    await until('the approved hunk on disk', async () => (await readFile(path.join(workspace, 'src/calc.js'), 'utf8')) === CALC_FIRST_HUNK_ONLY, 30_000);
    await until('the model to get the decision', async () => server.requests.length >= 2, 30_000);
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain('partially written: 1 of 2 hunks approved');
    expect(second).toContain('VERSION: 2');
    await until('the run to finish', async () => (await panelFrame(page).locator('.run-summary').count()) > 0, 30_000);
    expect(await readFile(path.join(workspace, 'src/calc.js'), 'utf8')).toBe(CALC_FIRST_HUNK_ONLY);
  });

  it('(a2) Undo Last Run restores what the run wrote', async () => {
    await runCommand(page, 'Agent Harness: Undo Last Run');
    await until('the original file back on disk', async () => (await readFile(path.join(workspace, 'src/calc.js'), 'utf8')) === CALC_ORIGINAL, 30_000);
  });

  it('(a3) a file changed on disk during review is not overwritten: the conflict is shown and the model is told', async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'write_file', arguments: { path: 'src/calc.js', content: CALC_PROPOSED } }] }, { text: 'The file changed under me; I will read it again.' }]);
    await runCommand(page, 'Agent Harness: Run Task…');
    await answerInputBox(page, 'Fix add again');
    const approveFile = page.locator('.codelens-decoration a').filter({ hasText: 'Approve file' }).first();
    await approveFile.waitFor({ state: 'visible', timeout: 60_000 });
    await writeFile(path.join(workspace, 'src/calc.js'), '// edited by the user meanwhile\n');
    await approveFile.click();
    await until('the model to hear about the conflict', async () => server.requests.length >= 2, 30_000);
    expect(JSON.stringify(server.requests[1]?.body)).toContain('conflict: the file changed after the edit was proposed; it was not overwritten');
    expect(await readFile(path.join(workspace, 'src/calc.js'), 'utf8')).toBe('// edited by the user meanwhile\n');
    await until('the conflict notice in the panel', async () => (await panelFrame(page).locator('.notice.warning').filter({ hasText: 'conflict' }).count()) > 0, 30_000);
    await writeFile(path.join(workspace, 'src/calc.js'), CALC_ORIGINAL);
  });

  it('(b) side-panel chat: streamed answer, a tool card, the skills used and non-zero token counts', async () => {
    server.reset();
    server.script([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
      { text: 'The project is a **tiny calculator**. Its tests run with `npm test`; I would add unit tests for `add` first.\n\n![tracker](http://example.invalid/pixel.png) <img src="http://example.invalid/x.png"> <script>window.pwned = 1</script> <a href="command:workbench.action.quit">quit</a>', delayMs: 20 },
    ]);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const panel = panelFrame(page);
    const input = panel.locator('textarea.input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    const summariesBefore = await panel.locator('.run-summary').count();
    await input.fill('Write unit tests for the calculator: what should they cover?');
    await input.press('Enter');

    const card = panel.locator('.card.tool[data-tool="read_file"]').last();
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await until('the streamed answer', async () => (await panel.locator('.msg.assistant').last().innerText()).includes('tiny calculator'), 30_000);
    await until('the tool card to finish', async () => (await card.innerText()).includes('done'), 15_000);
    expect(await card.innerText()).toContain('Read README.md');
    // Markdown is sanitised: no images (remote or not), no scripts, no command links.
    const answer = panel.locator('.msg.assistant').last();
    expect(await answer.locator('img').count()).toBe(0);
    expect(await answer.locator('script').count()).toBe(0);
    expect(await answer.locator('a[href^="command:"]').count()).toBe(0);
    await until('the run summary', async () => (await panel.locator('.run-summary').count()) > summariesBefore, 30_000);
    const skills = await panel.locator('.skills .skill-name').count();
    expect(skills).toBeGreaterThan(0);
    const runInput = (await panel.locator('.usage-run td.in').innerText()).trim();
    const runOutput = (await panel.locator('.usage-run td.out').innerText()).trim();
    expect(runInput).not.toBe('0');
    expect(runOutput).not.toBe('0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'side-panel.png') });

    // The host keeps the conversation: it is still there after the window reloads.
    const before = await panel.locator('.msg').count();
    await openWorkbench(page, codeServer.url);
    await runCommand(page, 'Agent Harness: Open Side Panel');
    let after = -1;
    await until(`the restored conversation (${before} messages)`, async () => (after = await panelFrame(page).locator('.msg').count()) === before, 30_000).catch((e: unknown) => {
      throw new Error(`${String(e)}; the panel shows ${after}`);
    });
    expect(await panelFrame(page).locator('.msg.assistant').last().innerText()).toContain('tiny calculator');
  });

  it('(b2) ask_user: the question appears in the panel and the chosen option reaches the model', async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'ask_user', arguments: { question: 'Which framework should the tests use?', options: ['node:test', 'vitest'] } }] }, { text: 'Using vitest.' }]);
    const panel = panelFrame(page);
    await panel.locator('textarea.input').fill('Set up tests');
    await panel.locator('textarea.input').press('Enter');
    const question = panel.locator('.card.question.waiting').last();
    await question.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await question.innerText()).toContain('Which framework should the tests use?');
    await question.locator('button.option').filter({ hasText: 'vitest' }).click();
    await until('the answer to reach the model', async () => server.requests.length >= 2, 30_000);
    expect(JSON.stringify(server.requests[1]?.body)).toContain('The user chose: vitest');
    await until('the answered card', async () => (await panel.locator('.card.question.answered').last().innerText()).includes('You answered: vitest'), 15_000);
  });

  it('(c) a run_command approval shows the exact command, why and where; approved, it runs in the container sandbox and the output appears', { timeout: 240_000 }, async () => {
    // Container mode with the offline busybox image that scripts/ensure-docker.sh builds.
    await mkdir(path.join(workspace, '.vscode'), { recursive: true });
    await writeFile(path.join(workspace, '.vscode/settings.json'), JSON.stringify({ 'agentHarness.sandbox.mode': 'container', 'agentHarness.sandbox.image': TEST_IMAGE }));
    const turns = [{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo sandbox-ok-$((6*7)) && id -un' } }] }, { text: 'The command ran in the sandbox.' }];
    const panel = panelFrame(page);
    const input = panel.locator('textarea.input');
    const approval = panel.locator('.card.approval.waiting').last();
    const refused = panel.locator('.card.tool.error[data-tool="run_command"]');
    // VS Code applies a changed settings file asynchronously (slower on a busy machine): a run that
    // starts before it has picked up container mode is refused at once instead of asking. Such a run
    // ends by itself; then the message is sent again, until the approval shows.
    let asked = false;
    for (let attempt = 1; attempt <= 6 && !asked; attempt++) {
      const refusedBefore = await refused.count();
      server.reset();
      server.script(turns);
      await input.fill('Say hello from the sandbox');
      await input.press('Enter');
      // The first command of a run starts the container (a fresh `docker run`), slower on a busy engine.
      await until('an approval card or a refused command', async () => (await approval.isVisible()) || (await refused.count()) > refusedBefore, 90_000).catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(ARTIFACTS, 'approval-failure.png') });
        throw e;
      });
      asked = await approval.isVisible();
      if (!asked) await until('the refused run to finish', async () => server.pending() === 0, 30_000).then(() => new Promise((r) => setTimeout(r, 2000)));
    }
    expect(asked).toBe(true);
    expect(await approval.locator('pre.command').innerText()).toBe('echo sandbox-ok-$((6*7)) && id -un');
    expect(await approval.locator('.where').innerText()).toMatch(/container/i);
    expect((await approval.locator('.reasons').innerText()).length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'side-panel-approval.png') });
    await approval.locator('button.approve').click();

    const card = panel.locator('.card.tool[data-tool="run_command"]').last();
    await until('the command result in its card', async () => (await card.innerText()).includes('done'), 60_000);
    await until('the model to get the output', async () => server.requests.length >= 2, 30_000);
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain('sandbox-ok-42');
    expect(second).toContain('exit code: 0');
    // It ran in the container as its non-root user, not on this machine (where the tests run as root).
    expect(second).toMatch(/sandbox-ok-42\\nagent/);
    expect(await card.innerText()).toContain('sandbox-ok-42');
  });

  it('(d) without a gateway the panel explains what is missing and offers the fix', async () => {
    // A workspace setting that empties the gateway URL: the panel must notice the change by itself.
    await mkdir(path.join(workspace, '.vscode'), { recursive: true });
    await writeFile(path.join(workspace, '.vscode/settings.json'), JSON.stringify({ 'agentHarness.gateway.url': '', 'agentHarness.sandbox.mode': 'local' }));
    const panel = panelFrame(page);
    const blocker = panel.locator('.blocker.no-gateway');
    await blocker.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await blocker.innerText()).toContain('No model gateway is configured');
    expect(await panel.locator('.blocker.no-gateway button').filter({ hasText: 'Set Gateway Key' }).count()).toBe(1);
    expect(await panel.locator('button.send').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'side-panel-no-gateway.png') });
  });
});
