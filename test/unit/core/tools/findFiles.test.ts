import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createFindFilesTool } from '../../../../src/core/tools/findFiles';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { makeToolWorkspace } from './toolWorkspace';
import { toolContext } from '../../../support/fixtures';

let base: string;
let root: string;
let registry: ToolRegistry;
const ctx = toolContext();

async function find(pattern: string, reg = registry) {
  return reg.call('find_files', JSON.stringify({ pattern }), ctx);
}

beforeAll(async () => {
  const ws = await makeToolWorkspace('findfiles-');
  ({ base, root } = ws);
  await writeFile(path.join(base, 'outside', 'secret.ts'), 'x');
  for (const f of [
    'package.json',
    'src/index.ts',
    'src/core/a.ts',
    'src/core/a.test.ts',
    'src/core/b.tsx',
    'src/generated/g.ts',
    'test/x.test.ts',
    '.github/workflows/ci.yml',
    'node_modules/lib/index.ts',
    'dist/index.js',
    'build/out.ts',
    '.venv/x.py',
    'app.log',
    'keep.log',
  ]) {
    await ws.put(f);
  }
  await ws.put('.gitignore', '*.log\n!keep.log\n');
  await ws.put('src/.gitignore', 'generated/\n');
  registry = new ToolRegistry([createFindFilesTool({ guard: new PathGuard(root), root })]);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('find_files', () => {
  it('matches a name glob at any depth, sorted, skipping ignored and fixed folders and links', async () => {
    const out = await find('*.ts');
    expect(out.content.split('\n')).toEqual(['src/core/a.test.ts', 'src/core/a.ts', 'src/index.ts', 'test/x.test.ts']);
  });

  it('matches whole paths when the glob has a slash', async () => {
    expect((await find('src/**/*.test.ts')).content).toBe('src/core/a.test.ts');
    expect((await find('src/*.ts')).content).toBe('src/index.ts');
    expect((await find('src/core/*.{ts,tsx}')).content.split('\n')).toEqual(['src/core/a.test.ts', 'src/core/a.ts', 'src/core/b.tsx']);
    expect((await find('./package.json')).content).toBe('package.json');
  });

  it('finds dotfiles and honours negated .gitignore rules', async () => {
    expect((await find('*.yml')).content).toBe('.github/workflows/ci.yml');
    expect((await find('*.log')).content).toBe('keep.log');
  });

  it('searches an ignored folder when the pattern names it', async () => {
    expect((await find('node_modules/**/*.ts')).content).toBe('node_modules/lib/index.ts');
    expect((await find('src/generated/*.ts')).content).toBe('src/generated/g.ts');
  });

  it('caps the list and counts the rest', async () => {
    const reg = new ToolRegistry([createFindFilesTool({ guard: new PathGuard(root), root, maxResults: 2 })]);
    const out = await find('*.ts', reg);
    expect(out.content.split('\n')).toEqual(['src/core/a.test.ts', 'src/core/a.ts', '[Showing 2 of 4 files; 2 more not shown. Use a more specific pattern.]']);
  });

  it('says so when nothing matches or the folder does not exist', async () => {
    expect((await find('*.rs')).content).toBe('No files match *.rs.');
    expect((await find('nope/**/*.ts')).content).toMatch(/nope does not exist/);
  });

  it('refuses patterns that leave the workspace', async () => {
    for (const p of ['../**/*.ts', '/etc/*', 'src/../../x/*']) {
      const out = await find(p);
      expect(out.isError, p).toBe(true);
    }
    const viaLink = await find('outLink/*.ts');
    expect(viaLink.isError).toBe(true);
    expect(viaLink.content).toMatch(/symbolic link/);
  });
});
