import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ToolContext } from '../../src/core/tools/defineTool';
import { startScriptedServer, type ScriptedServer } from './scriptedServer/server';

/**
 * The fixtures tests share (issue 15): one tool context, one temporary workspace, one scripted
 * model server hook. Temporary folders are removed after the test file (test/support/cleanup.ts).
 */

/** The context a tool runs with: run `r`, call `c`, a signal nobody aborts, unless a test says otherwise. */
export function toolContext(over: Partial<ToolContext> = {}): ToolContext {
  return { runId: 'r', callId: 'c', signal: new AbortController().signal, ...over };
}

const created = new Set<string>();

/** A new empty folder under the OS temp folder, with `files` (relative path to content) written into it. */
export async function tempDir(prefix = 'ah-test-', files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.add(dir);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Removes every folder tempDir made in this test file (registered once per file by cleanup.ts). */
export async function removeTempDirs(): Promise<void> {
  const dirs = [...created];
  created.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/**
 * The scripted model server for this test file: started before its tests, closed after them. The
 * returned object stands for the server (`server.url`, `server.script(...)`, `server.requests`).
 */
export function useScriptedServer(): ScriptedServer {
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return new Proxy({} as ScriptedServer, {
    get(_target, key) {
      if (!server) throw new Error('the scripted server starts in beforeAll: use it inside a test or a hook');
      const value = Reflect.get(server, key, server) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(server) : value;
    },
  });
}
