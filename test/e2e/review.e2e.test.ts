import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedServer } from '../support/scriptedServer/server';
import { ARTIFACTS, type PwLocator, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { panelFrame, runCommand, until } from './support/workbench';

/**
 * Review Current Diff in a real VS Code (code-server in Chromium) on a throwaway git repository with
 * one uncommitted change, against the scripted model server: the comment lands on its line, the
 * Problems view lists it, the side panel shows the summary, and Apply Suggestion goes through the
 * diff review before anything is written.
 */

const MATH_COMMITTED = ['// Small math helpers.', 'function add(a, b) {', '  return a + b;', '}', '', 'function mul(a, b) {', '  return a * b;', '}', '', 'module.exports = { add, mul };', ''].join('\n');
const MATH_CHANGED = MATH_COMMITTED.replace('  return a + b;', '  return a - b;');
const MATH_FIXED = MATH_COMMITTED;

/** The review the scripted model returns: one error on line 3 (the changed line) with a suggestion. */
const REVIEW = {
  summary: 'The change makes `add` subtract its arguments.',
  recommendation: 'request_changes',
  comments: [{ path: 'src/math.js', line: 3, severity: 'error', title: 'add() subtracts instead of adding', body: 'Every caller of `add` now gets `a - b`.', suggestion: '  return a + b;' }],
};

let session: E2eSession | undefined;
let server: ScriptedServer;
let page: PwPage;
let workspace: string;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
async function box(l: PwLocator): Promise<Box> {
  const b = await (l as unknown as { boundingBox(): Promise<Box | null> }).boundingBox();
  if (!b) throw new Error('element has no box');
  return b;
}

/** Rows in the Problems view with this text (the view is focused first). */
async function problems(text: string): Promise<number> {
  await runCommand(page, 'View: Focus Problems');
  return page.locator('.markers-panel .monaco-list-row').filter({ hasText: text }).count();
}

/** Threads the Comments view lists for the workspace (resolved ones included). */
async function commentsInView(): Promise<number> {
  await runCommand(page, 'Comments: Focus on Comments View');
  return page.locator('.comments-panel .monaco-list-row, .comments-panel .monaco-tl-row').filter({ hasText: 'add()' }).count();
}

beforeAll(async () => {
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-review-',
    workspaceSetup: async (dir) => {
      await mkdir(path.join(dir, 'src'), { recursive: true });
      await writeFile(path.join(dir, 'src/math.js'), MATH_COMMITTED);
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'math helpers');
      await writeFile(path.join(dir, 'src/math.js'), MATH_CHANGED);
    },
  });
  ({ server, page, workspace } = session);
}, 180_000);

afterAll(async () => {
  await session?.stop();
});

