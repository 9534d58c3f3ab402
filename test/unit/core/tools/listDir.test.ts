import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createListDirTool, formatSize } from '../../../../src/core/tools/listDir';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { makeToolWorkspace } from './toolWorkspace';
import { toolContext } from '../../../support/fixtures';

let base: string;
let root: string;
let registry: ToolRegistry;
const ctx = toolContext();

async function list(p: string, reg = registry) {
  return reg.call('list_dir', JSON.stringify({ path: p }), ctx);
}

beforeAll(async () => {
  const ws = await makeToolWorkspace('listdir-');
  ({ base, root } = ws);
  await ws.put('README.md', 'hello world\n');
  await ws.put('src/index.ts', 'x'.repeat(2048));
  await ws.put('node_modules/lib/index.js');
  await ws.put('.git/HEAD');
  await ws.put('dist/out.js');
  await ws.put('build', 'a file named build is kept\n');
  await ws.put('app.log');
  await ws.put('.gitignore', '*.log\n');
  await ws.put('.vscode/settings.json', '{}');
  registry = new ToolRegistry([createListDirTool({ guard: new PathGuard(root), root })]);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('list_dir', () => {
  it('lists folders with a slash and files with sizes, and counts what it skipped', async () => {
    const out = await list('.');
    expect(out.isError).toBe(false);
    expect(out.content.split('\n')).toEqual([
      '(workspace root)',
      '  .gitignore  (6 B)',
      '  .vscode/',
      '  README.md  (12 B)',
      '  build  (27 B)',
      '  outLink -> (symbolic link)',
      '  src/',
      '[4 entries skipped: ignored by .gitignore or a skipped folder such as node_modules.]',
    ]);
  });

  it('lists a sub-folder', async () => {
    expect((await list('src')).content).toBe('src/\n  index.ts  (2.0 KB)');
  });

  it('lists an ignored folder in full when asked for it by name', async () => {
    const out = await list('node_modules');
    expect(out.content).toContain('  lib/');
    expect(out.content).toContain('listed in full because you named it');
  });

  it('caps the number of entries', async () => {
    const reg = new ToolRegistry([createListDirTool({ guard: new PathGuard(root), root, maxEntries: 2 })]);
    const out = await list('.', reg);
    expect(out.content).toContain('[Showing 2 of 6 entries; 4 more not shown.');
  });

  it('errors on files, missing folders and paths outside the workspace', async () => {
    expect((await list('README.md')).content).toMatch(/is a file, not a folder; use read_file/);
    expect((await list('nope')).content).toMatch(/does not exist/);
    expect((await list('..')).isError).toBe(true);
    const viaLink = await list('outLink');
    expect(viaLink.isError).toBe(true);
    expect(viaLink.content).toMatch(/symbolic link/);
    expect((await list('.git')).isError).toBe(true);
  });

  it('formats sizes', () => {
    expect(formatSize(10)).toBe('10 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
