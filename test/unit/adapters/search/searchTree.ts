import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { locateRipgrep } from '../../../../src/adapters/search/ripgrepLocator';

/** Writes a file (and its folders) under `at`. */
export async function put(rel: string, content: string | Uint8Array, at: string): Promise<void> {
  await mkdir(path.dirname(path.join(at, rel)), { recursive: true });
  await writeFile(path.join(at, rel), content);
}

/**
 * A workspace `<base>/ws` that exercises every walking rule the JS and rg implementations must agree
 * on: .gitignore at several levels with anchored, folder-only and negated rules, skipped folder
 * names, a nested repository, dotfiles, binaries, UTF-16, CRLF, symlinks in and out. The workspace
 * sits in a folder its enclosing repository ignores: its own files must still be found.
 */
export async function buildSearchTree(base: string): Promise<string> {
  const root = path.join(base, 'ws');
  await mkdir(root, { recursive: true });
  await put('secret.ts', 'needle outside\n', path.join(base, 'outside'));
  await put('.gitignore', 'ws\n', base);
  await put('.git/HEAD', 'ref: refs/heads/main\n', base);

  await put('.gitignore', '*.log\n/generated/\n!keep.log\ntmp/\n# comment\n\n**/cache/*.json\n', root);
  await put('src/app.ts', 'const needle = 1;\nNEEDLE upper\nno match here\r\nneedle crlf\r\n', root);
  await put('src/util.js', 'function needle() {}\n', root);
  await put('src/deep/inner.ts', 'export const needle = 2;\n', root);
  await put('src/deep/.gitignore', 'secret*.ts\n!secret-ok.ts\n', root);
  await put('src/deep/secret-config.ts', 'needle hidden by nested gitignore\n', root);
  await put('src/deep/secret-ok.ts', 'needle re-included\n', root);
  await put('src/cache/a.json', '{"needle": true}\n', root);
  await put('src/cache/b.txt', 'needle not json\n', root);
  await put('debug.log', 'needle in a log\n', root);
  await put('keep.log', 'needle kept by negation\n', root);
  await put('generated/out.ts', 'needle generated\n', root);
  await put('lib/generated/out.ts', 'needle not anchored\n', root);
  await put('tmp/x.ts', 'needle tmp\n', root);
  await put('node_modules/lib/index.js', 'needle in dependency\n', root);
  await put('packages/a/node_modules/x.js', 'needle nested dependency\n', root);
  await put('dist/bundle.js', 'needle in dist\n', root);
  await put('build', 'needle: a file named build is not a folder\n', root);
  await put('.venv/site.py', 'needle\n', root);
  await put('venv/site.py', 'needle\n', root);
  await put('.tox/x.py', 'needle\n', root);
  await put('pkg/__pycache__/m.py', 'needle\n', root);
  await put('.github/workflows/ci.yml', 'run: needle\n', root);
  await put('.hidden.ts', 'needle in a dotfile\n', root);
  await put('bin/tool.bin', Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2, 3])]), root);
  await put('unicode.md', 'naïve needle ☃\n', root);
  await put('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('utf16 needle\n', 'utf16le')]), root);
  await put('sub/.git/HEAD', 'ref: refs/heads/main\n', root);
  await put('sub/debug.log', 'needle: a nested repository does not inherit *.log\n', root);
  await put('many.txt', Array.from({ length: 120 }, (_, i) => `hay needle ${i + 1}`).join('\n') + '\n', root);
  await put('nonl.txt', 'needle without final newline', root);
  await put('src/.gitignore', '/deep/anchored.ts\nlocal-only/\n', root);
  await put('src/deep/anchored.ts', 'needle hidden by an anchored rule one level up\n', root);
  await put('src/deep/local-only/x.ts', 'needle hidden by a folder rule one level up\n', root);
  await put('src/deep/trace.log', 'needle hidden by the root rule *.log\n', root);
  await put('src/deep/cache/c.json', 'needle hidden by **/cache/*.json\n', root);
  await symlink(path.join(base, 'outside'), path.join(root, 'outLink'));
  await symlink('src/app.ts', path.join(root, 'appLink.ts'));
  return root;
}

/** What the rg-versus-JS comparison tests start from: the folder to remove afterwards, the workspace in it, and the rg to compare. */
export interface RipgrepFixture {
  base: string;
  root: string;
  rgPath: string;
}

/** Builds the search tree in a fresh temporary folder (its real path) and finds rg, which these tests require. */
export async function setUpRipgrepFixture(prefix: string): Promise<RipgrepFixture> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), prefix)));
  const root = await buildSearchTree(base);
  const rg = await locateRipgrep();
  if (!rg) throw new Error('ripgrep is required for these tests: apt-get install -y ripgrep');
  return { base, root, rgPath: rg.path };
}
