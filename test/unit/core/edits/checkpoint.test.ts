import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyDecided } from '../../../../src/core/edits/apply';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { Checkpoint, CheckpointError, listCheckpoints, restoreCheckpoint } from '../../../../src/core/edits/checkpoint';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { tempDir } from '../../../support/fixtures';

let root: string;
let store: string;

beforeEach(async () => {
  root = await tempDir('ah-ckpt-ws-');
  store = await tempDir('ah-ckpt-store-');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(store, { recursive: true, force: true });
});

/** Proposes, approves and applies edits the way a run does, with the checkpoint hooks. */
async function runEdits(runId: string, edits: Record<string, string>): Promise<Checkpoint> {
  const checkpoint = await Checkpoint.open({ storeDir: store, runId, root });
  const set = new ChangeSet();
  for (const [rel, content] of Object.entries(edits)) {
    let current: string | null = null;
    try {
      current = await readFile(path.join(root, rel), 'utf8');
    } catch {
      current = null;
    }
    set.propose({ path: rel, current, proposed: content });
    set.approveFile(rel);
  }
  const results = await applyDecided(set, { guard: new PathGuard(root), ...checkpoint.hooks() });
  expect(results.every((r) => r.status === 'applied')).toBe(true);
  return checkpoint;
}

describe('checkpoints', () => {
  it('restores modified files and deletes created files and folders', async () => {
    await writeFile(path.join(root, 'keep.sh'), 'echo original\n');
    await chmod(path.join(root, 'keep.sh'), 0o755);
    await mkdir(path.join(root, 'src'));
    await writeFile(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
    await runEdits('run-1', { 'keep.sh': 'echo changed\n', 'src/a.ts': 'export const a = 2;\n', 'src/new/deep/b.ts': 'new\n', 'top.txt': 'created\n' });
    expect(await readFile(path.join(root, 'src/new/deep/b.ts'), 'utf8')).toBe('new\n');

    const report = await restoreCheckpoint({ storeDir: store, runId: 'run-1' });
    expect(report.conflicts).toEqual([]);
    expect(report.restored.sort()).toEqual(['keep.sh', 'src/a.ts']);
    expect(report.deleted.sort()).toEqual(['src/new/deep/b.ts', 'top.txt']);
    expect(await readFile(path.join(root, 'keep.sh'), 'utf8')).toBe('echo original\n');
    expect((await stat(path.join(root, 'keep.sh'))).mode & 0o777).toBe(0o755);
    expect(await readFile(path.join(root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect((await readdir(root)).sort()).toEqual(['keep.sh', 'src']);
    expect(await readdir(path.join(root, 'src'))).toEqual(['a.ts']);
  });

  it('keeps the first original when a run writes a file twice', async () => {
    await writeFile(path.join(root, 'a.txt'), 'v0\n');
    await runEdits('run-2', { 'a.txt': 'v1\n' });
    await runEdits('run-2', { 'a.txt': 'v2\n' });
    await restoreCheckpoint({ storeDir: store, runId: 'run-2' });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('v0\n');
  });

  it('refuses to restore over a later user edit, changing nothing, unless forced', async () => {
    await writeFile(path.join(root, 'a.txt'), 'orig\n');
    await writeFile(path.join(root, 'b.txt'), 'orig b\n');
    await runEdits('run-3', { 'a.txt': 'agent\n', 'b.txt': 'agent b\n' });
    await writeFile(path.join(root, 'a.txt'), 'user\n');
    const report = await restoreCheckpoint({ storeDir: store, runId: 'run-3' });
    expect(report.conflicts).toEqual([{ path: 'a.txt', reason: 'changed after the run wrote it' }]);
    expect(report.restored).toEqual([]);
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('agent b\n');
    const forced = await restoreCheckpoint({ storeDir: store, runId: 'run-3', force: true });
    expect(forced.restored.sort()).toEqual(['a.txt', 'b.txt']);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('orig\n');
  });

  it('stores originals outside the workspace and lists checkpoints', async () => {
    await writeFile(path.join(root, 'a.txt'), 'x\n');
    await runEdits('run-4', { 'a.txt': 'y\n' });
    expect(await readdir(root)).toEqual(['a.txt']);
    const list = await listCheckpoints(store);
    expect(list.map((m) => [m.runId, m.files.map((f) => f.path)])).toEqual([['run-4', ['a.txt']]]);
  });

  it('continues a resumed run\u2019s checkpoint and refuses the same run id for another workspace', async () => {
    await writeFile(path.join(root, 'a.txt'), 'x\n');
    await runEdits('run-6', { 'a.txt': 'y\n' });
    const again = await Checkpoint.open({ storeDir: store, runId: 'run-6', root });
    expect(again.files().map((f) => f.path)).toEqual(['a.txt']);
    await expect(Checkpoint.open({ storeDir: store, runId: 'run-6', root: tmpdir() })).rejects.toThrow(/another workspace/);
  });

  it('rejects run ids that could leave the store, and unknown runs', async () => {
    await expect(Checkpoint.open({ storeDir: store, runId: '../evil', root })).rejects.toThrow(CheckpointError);
    await expect(restoreCheckpoint({ storeDir: store, runId: 'nope' })).rejects.toThrow(/no checkpoint for run nope/);
  });

  it('does not follow a tampered manifest outside the workspace', async () => {
    await writeFile(path.join(root, 'a.txt'), 'x\n');
    await runEdits('run-5', { 'a.txt': 'y\n' });
    const manifestPath = path.join(store, 'run-5', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.files[0].path = '../outside.txt';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const report = await restoreCheckpoint({ storeDir: store, runId: 'run-5' });
    expect(report.conflicts[0]?.reason).toMatch(/outside the workspace/);
    await expect(stat(path.join(path.dirname(root), 'outside.txt'))).rejects.toThrow();
  });
});
