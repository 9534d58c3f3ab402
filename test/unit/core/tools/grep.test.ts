import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createGrepTool } from '../../../../src/core/tools/grep';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { JsSearcher } from '../../../../src/core/tools/search/jsSearcher';
import { compileSearchPattern, createGlobFilter } from '../../../../src/core/tools/search/textSearcher';
import { tempDir, toolContext } from '../../../support/fixtures';

let base: string;
let root: string;
let registry: ToolRegistry;
const ctx = toolContext();

async function put(rel: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

async function grep(args: Record<string, unknown>, reg = registry) {
  return reg.call('grep', JSON.stringify(args), ctx);
}

function matchedPaths(content: string): string[] {
  return [...new Set(content.split('\n').filter((l) => !l.startsWith('[')).map((l) => l.split(':')[0] ?? ''))];
}

beforeAll(async () => {
  base = await realpath(await tempDir('grep-'));
  root = path.join(base, 'ws');
  await mkdir(root);
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside', 'secret.ts'), 'const needle = "outside";\n');
  await put('.gitignore', '*.log\n/generated/\n!keep.log\n');
  await put('src/app.ts', 'import x from "y";\nconst needle = 1;\n// Needle in caps\n');
  await put('src/util.js', 'function needle() {}\n');
  await put('src/deep/inner.ts', 'export const needle = 2;\n');
  await put('src/deep/.gitignore', 'secret*.ts\n');
  await put('src/deep/secret-config.ts', 'needle hidden by nested gitignore\n');
  await put('debug.log', 'needle in a log\n');
  await put('keep.log', 'needle kept by negation\n');
  await put('generated/out.ts', 'needle generated\n');
  await put('node_modules/lib/index.js', 'needle in dependency\n');
  await put('dist/bundle.js', 'needle in dist\n');
  await put('.venv/lib/site.py', 'needle\n');
  await put('pkg/__pycache__/m.pyc', 'needle\n');
  await put('.github/workflows/ci.yml', 'run: needle\n');
  await put('bin/tool.bin', Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2, 3])]));
  await put('many.txt', Array.from({ length: 80 }, (_, i) => `hay needle ${i + 1}`).join('\n') + '\n');
  await put('long.txt', `needle ${'z'.repeat(2000)}\n`);
  await symlink(path.join(base, 'outside'), path.join(root, 'outLink'));
  registry = new ToolRegistry([createGrepTool({ guard: new PathGuard(root), root })]);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('grep tool', () => {
  it('finds matching lines as path:line: text, sorted by path then line', async () => {
    const out = await grep({ pattern: 'needle', path: 'src' });
    expect(out.isError).toBe(false);
    expect(out.content.split('\n')).toEqual([
      'src/app.ts:2: const needle = 1;',
      'src/deep/inner.ts:1: export const needle = 2;',
      'src/util.js:1: function needle() {}',
    ]);
  });

  it('skips fixed folders, gitignored files (nested rules and negation), binaries and symlinks', async () => {
    const big = new ToolRegistry([createGrepTool({ guard: new PathGuard(root), root, maxMatches: 500 })]);
    const paths = matchedPaths((await grep({ pattern: 'needle' }, big)).content);
    expect(paths.sort()).toEqual(['.github/workflows/ci.yml', 'keep.log', 'long.txt', 'many.txt', 'src/app.ts', 'src/deep/inner.ts', 'src/util.js']);
  });

  it('caps at 50 matching lines and says how many more there are', async () => {
    const out = await grep({ pattern: 'hay needle' });
    const lines = out.content.split('\n');
    expect(lines.filter((l) => l.startsWith('many.txt:')).length).toBe(50);
    expect(lines[49]).toBe('many.txt:50: hay needle 50');
    expect(out.content).toContain('Showing the first 50 of 80 matching lines; 30 more not shown');
  });

  it('honours a configured cap', async () => {
    const reg = new ToolRegistry([createGrepTool({ guard: new PathGuard(root), root, maxMatches: 3 })]);
    const out = await grep({ pattern: 'needle', path: 'src' }, reg);
    expect(out.content.split('\n')).toHaveLength(3);
    expect(out.content).not.toContain('more not shown');
    const out2 = await grep({ pattern: 'hay' }, reg);
    expect(out2.content).toContain('77 more not shown');
  });

  it('filters by file-name glob and by path glob', async () => {
    expect(matchedPaths((await grep({ pattern: 'needle', glob: '*.ts' })).content)).toEqual(['src/app.ts', 'src/deep/inner.ts']);
    expect(matchedPaths((await grep({ pattern: 'needle', glob: 'src/deep/**' })).content)).toEqual(['src/deep/inner.ts']);
    expect(matchedPaths((await grep({ pattern: 'needle', glob: '*.{js,yml}' })).content)).toEqual(['.github/workflows/ci.yml', 'src/util.js']);
  });

  it('ignores case with a leading (?i)', async () => {
    const out = await grep({ pattern: '(?i)^// NEEDLE', path: 'src' });
    expect(out.content).toBe('src/app.ts:3: // Needle in caps');
  });

  it('cuts very long matched lines', async () => {
    const out = await grep({ pattern: 'needle', path: 'long.txt' });
    expect(out.content.length).toBeLessThan(500);
    expect(out.content.endsWith('…')).toBe(true);
  });

  it('searches an explicitly named ignored folder and says so', async () => {
    const out = await grep({ pattern: 'needle', path: 'node_modules' });
    expect(out.content).toContain('node_modules/lib/index.js:1: needle in dependency');
    expect(out.content).toContain('normally skipped');
    const gen = await grep({ pattern: 'needle', path: 'generated' });
    expect(gen.content).toContain('generated/out.ts:1: needle generated');
  });

  it('reports no matches plainly', async () => {
    const out = await grep({ pattern: 'absent-word', glob: '*.ts' });
    expect(out.isError).toBe(false);
    expect(out.content).toBe('No matches for absent-word in the workspace (files matching *.ts).');
  });

  it('returns an error the model can fix for a bad pattern', async () => {
    const out = await grep({ pattern: 'needle(' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/not a valid regular expression/);
  });

  it('refuses paths outside the workspace, through links too', async () => {
    expect((await grep({ pattern: 'needle', path: '..' })).isError).toBe(true);
    const viaLink = await grep({ pattern: 'needle', path: 'outLink' });
    expect(viaLink.isError).toBe(true);
    expect(viaLink.content).toMatch(/symbolic link/);
  });

  it('refuses to search a binary file named explicitly', async () => {
    const out = await grep({ pattern: 'needle', path: 'bin/tool.bin' });
    expect(out.content).toMatch(/binary file/);
  });

  it('errors on a missing path', async () => {
    const out = await grep({ pattern: 'needle', path: 'nope' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/does not exist/);
  });
});

describe('search helpers', () => {
  it('compiles (?i) into a flag and accepts legacy-only escapes', () => {
    expect(compileSearchPattern('(?i)abc')).toMatchObject({ source: 'abc', caseInsensitive: true });
    expect(compileSearchPattern('a\\-b').regex.test('a-b')).toBe(true);
    expect(() => compileSearchPattern('[')).toThrow(/not a valid regular expression/);
  });

  it('matches globs on names at any depth or on whole paths', () => {
    const byName = createGlobFilter('*.ts');
    expect(byName?.('a/b/c.ts')).toBe(true);
    expect(byName?.('a/b/c.tsx')).toBe(false);
    const byPath = createGlobFilter('./src/*.ts');
    expect(byPath?.('src/a.ts')).toBe(true);
    expect(byPath?.('src/x/a.ts')).toBe(false);
    expect(createGlobFilter('  ')).toBeUndefined();
  });

  it('the JS searcher stops early when aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(
      new JsSearcher().search({ root, start: root, pattern: 'needle', caseInsensitive: false, respectGitignore: true, maxMatches: 5, signal: ac.signal }),
    ).rejects.toThrow('stop');
  });
});
