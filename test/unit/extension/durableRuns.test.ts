import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalStore } from '../../../src/adapters/journal/journalStore';
import { heldRuns, pruneDismissed, resumableRuns, type ExtensionResumeConfig } from '../../../src/extension/run/durableRuns';
import { tempDir } from '../../support/fixtures';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cfg = (workspace: string): ExtensionResumeConfig => ({ source: 'vscode', workspace, profile: 'coder', gateway: { url: 'http://gw/v1', protocol: 'openai', model: 'm' } });

async function journal(store: JournalStore, id: string, task: string, resume: Record<string, unknown>, end?: 'completed' | 'cancelled', keepOpen = false) {
  const w = await store.create(id);
  w.append({ kind: 'run_started', runId: id, task, profile: 'coder', model: 'm', protocol: 'openai', systemHash: 'x', history: [], limits: { maxTurns: 5, maxToolCalls: 5, maxTokens: 1000 }, tools: [], skills: [], resume });
  if (end) {
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costUsd: 0 };
    w.append({ kind: 'run_ended', result: { status: end, output: '', filesChanged: [], commandsRun: [], skillsUsed: [], usage, model: 'm', attempts: 0 } });
  }
  if (!keepOpen) await w.close();
  return w;
}

describe('resumableRuns', () => {
  it('offers the unfinished runs this workspace started in VS Code, not finished, dismissed, held, CLI or other-folder runs', async () => {
    dir = await tempDir('durable-');
    const store = new JournalStore({ dir });
    const ws = path.join(dir, 'ws');
    await journal(store, 'interrupted', 'fix the bug', cfg(ws));
    await journal(store, 'stopped', 'stopped one', cfg(ws), 'cancelled');
    await journal(store, 'done', 'finished', cfg(ws), 'completed');
    await journal(store, 'dismissed', 'dismissed one', cfg(ws));
    await journal(store, 'other', 'other folder', cfg(path.join(dir, 'elsewhere')));
    await journal(store, 'cli', 'from the CLI', { workspace: ws, gateway: { url: 'u', protocol: 'openai', model: 'm' } });
    const held = await journal(store, 'held', 'live in another window', cfg(ws), undefined, true);
    try {
      const runs = await resumableRuns(store, `${ws}/`, new Set(['dismissed']));
      expect(runs.map((r) => r.id).sort()).toEqual(['interrupted', 'stopped']);
      expect(runs.find((r) => r.id === 'interrupted')).toMatchObject({ task: 'fix the bug', status: 'interrupted', model: 'm' });
      expect(await heldRuns(store, ws)).toEqual(['held']);
      expect(await heldRuns(store, path.join(dir, 'elsewhere'))).toEqual([]);
    } finally {
      await held.close();
    }
  });

  it('is empty when no run was ever journaled', async () => {
    dir = await tempDir('durable-');
    expect(await resumableRuns(new JournalStore({ dir: path.join(dir, 'none') }), dir, new Set())).toEqual([]);
  });
});

describe('pruneDismissed', () => {
  it('forgets dismissed ids whose journals are gone', () => {
    expect(pruneDismissed(['a', 'b', 'c'], ['c', 'a', 'z'])).toEqual(['a', 'c']);
  });
});
