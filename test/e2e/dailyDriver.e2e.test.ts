import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedServer } from '../support/scriptedServer/server';
import { ARTIFACTS, type PwFrame, type PwPage } from './support/e2eEnv';
import { startE2eSession, type E2eSession } from './support/e2eSession';
import { openWorkbench, panelFrame, runCommand, until } from './support/workbench';

/**
 * The daily-driver UX of issue 16 in a real VS Code (code-server in Chromium): attachments through
 * `@`, Add Selection to Chat, the waiting card for proposed edits, keyboard approval, the view's
 * badge, accessibility checked with axe-core, and the panel's latency and render cost (written to
 * .test-artifacts/ux-metrics.json for the note).
 */

const CALC = 'function add(a, b) { return a - b; }\nmodule.exports = { add };\n';
let session: E2eSession | undefined;
let server: ScriptedServer;
let page: PwPage;
let workspace: string;
const metrics: Record<string, unknown> = {};

beforeAll(async () => {
  session = await startE2eSession({
    tmpPrefix: 'ah-e2e-ux-',
    workspaceSetup: async (dir) => {
      await mkdir(path.join(dir, 'src'), { recursive: true });
      await writeFile(path.join(dir, 'src/calc.js'), CALC);
      await writeFile(path.join(dir, 'README.md'), '# Calc\n');
    },
  });
  ({ server, page, workspace } = session);
}, 180_000);

afterAll(async () => {
  await writeFile(path.join(ARTIFACTS, 'ux-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`).catch(() => undefined);
  await session?.stop();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await page.screenshot({ path: path.join(ARTIFACTS, `ux-failure-${ctx.task.name.slice(0, 12).replace(/[^a-z0-9]+/gi, '_')}.png`) }).catch(() => undefined);
});

const panel = () => panelFrame(page);
const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });

async function openPanel(): Promise<void> {
  await runCommand(page, 'Agent Harness: Open Side Panel');
  await panel().locator('textarea.input').waitFor({ state: 'visible', timeout: 30_000 });
}

/** The command palette without pressing Escape first (Escape stops a run in the panel and clears an editor selection). */
async function paletteKeepingFocus(title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // A quick input still open (Quick Open) would take F1 into its own mode and cover the editor tabs.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await page.keyboard.press('F1');
  // F1 inside a webview does not always reach the workbench: then from the editor tabs (a click there changes nothing).
  if (!(await input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false))) {
    await page.locator('.part.editor .tabs-container').first().click();
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await input.press('Enter');
}

/**
 * Writes a saved conversation of `n` items (messages, markdown answers, tool cards with results) into
 * the workspace's conversation history, the way the extension stores it.
 */
async function seedConversation(id: string, title: string, n: number): Promise<void> {
  const { readdir: ls } = await import('node:fs/promises');
  const found = (await ls(session!.base, { recursive: true })).find((f) => f.endsWith(path.join('conversations', 'index.json')));
  if (!found) throw new Error('no conversation history folder yet');
  const dir = path.dirname(path.join(session!.base, found));
  const items = Array.from({ length: n }, (_, i) =>
    i === 0
      ? { kind: 'user', id: `u${i}`, text: title }
      : i % 3 === 1
        ? { kind: 'assistant', id: `a${i}`, text: `Answer ${i}: the function \`add(a, b)\` returns **a - b**.\n\n\`\`\`js\nfunction add(a, b) { return a + b; }\n\`\`\``, streaming: false }
        : i % 3 === 2
          ? { kind: 'tool', id: `t${i}`, name: 'read_file', args: JSON.stringify({ path: `src/file${i}.js` }), status: 'done', result: Array.from({ length: 20 }, (_, l) => `${l + 1}\tline ${l}`).join('\n'), durationMs: 3 }
          : { kind: 'user', id: `u${i}`, text: `Question ${i}` },
  );
  await writeFile(path.join(dir, `${id}.json`), JSON.stringify({ items, history: [{ role: 'user', content: title }, { role: 'assistant', text: 'ok', toolCalls: [] }] }));
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { version: 1; conversations: unknown[] };
  const now = new Date().toISOString();
  index.conversations.unshift({ id, title, created: now, updated: now, messages: Math.ceil(n / 3), costUsd: 0, tokens: 0, bytes: 1 });
  await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
}

async function sendMessage(text: string): Promise<void> {
  const input = panel().locator('textarea.input');
  await input.fill(text);
  await input.press('Enter');
}

async function runFinished(count: number): Promise<void> {
  await until('the run summary', async () => (await panel().locator('.run-summary').count()) > count, 60_000);
}

