import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { PanelStore, type KeyValue } from '../../../src/extension/panel/panelStore';
import { tempDir } from '../../support/fixtures';

let dir: string;
beforeEach(async () => (dir = await tempDir('ah-store-')));

function memento(): KeyValue & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) };
}

describe('PanelStore', () => {
  it('round-trips through a file in the storage folder, created on first save', async () => {
    const m = memento();
    const store = new PanelStore(path.join(dir, 'ws-storage'), m);
    expect(store.load()).toEqual({});
    await store.save({ state: { a: 1 }, history: [] });
    await store.save({ state: { a: 2 }, history: [{ role: 'user', content: 'hi' }], lastRunId: 'r1' });
    expect(new PanelStore(path.join(dir, 'ws-storage'), memento()).load()).toEqual({ state: { a: 2 }, history: [{ role: 'user', content: 'hi' }], lastRunId: 'r1' });
    expect(m.data.size).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'ws-storage', 'panel.json'), 'utf8'))).toMatchObject({ lastRunId: 'r1' });
  });

  it('a damaged file loads as empty instead of failing', async () => {
    await writeFile(path.join(dir, 'panel.json'), '{"state": ');
    expect(new PanelStore(dir, memento()).load()).toEqual({});
  });

  it('without a storage folder it uses the memento', async () => {
    const m = memento();
    const store = new PanelStore(undefined, m);
    await store.save({ state: { b: 1 } });
    expect(store.load()).toEqual({ state: { b: 1 } });
  });
});
