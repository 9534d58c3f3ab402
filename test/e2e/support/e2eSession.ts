import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer/server';
import { ARTIFACTS, assertPrerequisites, launchChromium, startCodeServer, type CodeServer, type PwBrowser, type PwPage } from './e2eEnv';
import { openWorkbench } from './workbench';

/**
 * One end-to-end session: a throwaway workspace, the scripted model server, code-server with the
 * built extension pointed at that server, and a Chromium page with the workbench open. Each e2e
 * file starts one in beforeAll and stops it in afterAll.
 */

export interface E2eSessionOptions {
  /** Prefix of the throwaway folder under the system temp directory (it holds the workspace and code-server's data). */
  tmpPrefix: string;
  /** Fills the workspace (already created) before code-server opens it. */
  workspaceSetup: (workspace: string) => Promise<void>;
  /** User settings on top of the scripted gateway (OpenAI protocol) with the local sandbox. */
  settings?: Record<string, unknown>;
  /** code-server's environment on top of the cleaned one; without it, the gateway key is `test-key`. */
  env?: Record<string, string | undefined>;
}

export interface E2eSession {
  server: ScriptedServer;
  codeServer: CodeServer;
  browser: PwBrowser;
  page: PwPage;
  /** The throwaway folder; removed by stop() unless E2E_KEEP=1. */
  base: string;
  workspace: string;
  /** Closes the browser, code-server and the scripted server, then removes the throwaway folder. */
  stop(): Promise<void>;
}

export async function startE2eSession(opts: E2eSessionOptions): Promise<E2eSession> {
  assertPrerequisites();
  await mkdir(ARTIFACTS, { recursive: true });
  const base = await mkdtemp(path.join(os.tmpdir(), opts.tmpPrefix));
  const workspace = path.join(base, 'workspace');
  const started: { server?: ScriptedServer; codeServer?: CodeServer; browser?: PwBrowser } = {};
  // Whatever started before a failure is stopped again, so a failed setup leaves no processes behind.
  const stop = async (): Promise<void> => {
    await started.browser?.close().catch(() => undefined);
    await started.codeServer?.stop();
    await started.server?.close();
    if (process.env.E2E_KEEP !== '1') await rm(base, { recursive: true, force: true });
  };
  try {
    await mkdir(workspace, { recursive: true });
    await opts.workspaceSetup(workspace);
    const server = (started.server = await startScriptedServer());
    const codeServer = (started.codeServer = await startCodeServer({
      base,
      workspace,
      settings: {
        'agentHarness.gateway.url': `${server.url}/v1`,
        'agentHarness.gateway.protocol': 'openai',
        'agentHarness.gateway.model': 'scripted-model',
        'agentHarness.sandbox.mode': 'local',
        ...opts.settings,
      },
      env: opts.env ?? { AGENT_HARNESS_API_KEY: 'test-key' },
    }));
    const browser = (started.browser = await launchChromium());
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await openWorkbench(page, codeServer.url);
    return { server, codeServer, browser, page, base, workspace, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
