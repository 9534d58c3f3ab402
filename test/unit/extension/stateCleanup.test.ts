import { beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { parseSettings, SettingsError } from '../../../src/extension/gateway/extensionSettings';
import { cleanUpStateDaily } from '../../../src/extension/run/stateCleanup';
import { agedFile } from '../../support/agedFile';
import { tempDir } from '../../support/fixtures';

let storage: string;
beforeEach(async () => {
  storage = await tempDir('ah-cleanup-');
});

const context = () => ({ globalStorageUri: { fsPath: storage } }) as unknown as vscode.ExtensionContext;


describe('cleanUpStateDaily (VS Code)', () => {
  it("removes the window's old traces, journals and checkpoints by the retention settings, once a day", async () => {
    await agedFile(join(storage, 'traces', 'old.jsonl'), 10);
    await agedFile(join(storage, 'runs', 'old.jsonl'), 10);
    await agedFile(join(storage, 'traces', 'new.jsonl'), 1);
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
    await agedFile(join(storage, 'traces', 'old.jsonl'), 400);
    const bad = () => parseSettings((k) => (k === 'retention.days' ? 0 : undefined));
    expect(() => bad()).toThrow(SettingsError);
    expect(await cleanUpStateDaily(context(), join(storage, 'checkpoints'), bad)).toBe(false);
    expect(await readdir(join(storage, 'traces'))).toEqual(['old.jsonl']);
  });
});
