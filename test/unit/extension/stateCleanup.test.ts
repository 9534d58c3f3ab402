import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { parseSettings, SettingsError } from '../../../src/extension/extensionSettings';
import { cleanUpStateDaily } from '../../../src/extension/stateCleanup';

let storage: string;
beforeEach(async () => {
  storage = await mkdtemp(join(tmpdir(), 'ah-cleanup-'));
});
afterEach(async () => {
  await rm(storage, { recursive: true, force: true });
});

const context = () => ({ globalStorageUri: { fsPath: storage } }) as unknown as vscode.ExtensionContext;

async function aged(path: string, days: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '{}\n');
  const t = new Date(Date.now() - days * 86_400_000);
  await utimes(path, t, t);
}

describe('cleanUpStateDaily (VS Code)', () => {
  it("removes the window's old traces, journals and checkpoints by the retention settings, once a day", async () => {
    await aged(join(storage, 'traces', 'old.jsonl'), 10);
    await aged(join(storage, 'runs', 'old.jsonl'), 10);
    await aged(join(storage, 'traces', 'new.jsonl'), 1);
    await mkdir(join(storage, 'checkpoints', 'run'), { recursive: true });
    await writeFile(join(storage, 'checkpoints', 'run', 'manifest.json'), JSON.stringify({ runId: 'run', createdAt: new Date(Date.now() - 10 * 86_400_000).toISOString(), files: [] }));
    const settings = () => parseSettings((k) => (k === 'retention.days' ? 5 : undefined));
    expect(await cleanUpStateDaily(context(), join(storage, 'checkpoints'), settings)).toBe(true);
    expect(await readdir(join(storage, 'traces'))).toEqual(['new.jsonl']);
    expect(await readdir(join(storage, 'runs'))).toEqual([]);
    expect(await readdir(join(storage, 'checkpoints'))).toEqual([]);
    expect(await readdir(storage)).toContain('gc-last');
    // Already done today.
    expect(await cleanUpStateDaily(context(), join(storage, 'checkpoints'), settings)).toBe(false);
  });

  it('removes nothing when the settings do not parse', async () => {
    await aged(join(storage, 'traces', 'old.jsonl'), 400);
    const bad = () => parseSettings((k) => (k === 'retention.days' ? 0 : undefined));
    expect(() => bad()).toThrow(SettingsError);
    expect(await cleanUpStateDaily(context(), join(storage, 'checkpoints'), bad)).toBe(false);
    expect(await readdir(join(storage, 'traces'))).toEqual(['old.jsonl']);
  });
});