/** axe-core's violations in the panel's document (its script evaluated in the frame, past the CSP, as a debugger would). */
async function axeViolations(): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const require = createRequire(import.meta.url);
  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const frame = await panelDocument();
  await frame.evaluate(axeSource);
  return frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** The panel's document as a Playwright frame, for evaluating scripts in it (axe-core, timings). */
async function panelDocument(): Promise<PwFrame> {
  const handle = await panel().locator('body').elementHandle({ timeout: 15_000 });
  const frame = await handle.ownerFrame();
  if (!frame) throw new Error('the panel frame is not attached');
  return frame;
}

describe('daily-driver UX in a real VS Code (issue 16)', () => {
  it('(1) @ opens a picker of workspace files; the chosen file is a chip counted in the context meter; its content reaches the model, the conversation shows its name', async () => {
    await openPanel();
    server.reset();
    server.script([{ text: 'It subtracts: `a - b` instead of a + b, so a - b is wrong.' }]);
    const input = panel().locator('textarea.input');
    await input.fill('');
    await input.press('@');
    await page.keyboard.type('calc', { delay: 30 });
    const row = panel().locator('.mention-row[data-kind="file"]').filter({ hasText: 'calc.js' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await panel().locator('.mention-row').filter({ hasText: 'Uncommitted changes' }).count()).toBe(0);
    await shot('ux-mention-picker.png');
    await input.press('Enter');
    const chip = panel().locator('.chip[data-kind="file"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await chip.innerText()).toContain('calc.js');
    expect(await input.inputValue()).toBe('');
    await until('the meter to count the attachment', async () => (await panel().locator('.meter-label').innerText()).includes('This message adds about'), 10_000);
    await page.keyboard.type('What is wrong with add?');
    await shot('ux-attachment-chip.png');
    await input.press('Enter');
    await runFinished(0);
    const body = JSON.stringify(server.requests[0]?.body);
    expect(body).toContain('Attached context (chosen by the user)');
    expect(body).toContain('function add(a, b) { return a - b; }');
    expect(await panel().locator('.msg.user').last().innerText()).toContain('[attached: calc.js]');
    expect(await panel().locator('.chip').count()).toBe(0);
    // Item 10: a subtraction renders with single spaces, in code and in prose.
    const answer = await panel().locator('.msg.assistant .body').last().innerText();
    expect(answer).toContain('a - b instead');
    expect(answer).toContain('so a - b is wrong');
    expect(answer).not.toMatch(/a {2,}- {1,}b|a {1,}- {2,}b/);
  });

  it('(1b) Add Selection to Chat puts the selection into the composer as a chip, and a credential file cannot be attached', async () => {
    await writeFile(path.join(workspace, '.env'), 'API_KEY=sk-should-never-leave\n');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type('calc.js');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'calc.js' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    // Quick Open closes once the file opens; in a fresh window its first search may still be settling
    // and take the Enter for nothing (seen once on a fresh clone), so it is pressed until it closes.
    await until('Quick Open to close on calc.js', async () => {
      if (!(await page.locator('.quick-input-widget').isVisible())) return true;
      await page.keyboard.press('Enter');
      return false;
    }, 15_000);
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    // Not runCommand: its Escape would clear the editor's selection.
    await paletteKeepingFocus('Agent Harness: Add Selection to Chat');
    const chip = panel().locator('.chip[data-kind="selection"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await chip.innerText()).toContain('calc.js:1-');
    await shot('ux-add-selection.png');
    await chip.locator('button.chip-remove').click();
    expect(await panel().locator('.chip').count()).toBe(0);

    const input = panel().locator('textarea.input');
    await input.fill('');
    await input.press('@');
    await page.keyboard.type('.env', { delay: 30 });
    const row = panel().locator('.mention-row').filter({ hasText: '.env' }).first();
    // .env may be listed (it is not gitignored here); choosing it is refused with the reason.
    if (await row.isVisible().catch(() => false)) {
      await input.press('Enter');
      await until('the refusal', async () => (await panel().locator('.attach-error').innerText()).includes('not attached'), 10_000);
      expect(await panel().locator('.chip').count()).toBe(0);
    }
    await input.fill('');
  });

  it('(3, 6) a proposed edit whose diff tab was closed shows a waiting card with Open diff / Approve all, the status says waiting, and the view has a badge', async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'write_file', arguments: { path: 'src/calc.js', content: CALC.replace('a - b', 'a + b') } }] }, { text: 'Fixed.' }]);
    const summaries = await panel().locator('.run-summary').count();
    await sendMessage('Fix add');
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 60_000 });
    // Not runCommand: Escape in the panel stops the run (issue 16 item 5).
    await paletteKeepingFocus('View: Close All Editors');
    const card = panel().locator('.card.pending.waiting');
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.innerText()).toContain('src/calc.js');
    expect(await panel().locator('.header .status').innerText()).toBe('Waiting for you');
    const badge = page.locator('.activitybar .action-item .badge .badge-content').filter({ hasText: '1' });
    await until('the badge on the Agent Harness view container', async () => (await badge.count()) > 0, 10_000);
    await shot('ux-pending-card.png');
    await card.locator('button.open-diff').first().click();
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
    expect(await readFile(path.join(workspace, 'src/calc.js'), 'utf8')).toBe(CALC);
    await card.locator('button.approve-all').click();
    await until('the approved edit on disk', async () => (await readFile(path.join(workspace, 'src/calc.js'), 'utf8')).includes('a + b'), 30_000);
    await runFinished(summaries);
    expect(await panel().locator('.card.pending').count()).toBe(0);
    await until('the badge to go', async () => (await badge.count()) === 0, 10_000);
    await writeFile(path.join(workspace, 'src/calc.js'), CALC);
  });

  it('(5) keyboard: focus moves to the waiting approval, Enter approves it; Ctrl+Alt+Y approves from the editor; Escape in the panel stops a run', async () => {
    server.reset();
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo first' } }] }, { toolCalls: [{ name: 'run_command', arguments: { command: 'echo second' } }] }, { text: 'Both ran.' }]);
    const summaries = await panel().locator('.run-summary').count();
    await sendMessage('Run two commands');
    const approve = panel().locator('.card.approval.waiting button.approve');
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    await until('focus on the Approve button', async () => (await approve.evaluate((el) => el === document.activeElement)) === true, 10_000);
    const ring = await approve.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(ring).not.toBe('none');
    await page.keyboard.press('Enter');
    // The second approval: answered from the editor with the keybinding, the panel not focused.
    await until('the second approval', async () => (await panel().locator('.card.approval.waiting pre.command').filter({ hasText: 'echo second' }).count()) === 1, 30_000);
    await page.locator('.monaco-workbench .part.editor').first().click({ force: true });
    await page.keyboard.press('Control+Alt+KeyY');
    await runFinished(summaries);
    expect(await panel().locator('.card.approval.approved').count()).toBeGreaterThanOrEqual(2);
    const second = JSON.stringify(server.requests[2]?.body);
    expect(second).toContain('second');

    // Escape stops a run that is streaming a long answer.
    server.reset();
    server.script([{ text: Array.from({ length: 400 }, (_, i) => `word${i}`).join(' '), delayMs: 25 }]);
    const before = await panel().locator('.run-summary').count();
    await sendMessage('Talk for a while');
    await until('streaming', async () => (await panel().locator('.msg.assistant .body.streaming').count()) > 0, 30_000);
    await panel().locator('.conversation').click();
    await page.keyboard.press('Escape');
    await runFinished(before);
    expect(await panel().locator('.run-summary').last().innerText()).toMatch(/cancelled/);
  });

  it('(5) everything in the panel is reachable by Tab, each with a visible focus ring', async () => {
    const input = panel().locator('textarea.input');
    // From the top of the panel: the conversation is the first stop, the composer comes later.
    await panel().locator('.conversation').evaluate((el) => el.focus());
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const info = await input.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const s = getComputedStyle(el);
        return { tag: el.tagName.toLowerCase(), cls: el.className, ring: s.outlineStyle !== 'none' && s.outlineWidth !== '0px' };
      });
      if (!info) break;
      seen.push(`${info.tag}.${info.cls}`);
      expect(info.ring, `${info.tag}.${info.cls} shows focus`).toBe(true);
    }
    expect(seen.some((s) => s.includes('send'))).toBe(true);
    expect(seen.some((s) => s.startsWith('textarea'))).toBe(true);
  });

  it('(7) axe-core finds no serious or critical accessibility violations in the panel', async () => {
    const violations = await axeViolations();
    metrics.axeViolations = violations;
    await shot('ux-axe.png');
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // The whole panel is no longer a live region; one announcer is.
    expect(await panel().locator('#root').getAttribute('aria-live')).toBeNull();
    expect(await panel().locator('[aria-live]').count()).toBe(1);
  });

  it('(7) with forced colors (a high-contrast OS setting) VS Code switches to its high-contrast theme: the panel has contrast borders and still no serious or critical violations', async () => {
    // window.autoDetectHighContrast (on by default) follows the OS's forced colors, as a person with a high-contrast OS theme has.
    await page.emulateMedia({ forcedColors: 'active' });
    try {
      await until('the high-contrast theme in the panel', async () => (await panel().locator('body.vscode-high-contrast, body.vscode-high-contrast-light').count()) === 1, 30_000);
      // Controls take VS Code's contrast border in a high-contrast theme.
      const border = await panel().locator('button.send').evaluate((el) => ({ style: getComputedStyle(el).borderTopStyle, color: getComputedStyle(el).borderTopColor, contrast: getComputedStyle(document.documentElement).getPropertyValue('--vscode-contrastBorder').trim() }));
      expect(border.contrast).not.toBe('');
      expect(border.style).toBe('solid');
      expect(border.color).not.toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
      await shot('ux-high-contrast.png');
      const violations = await axeViolations();
      metrics.axeViolationsHighContrast = violations;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    } finally {
      await page.emulateMedia({ forcedColors: null });
    }
    await until('the default theme back', async () => (await panel().locator('body.vscode-high-contrast, body.vscode-high-contrast-light').count()) === 0, 30_000);
  });

  it('(2) New chat keeps the conversation: the history lists it, search filters it, opening it brings it back, it survives a reload, Delete removes it', async () => {
    const before = await panel().locator('.msg').count();
    expect(before).toBeGreaterThan(0);
    await panel().locator('button.new-chat').click();
    await until('an empty conversation', async () => (await panel().locator('.msg').count()) === 0, 15_000);
    server.reset();
    server.script([{ text: 'Second conversation answer.' }]);
    await sendMessage('Second conversation about tests');
    await runFinished(0);
    await panel().locator('button.history-toggle').click();
    const rows = panel().locator('.history-item');
    await until('both conversations listed', async () => (await rows.count()) >= 2, 15_000);
    expect(await rows.first().innerText()).toContain('Second conversation about tests');
    await panel().locator('input.history-search').fill('second TESTS');
    expect(await rows.count()).toBe(1);
    await panel().locator('input.history-search').fill('');
    await shot('ux-history.png');
    await rows.filter({ hasText: 'What is wrong with add?' }).locator('button.history-open').click();
    await until('the first conversation back', async () => (await panel().locator('.msg').count()) === before, 15_000);
    expect(await panel().locator('.history').isVisible()).toBe(false);

    await openWorkbench(page, session!.codeServer.url);
    await openPanel();
    await until('the opened conversation after a reload', async () => (await panel().locator('.msg').count()) === before, 30_000);
    await panel().locator('button.history-toggle').click();
    await until('the history after a reload', async () => (await rows.count()) >= 2, 15_000);
    const second = rows.filter({ hasText: 'Second conversation about tests' });
    await second.locator('button.history-delete').click();
    await until('the deleted conversation gone', async () => (await second.count()) === 0, 15_000);
    await panel().locator('button.history-back').click();
  });

  it('(4) the model picker offers the gateway’s models; a choice holds for the next runs and leaves the settings alone', async () => {
    const select = panel().locator('select.model-picker');
    await until('the gateway models in the picker', async () => (await select.locator('option[value="scripted-model-mini"]').count()) === 1, 30_000);
    expect(await select.inputValue()).toBe('scripted-model');
    const settingsFile = await readFile(path.join(session!.base, 'user-data/User/settings.json'), 'utf8');
    await select.selectOption('scripted-model-mini');
    await until('the choice shown', async () => (await select.inputValue()) === 'scripted-model-mini', 10_000);
    await shot('ux-model-picker.png');
    server.reset();
    server.script([{ text: 'Answered by the mini model.' }]);
    const summaries = await panel().locator('.run-summary').count();
    await sendMessage('Which model are you?');
    await runFinished(summaries);
    expect((server.requests[0]?.body as { model?: string }).model).toBe('scripted-model-mini');
    expect(await readFile(path.join(session!.base, 'user-data/User/settings.json'), 'utf8')).toBe(settingsFile);
    await select.selectOption('scripted-model');
    await until('the choice back', async () => (await select.inputValue()) === 'scripted-model', 10_000);
  });

  it('(8) the walkthrough offers the setup steps, and Test Gateway Connection says the gateway answers', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Get started with Agent Harness' }).first();
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await pick.click();
    const steps = page.locator('.getting-started-step');
    await until('the walkthrough steps', async () => (await steps.filter({ hasText: 'Test the connection' }).count()) > 0, 30_000);
    for (const title of ['Choose a model provider', 'Set the key', 'Try a first task']) expect(await steps.filter({ hasText: title }).count(), title).toBeGreaterThan(0);
    await shot('ux-walkthrough.png');
    server.reset();
    server.script([{ text: 'ok' }]);
    await runCommand(page, 'Agent Harness: Test Gateway Connection');
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Connected: scripted-model' });
    await toast.first().waitFor({ state: 'visible', timeout: 30_000 });
    await shot('ux-test-connection.png');
    await runCommand(page, 'View: Close All Editors');
    await openPanel();
  });

  it('measures: Send to the first streamed token, and frames while streaming into a 500-item conversation', { timeout: 300_000 }, async () => {
    const frame = await panelDocument();
    // Send → first token, five times (the median is reported): stamped in the page when the answer's
    // first text appears, against when Enter was pressed and when the scripted server got the request.
    const samples: { sendToFirstToken: number; keyToFirstToken: number; sendToRequest: number; requestToPanel: number }[] = [];
    for (let i = 0; i < 5; i++) {
      server.reset();
      server.script([{ text: 'First token here, then more.', delayMs: 5 }]);
      await frame.evaluate(() => {
        const w = window as unknown as { __firstToken?: number; __keydown?: number };
        w.__firstToken = undefined;
        w.__keydown = undefined;
        // When the key reaches the panel: Playwright itself takes some 25 ms to deliver it.
        document.addEventListener('keydown', (e) => e.key === 'Enter' && (w.__keydown ??= Date.now()), { capture: true, once: true });
        const seen = document.querySelectorAll('.msg.assistant').length;
        new MutationObserver((_, obs) => {
          if (document.querySelectorAll('.msg.assistant').length > seen) {
            w.__firstToken = Date.now();
            obs.disconnect();
          }
        }).observe(document.body, { childList: true, subtree: true });
      });
      const summaries = await panel().locator('.run-summary').count();
      const input = panel().locator('textarea.input');
      await input.fill(`Say something (${i + 1})`);
      const sentAt = Date.now();
      await input.press('Enter');
      await runFinished(summaries);
      const { firstToken, keydown } = await frame.evaluate(() => {
        const w = window as unknown as { __firstToken?: number; __keydown?: number };
        return { firstToken: w.__firstToken, keydown: w.__keydown };
      });
      const requestAt = server.requests[0]?.receivedAt ?? NaN;
      expect(firstToken).toBeGreaterThanOrEqual(sentAt);
      expect(keydown).toBeGreaterThanOrEqual(sentAt);
      samples.push({ sendToFirstToken: firstToken! - sentAt, keyToFirstToken: firstToken! - keydown!, sendToRequest: requestAt - sentAt, requestToPanel: firstToken! - requestAt });
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    metrics.sendToFirstTokenMs = { median: median(samples.map((x) => x.sendToFirstToken)), samples: samples.map((x) => x.sendToFirstToken) };
    metrics.keyToFirstTokenMs = { median: median(samples.map((x) => x.keyToFirstToken)), samples: samples.map((x) => x.keyToFirstToken) };
    metrics.sendToRequestMs = median(samples.map((x) => x.sendToRequest));
    metrics.requestToFirstTokenInPanelMs = median(samples.map((x) => x.requestToPanel));

    // A saved 500-item conversation (the panel's cap) is opened from the history, then a long answer
    // streams into it while every long task (a frame the panel could not paint within 50 ms) is recorded.
    await seedConversation('bulk-500', 'Bulk conversation of 500 items', 500);
    await panel().locator('button.history-toggle').click();
    const bulk = panel().locator('.history-item').filter({ hasText: 'Bulk conversation of 500 items' });
    await until('the seeded conversation in the history', async () => (await bulk.count()) === 1, 15_000);
    await bulk.locator('button.history-open').click();
    await until('500 items on screen', async () => (await panel().locator('.conversation > *').count()) >= 500, 30_000);
    server.reset();
    server.script([{ text: Array.from({ length: 600 }, (_, i) => (i % 40 === 39 ? `token${i}\n\n` : `token${i}`)).join(' '), delayMs: 4 }]);
    const before = await panel().locator('.run-summary').count();
    await sendMessage('Now a long answer');
    await until('the long answer to start', async () => (await panel().locator('.msg.assistant .body.streaming').count()) > 0, 60_000);
    await frame.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(Math.round(e.duration));
      }).observe({ type: 'longtask', buffered: false });
    });
    await runFinished(before);
    const items = await panel().locator('.conversation > *').count();
    const long = await frame.evaluate(() => (window as unknown as { __long: number[] }).__long);
    metrics.conversationItems = items;
    metrics.longTasksWhileStreamingMs = long;
    await shot('ux-500-items.png');
    expect(items).toBeGreaterThanOrEqual(500);
    // Timings are reported (ux-metrics.json), not asserted: on a loaded CI machine they say little.
    expect(Array.isArray(long)).toBe(true);
  });
});
