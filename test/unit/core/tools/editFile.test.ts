import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { Checkpoint, restoreCheckpoint } from '../../../../src/core/edits/checkpoint';
import { createEditTools } from '../../../../src/core/edits/editTools';
import type { ChangeReviewer } from '../../../../src/core/edits/proposals';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { tempDir, toolContext } from '../../../support/fixtures';

let root: string;
let outside: string;
const ctx = toolContext({ runId: 'r1', callId: 'c1' });

beforeEach(async () => {
  root = await tempDir('ah-edit-');
  outside = await tempDir('ah-edit-out-');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function setup(opts: { autoApprove?: (p: string) => boolean; reviewer?: ChangeReviewer } = {}) {
  const changeSet = new ChangeSet();
  const registry = new ToolRegistry([...createEditTools({ root, changeSet, ...opts })]);
  const edit = (args: Record<string, unknown>) => registry.call('edit_file', JSON.stringify(args), ctx);
  return { changeSet, registry, edit };
}

const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('edit_file', () => {
  it('proposes without writing and says the edit is pending review', async () => {
    await writeFile(path.join(root, 'a.ts'), 'const a = 1;\n');
    const { changeSet, edit } = setup();
    const out = await edit({ path: 'a.ts', old_string: 'const a = 1;', new_string: 'const a = 2;' });
    expect(out.isError).toBe(false);
    expect(out.content).toContain('pending review');
    expect(out.filesChanged).toEqual(['a.ts']);
    expect(await readFile(path.join(root, 'a.ts'), 'utf8')).toBe('const a = 1;\n');
    expect(changeSet.get('a.ts')?.proposedContent).toBe('const a = 2;\n');
  });

  it('applies at once when auto-approved', async () => {
    await writeFile(path.join(root, 'a.ts'), 'const a = 1;\n');
    const { edit } = setup({ autoApprove: () => true });
    const out = await edit({ path: 'a.ts', old_string: 'const a = 1;', new_string: 'const a = 2;' });
    expect(out.content).toContain('a.ts: approved and written.');
    expect(await readFile(path.join(root, 'a.ts'), 'utf8')).toBe('const a = 2;\n');
  });

  it('keeps a protected file pending for a human even when edits are auto-approved', async () => {
    const { changeSet, edit } = setup({ autoApprove: () => true });
    const out = await edit({ path: '.vscode/tasks.json', old_string: '', new_string: '{}\n' });
    expect(out.content).toMatch(/protected file .*a human must approve it/);
    expect(changeSet.get('.vscode/tasks.json')?.needsHuman).toBe(true);
    await expect(stat(path.join(root, '.vscode'))).rejects.toThrow();
  });

  it('refuses paths outside the workspace with the guard reason', async () => {
    const { edit } = setup();
    const out = await edit({ path: `../${path.basename(outside)}/x.txt`, old_string: '', new_string: 'x' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/outside the workspace/);
  });

  it('returns candidates when old_string is ambiguous, and the closest region when it is missing', async () => {
    await writeFile(path.join(root, 'a.txt'), 'x = 1\ny = 2\nx = 1\n');
    const { edit } = setup();
    const amb = await edit({ path: 'a.txt', old_string: 'x = 1', new_string: 'x = 9' });
    expect(amb.isError).toBe(true);
    expect(amb.content).toContain('line 1: x = 1');
    expect(amb.content).toContain('line 3: x = 1');
    const miss = await edit({ path: 'a.txt', old_string: 'y = 3', new_string: 'y = 4' });
    expect(miss.isError).toBe(true);
    expect(miss.content).toContain('2\ty = 2');
  });

  it('stacks two edits of one file on the proposal', async () => {
    await writeFile(path.join(root, 'a.txt'), 'one\ntwo\n');
    const { changeSet, edit } = setup();
    await edit({ path: 'a.txt', old_string: 'one', new_string: 'ONE' });
    const out = await edit({ path: 'a.txt', old_string: 'two', new_string: 'TWO' });
    expect(out.content).toContain('2 edits stacked');
    expect(changeSet.get('a.txt')).toMatchObject({ originalContent: 'one\ntwo\n', proposedContent: 'ONE\nTWO\n' });
  });

  it('creates a new file from an empty old_string and refuses a non-empty one on a missing file', async () => {
    const { changeSet, edit } = setup();
    const missing = await edit({ path: 'new.txt', old_string: 'x', new_string: 'y' });
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain('does not exist');
    await edit({ path: 'src/new.txt', old_string: '', new_string: 'hello\n' });
    expect(changeSet.get('src/new.txt')).toMatchObject({ originalContent: null, proposedContent: 'hello\n' });
  });

  it('refuses binary files', async () => {
    await writeFile(path.join(root, 'b.bin'), Buffer.from([1, 0, 2]));
    const { edit } = setup();
    const out = await edit({ path: 'b.bin', old_string: 'a', new_string: 'b' });
    expect(out.isError).toBe(true);
    expect(out.content).toContain('binary');
  });

  it('with an inline reviewer, returns the decision: one hunk written, the rejected one quoted with its reason', async () => {
    const original = numbered(30);
    await writeFile(path.join(root, 'l.txt'), original);
    const reviewer: ChangeReviewer = async () => [{ path: 'l.txt', decision: 'hunks', hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'leave 25 alone' }] }];
    const { registry } = setup({ reviewer });
    const out = await registry.call('write_file', JSON.stringify({ path: 'l.txt', content: original.replace('line 2\n', 'line two\n').replace('line 25\n', 'line 25!\n') }), ctx);
    expect(out.content).toContain('partially written: 1 of 2 hunks approved');
    expect(out.content).toContain('(reason: leave 25 alone)');
    expect(out.content).toContain('-line 25');
    expect(await readFile(path.join(root, 'l.txt'), 'utf8')).toBe(original.replace('line 2\n', 'line two\n'));
  });

  it('keeps CRLF and BOM of the file through a tolerant edit', async () => {
    await mkdir(path.join(root, 'w'));
    await writeFile(path.join(root, 'w/win.txt'), '\uFEFFalpha  \r\nbeta\r\n');
    const { changeSet, edit } = setup();
    const out = await edit({ path: 'w/win.txt', old_string: 'alpha\nbeta\n', new_string: 'alpha\ngamma\n' });
    expect(out.content).toContain('line-trimmed');
    expect(changeSet.get('w/win.txt')?.proposedContent).toBe('\uFEFFalpha\r\ngamma\r\n');
  });

  it('records a checkpoint before an auto-approved write, so the run can be undone', async () => {
    await writeFile(path.join(root, 'a.txt'), 'before\n');
    const checkpoint = await Checkpoint.open({ storeDir: outside, runId: 'run-x', root });
    const changeSet = new ChangeSet();
    const registry = new ToolRegistry([...createEditTools({ root, changeSet, autoApprove: () => true, applyHooks: checkpoint.hooks() })]);
    await registry.call('edit_file', JSON.stringify({ path: 'a.txt', old_string: 'before', new_string: 'after' }), ctx);
    await registry.call('write_file', JSON.stringify({ path: 'made/new.txt', content: 'new\n' }), ctx);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('after\n');
    const report = await restoreCheckpoint({ storeDir: outside, runId: 'run-x' });
    expect(report).toMatchObject({ restored: ['a.txt'], deleted: ['made/new.txt'], conflicts: [] });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('before\n');
    await expect(stat(path.join(root, 'made'))).rejects.toThrow();
  });
});
