import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTextSearcher, locateRipgrep, vscodeRipgrepCandidates } from '../../../../src/adapters/search/ripgrepLocator';
import { CountParser, MAX_COLUMNS, buildLinesArgs, buildTreeArgs, parseMatchLine, rgPathToRelative } from '../../../../src/adapters/search/ripgrepArgs';
import { RipgrepSearcher, SINGLE_PASS_LIMIT, batchByLength } from '../../../../src/adapters/search/ripgrepSearcher';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createGrepTool } from '../../../../src/core/tools/grep';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { rebasePattern } from '../../../../src/core/tools/search/ignoreRules';
import { JsSearcher } from '../../../../src/core/tools/search/jsSearcher';
import type { TextSearchRequest, TextSearcher } from '../../../../src/core/tools/search/textSearcher';
import { put, setUpRipgrepFixture } from './searchTree';
import { tempDir, toolContext } from '../../../support/fixtures';

let base: string;
let root: string;
let rgPath: string;

beforeAll(async () => {
  ({ base, root, rgPath } = await setUpRipgrepFixture('rgsearch-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function request(over: Partial<TextSearchRequest>): TextSearchRequest {
  return { root, start: root, pattern: 'needle', caseInsensitive: false, respectGitignore: true, maxMatches: 1000, ...over };
}

describe('ripgrep and JS searchers agree', () => {
  const cases: Array<[string, Partial<TextSearchRequest>]> = [
    ['whole tree', {}],
    ['case-insensitive', { caseInsensitive: true }],
    ['anchored pattern with a class', { pattern: '^[a-z]+ needle' }],
    ['end anchor does not match before CR', { pattern: 'crlf$' }],
    ['alternation', { pattern: 'dependency|dist|dotfile' }],
    ['name glob', { glob: '*.ts' }],
    ['brace glob', { glob: '*.{js,json,yml}' }],
    ['path glob', { glob: 'src/**/*.ts' }],
    ['sub folder', { start: 'src' }],
    ['nested gitignore folder, with rules from the levels above', { start: 'src/deep' }],
    ['rules from the root only', { start: 'src/deep/cache' }],
    ['nested repository', { start: 'sub' }],
    ['explicit ignored folder', { start: 'node_modules', respectGitignore: false }],
    ['explicit gitignored folder', { start: 'generated', respectGitignore: false }],
    ['single file', { start: 'src/app.ts' }],
    ['no matches', { pattern: 'zzz-not-there' }],
    ['cap with a total', { pattern: 'hay', maxMatches: 7 }],
  ];
  for (const [name, over] of cases) {
    it(name, async () => {
      const req = request({ ...over, start: over.start ? path.join(root, over.start) : root });
      const js = await new JsSearcher().search(req);
      // Once with the single --json pass, once forced onto the count-then-lines strategy.
      for (const singlePassLimit of [SINGLE_PASS_LIMIT, 0]) {
        const rg = await new RipgrepSearcher(rgPath, { fallback: failingSearcher, singlePassLimit }).search(req);
        expect(rg.engine).toBe('ripgrep');
        expect(rg.matches).toEqual(js.matches);
        expect(rg.total).toBe(js.total);
      }
    });
  }

  it('really skips what it should (the comparison is not vacuous)', async () => {
    const rg = await new RipgrepSearcher(rgPath, { fallback: failingSearcher }).search(request({}));
    const paths = [...new Set(rg.matches.map((m) => m.path))].sort();
    expect(paths).toEqual([
      '.github/workflows/ci.yml',
      '.hidden.ts',
      'build',
      'keep.log',
      'lib/generated/out.ts',
      'many.txt',
      'nonl.txt',
      'src/app.ts',
      'src/cache/b.txt',
      'src/deep/inner.ts',
      'src/deep/secret-ok.ts',
      'src/util.js',
      'sub/debug.log',
      'unicode.md',
      'utf16.txt',
    ]);
    expect(rg.total).toBe(rg.matches.length);
  });

  it('applies the rules of the levels above a sub-folder start (rg through a rebased ignore file)', async () => {
    const req = request({ start: path.join(root, 'src', 'deep') });
    for (const singlePassLimit of [SINGLE_PASS_LIMIT, 0]) {
      const rg = await new RipgrepSearcher(rgPath, { fallback: failingSearcher, singlePassLimit }).search(req);
      expect(rg.matches.map((m) => m.path)).toEqual(['src/deep/inner.ts', 'src/deep/secret-ok.ts']);
    }
  });

  it('switches strategy past the single-pass limit and still counts every match', async () => {
    // A wrapper that logs each argv shows which passes ran.
    const log = path.join(base, 'rg-calls.log');
    const wrapper = path.join(base, 'rg-logging.sh');
    await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${rgPath}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const few = await new RipgrepSearcher(wrapper, { fallback: failingSearcher, singlePassLimit: 10 }).search(request({ pattern: 'kept by' }));
    expect(few.total).toBe(1);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toHaveLength(1);
    await rm(log);
    const res = await new RipgrepSearcher(wrapper, { fallback: failingSearcher, singlePassLimit: 10 }).search(request({ pattern: 'hay', maxMatches: 5 }));
    expect(res.total).toBe(120);
    expect(res.matches.map((m) => m.line)).toEqual([1, 2, 3, 4, 5]);
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['--no-heading', '--count', '--no-heading']);
  });

  it('a huge one-line file costs one bounded line of output, not a record per match', async () => {
    const dir = await tempDir('rg-long-');
    try {
      await writeFile(path.join(dir, 'bundle.min.js'), `${'a'.repeat(5_000_000)}\n`);
      const started = performance.now();
      const res = await new RipgrepSearcher(rgPath, { fallback: failingSearcher }).search({ ...request({ pattern: 'a' }), root: dir, start: dir });
      const ms = performance.now() - started;
      expect(res.total).toBe(1);
      expect(res.matches[0]).toMatchObject({ path: 'bundle.min.js', line: 1 });
      expect(res.matches[0]!.text.length).toBeLessThanOrEqual(401);
      // 5 MB of JSON submatch records took seconds and hundreds of MB; this is one line of output.
      expect(ms).toBeLessThan(5_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never searches files of credentials', async () => {
    const dir = await tempDir('rg-secret-');
    try {
      await writeFile(path.join(dir, '.env'), 'API_TOKEN=needle-secret\n');
      await writeFile(path.join(dir, '.env.local'), 'needle\n');
      await writeFile(path.join(dir, 'key.pem'), 'needle\n');
      await writeFile(path.join(dir, 'app.ts'), 'needle\n');
      for (const searcher of [new RipgrepSearcher(rgPath, { fallback: failingSearcher }), new JsSearcher()]) {
        const res = await searcher.search({ ...request({ pattern: 'needle' }), root: dir, start: dir });
        expect(res.matches.map((m) => m.path), searcher.engine).toEqual(['app.ts']);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const failingSearcher: TextSearcher = {
  engine: 'failing',
  search: () => Promise.reject(new Error('the fallback was used where rg should have answered')),
};

describe('RipgrepSearcher fallback', () => {
  it('falls back to JS when rg cannot be started', async () => {
    const res = await new RipgrepSearcher(path.join(base, 'no-such-rg')).search(request({ pattern: 'kept by' }));
    expect(res.engine).toBe('js');
    expect(res.matches).toEqual([{ path: 'keep.log', line: 1, text: 'needle kept by negation' }]);
  });

  it('falls back to JS for a pattern rg rejects (lookbehind)', async () => {
    const req = request({ pattern: '(?<=const )needle' });
    const res = await new RipgrepSearcher(rgPath).search(req);
    expect(res.engine).toBe('js');
    expect(res.matches.map((m) => m.path)).toEqual(['src/app.ts', 'src/deep/inner.ts']);
  });

  it('rejects with the abort reason when cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(new RipgrepSearcher(rgPath).search(request({ signal: ac.signal }))).rejects.toThrow('cancelled');
  });
});

describe('ripgrep argv and output parsing', () => {
  it('passes the pattern and path as separate arguments after --regexp and --', () => {
    const args = buildTreeArgs(request({ pattern: '-rf; $(touch x)', start: path.join(root, 'src'), glob: '*.ts' }), 'count', '/tmp/x.ignore');
    expect(args.slice(-4)).toEqual(['--regexp', '-rf; $(touch x)', '--', 'src']);
    expect(args).toEqual(expect.arrayContaining(['--count', '--null', '--with-filename', '--no-require-git', '--no-ignore-parent', '!{node_modules,.venv,venv,__pycache__,.tox,dist,build}/', '!.git', 'harnessglob:*.ts']));
    expect(args[args.indexOf('--ignore-file') + 1]).toBe('/tmp/x.ignore');
    expect(args).not.toContain('--no-ignore-vcs');
    expect(buildTreeArgs(request({ respectGitignore: false }), 'lines')).toContain('--no-ignore-vcs');
    // A path glob's last segment is a necessary condition on the name: rg filters by it, the JS matcher decides.
    expect(buildTreeArgs(request({ glob: 'src/*.ts' }), 'lines')).toContain('harnessglob:*.ts');
    expect(buildTreeArgs(request({ glob: 'src/**' }), 'lines')).not.toContain('--type-add');
    // Files of credentials are left out of every tree search.
    expect(buildTreeArgs(request({}), 'lines')).toEqual(expect.arrayContaining(['--glob=!.env', '--glob=!.env.*', '--glob=!*.pem']));
    const lines = buildLinesArgs(request({ maxMatches: 50, caseInsensitive: true }), ['./a b.ts', '-odd.ts']);
    expect(lines.slice(-9)).toEqual(['--no-config', '--max-count', '50', '--ignore-case', '--regexp', 'needle', '--', './a b.ts', '-odd.ts']);
    expect(lines).toEqual(expect.arrayContaining(['--null', '--line-number', '--max-columns', String(MAX_COLUMNS), '--max-columns-preview']));
  });

  it('splits long file lists into command lines under a budget, keeping order', () => {
    expect(batchByLength(['aaaa', 'bbbb', 'cc', 'dddddddddd', 'e'], 10)).toEqual([['aaaa', 'bbbb'], ['cc'], ['dddddddddd'], ['e']]);
    expect(batchByLength([], 10)).toEqual([]);
  });

  it('reads --count --null output split anywhere, names with colons and newlines included', () => {
    const seen: Array<[string, number]> = [];
    const parser = new CountParser((p, n) => seen.push([p, n]));
    const stream = './a:b.ts\u00003\n./new\nline.ts\u000012\n./c.ts\u00001\n';
    for (let i = 0; i < stream.length; i += 5) parser.push(stream.slice(i, i + 5));
    expect(seen).toEqual([['./a:b.ts', 3], ['./new\nline.ts', 12], ['./c.ts', 1]]);
    expect(rgPathToRelative('./src/a.ts', root)).toBe('src/a.ts');
    expect(rgPathToRelative('src/a.ts', root)).toBe('src/a.ts');
    expect(rgPathToRelative(path.join(root, 'x', 'y.ts'), root)).toBe('x/y.ts');
  });

  it('parses path, NUL, line number and text into workspace-relative matches; other lines are not matches', () => {
    expect(parseMatchLine('./src/a.ts\u00003:hello: world', root)).toEqual({ path: 'src/a.ts', line: 3, text: 'hello: world' });
    expect(parseMatchLine('./odd:12:name.ts\u00001:x\r', root)).toEqual({ path: 'odd:12:name.ts', line: 1, text: 'x' });
    expect(parseMatchLine('bin.dat: binary file matches (found "\\0" byte around offset 3)', root)).toBeUndefined();
    expect(parseMatchLine('./a.ts\u0000no number', root)).toBeUndefined();
  });
});

describe('rebasing .gitignore patterns onto the root', () => {
  it('anchors patterns with a slash and lets the others match at any depth', () => {
    expect(rebasePattern('*.log', 'src')).toBe('src/**/*.log');
    expect(rebasePattern('/gen', 'src')).toBe('src/gen');
    expect(rebasePattern('a/b/', 'src')).toBe('src/a/b/');
    expect(rebasePattern('cache/', 'src/x')).toBe('src/x/**/cache/');
    expect(rebasePattern('!keep.log', 'src')).toBe('!src/**/keep.log');
    expect(rebasePattern('**/tmp', 'src')).toBe('src/**/tmp');
  });
});

describe('locating ripgrep', () => {
  it('prefers a configured path, then VS Code, then PATH', async () => {
    const appRoot = path.join(base, 'vscode-app');
    const bundled = vscodeRipgrepCandidates(appRoot, 'linux', 'x64')[2] ?? '';
    expect(bundled).toBe(path.join(appRoot, 'lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'));
    await put(path.relative(base, bundled), '#!/bin/sh\n', base);
    await chmod(bundled, 0o755);
    const binDir = path.join(base, 'pathbin');
    await put('pathbin/rg', '#!/bin/sh\n', base);
    await chmod(path.join(binDir, 'rg'), 0o755);

    expect(await locateRipgrep({ rgPath: bundled, envPath: binDir, platform: 'linux', arch: 'x64' })).toEqual({ path: bundled, source: 'configured' });
    expect(await locateRipgrep({ vscodeAppRoot: appRoot, envPath: binDir, platform: 'linux', arch: 'x64' })).toEqual({ path: bundled, source: 'vscode' });
    expect(await locateRipgrep({ vscodeAppRoot: path.join(base, 'nothing'), envPath: `relative:${binDir}`, platform: 'linux', arch: 'x64' })).toEqual({
      path: path.join(binDir, 'rg'),
      source: 'path',
    });
    expect(await locateRipgrep({ rgPath: path.join(base, 'missing'), envPath: path.join(base, 'empty'), platform: 'linux', arch: 'x64' })).toBeUndefined();
  });

  it('lists the old VS Code layouts too', () => {
    const c = vscodeRipgrepCandidates('/app', 'linux', 'x64');
    expect(c).toContain(path.join('/app', 'node_modules/@vscode/ripgrep/bin/rg'));
    expect(c).toContain(path.join('/app', 'node_modules.asar.unpacked/@vscode/ripgrep/bin/rg'));
  });

  it('ignores a non-executable file', async () => {
    await put('noexec/rg', 'not a program', base);
    await chmod(path.join(base, 'noexec', 'rg'), 0o644);
    expect(await locateRipgrep({ envPath: path.join(base, 'noexec'), platform: 'linux', arch: 'x64' })).toBeUndefined();
  });

  it('builds the JS searcher when no rg exists, and rg otherwise', async () => {
    expect((await createTextSearcher({ envPath: path.join(base, 'empty') })).engine).toBe('js');
    expect((await createTextSearcher({ rgPath })).engine).toBe('ripgrep');
  });

  it('the grep tool gives the same text with either searcher', async () => {
    const guard = new PathGuard(root);
    const ctx = toolContext();
    for (const args of [{ pattern: 'needle' }, { pattern: 'hay \\d+$', glob: '*.txt' }, { pattern: 'needle', path: 'src' }]) {
      const viaRg = await new ToolRegistry([createGrepTool({ guard, root, searcher: new RipgrepSearcher(rgPath, { fallback: failingSearcher }) })]).call('grep', JSON.stringify(args), ctx);
      const viaJs = await new ToolRegistry([createGrepTool({ guard, root, searcher: new JsSearcher() })]).call('grep', JSON.stringify(args), ctx);
      expect(viaRg.content).toBe(viaJs.content);
      expect(viaRg.isError).toBe(false);
    }
  });
});
