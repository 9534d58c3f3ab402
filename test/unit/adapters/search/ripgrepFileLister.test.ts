import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildFilesArgs } from '../../../../src/adapters/search/ripgrepArgs';
import { RipgrepFileLister } from '../../../../src/adapters/search/ripgrepFileLister';
import { createFileLister } from '../../../../src/adapters/search/ripgrepLocator';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createFindFilesTool } from '../../../../src/core/tools/findFiles';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { JsFileLister, type FileListRequest, type FileLister } from '../../../../src/core/tools/search/fileLister';
import { setUpRipgrepFixture } from './searchTree';
import { toolContext } from '../../../support/fixtures';

let base: string;
let root: string;
let rgPath: string;

beforeAll(async () => {
  ({ base, root, rgPath } = await setUpRipgrepFixture('rgfiles-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const failingLister: FileLister = {
  engine: 'failing',
  listFiles: () => Promise.reject(new Error('the fallback was used where rg should have answered')),
};

function request(over: Partial<FileListRequest>): FileListRequest {
  return { root, start: root, respectGitignore: true, ...over };
}

describe('rg --files and the JS walker list the same files', () => {
  const cases: Array<[string, Partial<FileListRequest>]> = [
    ['whole tree', {}],
    ['name glob', { glob: '*.ts' }],
    ['brace glob', { glob: '*.{log,json,yml}' }],
    ['path glob', { glob: 'src/**' }],
    ['sub folder with rules from above', { start: 'src/deep' }],
    ['nested repository', { start: 'sub' }],
    ['explicit ignored folder', { start: 'node_modules', respectGitignore: false }],
  ];
  for (const [name, over] of cases) {
    it(name, async () => {
      const req = request({ ...over, start: over.start ? path.join(root, over.start) : root });
      const js = await new JsFileLister().listFiles(req);
      const rg = await new RipgrepFileLister(rgPath, { fallback: failingLister }).listFiles(req);
      expect(rg).toEqual(js);
    });
  }

  it('lists what it should (the comparison is not vacuous)', async () => {
    const rg = await new RipgrepFileLister(rgPath, { fallback: failingLister }).listFiles(request({ start: path.join(root, 'src') }));
    const all = ['src/.gitignore', 'src/app.ts', 'src/cache/b.txt', 'src/deep/.gitignore', 'src/deep/inner.ts', 'src/deep/secret-ok.ts', 'src/util.js'];
    expect(rg).toEqual({ paths: all, total: 7 });
    // With a limit: the first paths in order, and the total of all.
    const first = await new RipgrepFileLister(rgPath, { fallback: failingLister }).listFiles(request({ start: path.join(root, 'src') }), 1);
    expect(first).toEqual({ paths: ['src/.gitignore'], total: 7 });
  });

  it('falls back to the JS walker when rg cannot run', async () => {
    const files = await new RipgrepFileLister(path.join(base, 'no-rg')).listFiles(request({ glob: '*.yml' }));
    expect(files).toEqual({ paths: ['.github/workflows/ci.yml'], total: 1 });
  });

  it('builds a NUL-separated --files argv with the tree rules', () => {
    const args = buildFilesArgs(request({ glob: '*.ts', start: path.join(root, 'src') }));
    expect(args.slice(0, 2)).toEqual(['--files', '--null']);
    expect(args).toEqual(expect.arrayContaining(['--no-ignore-parent', '!{node_modules,.venv,venv,__pycache__,.tox,dist,build}/', 'harnessglob:*.ts']));
    expect(args.slice(-2)).toEqual(['--', 'src']);
  });

  it('find_files gives the same text with either lister', async () => {
    const guard = new PathGuard(root);
    const ctx = toolContext();
    // Path globs get prune rules and a name filter in rg (globPrefilter.ts): every kind of segment,
    // anchored and nested .gitignore rules, negations, skipped and explicitly named folders.
    const PATTERNS = ['*.ts', 'src/**/*.ts', '*.log', 'node_modules/**', '*.nothing', 'src/*.ts', 'src/deep/*.ts', 'src/*/*.ts', 'src/de*/**', 'src/d?ep/secret*.ts',
      'src/[cd]*/*', '**/*.json', 'src/**', 'src/*', 'packages/*/node_modules/*.js', 'src/deep/cache/*.json', 'lib/*/out.ts', 'generated/*.ts', '*/deep/*.ts', 'sub/*.log',
      'src/{deep,cache}/*', '.github/**/*.yml', 'src/deep/**/x.ts', 'src/deep/local-only/*.ts', 'tmp/*.ts', '*/*.ts', 'src/**/inner.ts', 'src/**/deep/*.ts', 'outLink/*.ts'];
    let nonEmpty = 0;
    for (const pattern of PATTERNS) {
      const viaRg = await new ToolRegistry([createFindFilesTool({ guard, root, lister: new RipgrepFileLister(rgPath, { fallback: failingLister }) })]).call('find_files', JSON.stringify({ pattern }), ctx);
      const viaJs = await new ToolRegistry([createFindFilesTool({ guard, root, lister: new JsFileLister() })]).call('find_files', JSON.stringify({ pattern }), ctx);
      expect(viaRg.content, pattern).toBe(viaJs.content);
      if (!viaJs.content.startsWith('No files')) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(PATTERNS.length / 2);
  });

  it('createFileLister picks rg when it is found', async () => {
    expect((await createFileLister({ rgPath })).engine).toBe('ripgrep');
    expect((await createFileLister({ envPath: path.join(base, 'empty') })).engine).toBe('js');
  });
});
