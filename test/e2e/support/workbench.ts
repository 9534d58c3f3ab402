import type { PwFrameLocator, PwPage } from './e2eEnv';

/** Waits for the VS Code workbench to be ready in the page. */
export async function openWorkbench(page: PwPage, url: string): Promise<void> {
  await page.goto(url, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The status bar item appears once the extension host has activated extensions on startup.
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Runs a command from the command palette, as a person would (F1, type, Enter). Right after startup
 * the palette may not list extension commands yet, so it tries again until the command shows up.
 */
export async function runCommand(page: PwPage, title: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title.replace(/…$/, '')}`);
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      await input.press('Enter');
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: `${process.cwd()}/.test-artifacts/palette-failure.png` });
        throw e;
      }
    }
  }
}

/** Answers the quick input box a command opened (showInputBox). */
export async function answerInputBox(page: PwPage, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await input.press('Enter');
}

/**
 * The side panel's document: VS Code hosts a webview in an outer iframe (.webview) with the content
 * in an inner iframe (#active-frame).
 */
export function panelFrame(page: PwPage): PwFrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