describe('Review Current Diff in a real VS Code', () => {
  it('puts the review comment on its line, lists it in Problems and shows the summary in the side panel', async () => {
    server.reset();
    // The reviewer first explores read-only (a text answer ends that at once), then writes the structured review.
    server.script([{ text: 'src/math.js line 3 now subtracts; nothing else is affected.' }, { json: REVIEW }]);

    await runCommand(page, 'Agent Harness: Review Current Diff');
    const pick = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Uncommitted changes' }).first();
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');

    await until('both model calls', async () => server.requests.length >= 2, 60_000);
    // The structured call carries the diff with the changed line.
    expect(JSON.stringify(server.requests[1]?.body)).toContain('return a - b;');

    // Open the file the way a person would (Quick Open), then find the thread's zone widget.
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor({ state: 'visible', timeout: 15_000 });
    await quickOpen.fill('src/math.js');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'math.js' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await quickOpen.press('Enter');

    const widget = page.locator('.monaco-editor .review-widget').filter({ hasText: 'add() subtracts instead of adding' }).first();
    await widget.waitFor({ state: 'visible', timeout: 30_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'review-thread-failure.png') });
      throw e;
    });
    const text = await widget.innerText();
    expect(text).toContain('error: add() subtracts instead of adding');
    expect(text).toContain('ERROR');
    expect(text).toContain('Every caller of');

    // The thread's zone sits right under line 3 (the commented line) and above line 4.
    const line = (n: number) => page.locator('.monaco-editor .margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^\\s*${n}\\s*$`) }).first();
    const [l3, l4, w] = [await box(line(3)), await box(line(4)), await box(widget)];
    expect(w.y).toBeGreaterThanOrEqual(l3.y + l3.height - 2);
    expect(w.y).toBeLessThan(l4.y);
    expect(w.y - (l3.y + l3.height)).toBeLessThan(l3.height);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-thread.png') });

    // Problems view: the diagnostic with its source.
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'add() subtracts instead of adding' }).first();
    await problem.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await problem.innerText()).toContain('Agent Harness review');
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-problems.png') });

    // The summary card in the side panel.
    await runCommand(page, 'Agent Harness: Open Side Panel');
    const card = panelFrame(page).locator('.card.review').last();
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    const cardText = await card.innerText();
    expect(cardText).toContain('Recommendation: Request changes');
    expect(cardText).toContain('1 comment: 1 error, 0 warnings, 0 info');
    expect(cardText).toContain('subtract its arguments');
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-panel.png') });
  });

  it('Apply Suggestion opens the diff review; the file changes only after approval, and the thread is resolved', async () => {
    expect(await readFile(path.join(workspace, 'src/math.js'), 'utf8')).toBe(MATH_CHANGED);
    const widget = page.locator('.monaco-editor .review-widget').filter({ hasText: 'add() subtracts instead of adding' }).first();
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    const apply = widget.locator('.action-label[aria-label="Apply Suggestion"], .action-label[title="Apply Suggestion"]').first();
    await apply.click({ timeout: 15_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'review-apply-failure.png') });
      throw e;
    });
    const approveFile = page.locator('.codelens-decoration a').filter({ hasText: 'Approve file' }).first();
    await approveFile.waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-apply-diff.png') });
    // Nothing is written before the decision.
    expect(await readFile(path.join(workspace, 'src/math.js'), 'utf8')).toBe(MATH_CHANGED);
    await approveFile.click();
    await until('the suggestion on disk', async () => (await readFile(path.join(workspace, 'src/math.js'), 'utf8')) === MATH_FIXED, 30_000);
    // The applied comment is resolved: its problem leaves the Problems view.
    await until('the resolved problem to leave the list', async () => (await problems('add() subtracts')) === 0, 15_000);
  });

  it('re-running the review replaces the threads; Resolve and Clear Review Comments take them away', async () => {
    await writeFile(path.join(workspace, 'src/math.js'), MATH_CHANGED);
    server.reset();
    server.script([{ text: 'Same problem again.' }, { json: { ...REVIEW, comments: [{ ...REVIEW.comments[0], title: 'add() still subtracts' }] } }]);
    // This time from the side panel's button, which goes through the webview protocol.
    await panelFrame(page).locator('button.review-diff').click();
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Uncommitted changes' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await until('the second review', async () => (await problems('add() still subtracts')) === 1, 60_000);
    // Replaced, not added: the first review's thread is gone, the new one is the only one.
    await page.locator('.tabs-container .tab').filter({ hasText: /^math\.js/ }).first().click();
    const widgets = page.locator('.monaco-editor .review-widget');
    await until('the new thread', async () => (await widgets.filter({ hasText: 'add() still subtracts' }).count()) === 1, 30_000);
    expect(await widgets.filter({ hasText: 'add() subtracts instead of adding' }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-rerun.png') });

    const resolve = widgets.filter({ hasText: 'add() still subtracts' }).first().locator('.action-label[aria-label="Resolve"], .action-label[title="Resolve"]').first();
    await resolve.click({ timeout: 15_000 });
    await until('the resolved problem to leave the list', async () => (await problems('add() still subtracts')) === 0, 15_000);
    const before = await commentsInView();
    expect(before).toBeGreaterThan(0);

    await runCommand(page, 'Agent Harness: Clear Review Comments');
    await until('the threads to go', async () => (await commentsInView()) === 0 && (await widgets.count()) === 0, 15_000);
  });

  it('Cancel in the progress notification stops the review: no comments, no summary, no second model call', async () => {
    server.reset();
    // A slow exploration answer, so there is time to cancel while the review reads the workspace.
    server.script([{ text: 'Reading the change slowly. '.repeat(40), delayMs: 300 }, { json: REVIEW }]);
    const cardsBefore = await panelFrame(page).locator('.card.review').count();
    await runCommand(page, 'Agent Harness: Review Current Diff');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Uncommitted changes' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast').filter({ hasText: 'Agent Harness review' }).first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await until('the exploration call', async () => server.requests.length >= 1, 15_000);
    await toast.locator('.monaco-button, a.monaco-button').filter({ hasText: 'Cancel' }).first().click();
    await page.locator('.notification-toast').filter({ hasText: 'the review was cancelled' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(1000);
    expect(server.requests.length).toBe(1);
    expect(await page.locator('.monaco-editor .review-widget').count()).toBe(0);
    expect(await panelFrame(page).locator('.card.review').count()).toBe(cardsBefore);
  });

  it('a branch review against a base that does not exist says so, with no model call', async () => {
    server.reset();
    await runCommand(page, 'Agent Harness: Review Current Diff');
    const branch = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Current branch against a base' }).first();
    await branch.waitFor({ state: 'visible', timeout: 15_000 });
    await branch.click();
    const input = page.locator('.quick-input-widget input');
    // The input box proposes a base (the upstream, else main); this repository has only main.
    await until('the base input box', async () => (await (input as unknown as { inputValue(): Promise<string> }).inputValue()) === 'main', 15_000);
    await input.fill('no-such-branch');
    await input.press('Enter');
    await page.locator('.notification-toast').filter({ hasText: 'unknown base ref "no-such-branch"' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await until('the notice in the panel', async () => (await panelFrame(page).locator('.notice.warning').filter({ hasText: 'no-such-branch' }).count()) > 0, 15_000);
    expect(server.requests.length).toBe(0);
  });
});
