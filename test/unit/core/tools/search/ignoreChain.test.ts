import { afterEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { IgnoreChain } from '../../../../../src/core/tools/search/ignoreRules';
import { makeToolWorkspace, type ToolWorkspace } from '../toolWorkspace';

let ws: ToolWorkspace | undefined;
afterEach(async () => {
  if (ws) await rm(ws.base, { recursive: true, force: true });
  ws = undefined;
});

describe('IgnoreChain.childMatcher', () => {
  it('decides like ignores() for every child, through nested .gitignore files with negations and anchors', async () => {
    ws = await makeToolWorkspace('ah-ignorechain-');
    await ws.put('.gitignore', '*.log\n/build/\nsecret*\n!secret.md\na/b/keep.txt\n');
    await ws.put('a/.gitignore', '!important.log\n*.tmp\nb/deep/\n');
    await ws.put('a/b/.gitignore', 'x?.txt\n!xx.txt\n/anchored\n');
    const dir = path.join(ws.root, 'a', 'b');
    const chain = await IgnoreChain.forDirectory(dir, ws.root);
    const matcher = chain.childMatcher(dir);
    const names = ['important.log', 'other.log', 'file.tmp', 'xa.txt', 'xx.txt', 'keep.txt', 'anchored', 'deep', 'secret.md', 'secret.txt', 'build', 'plain.ts'];
    for (const name of names) {
      for (const isDir of [false, true]) expect(matcher(name, isDir), `${name}${isDir ? '/' : ''}`).toBe(chain.ignores(path.join(dir, name), isDir));
    }
    expect(matcher('xa.txt', false)).toBe(true);
    expect(matcher('xx.txt', false)).toBe(false);
    expect(matcher('keep.txt', false)).toBe(true);
    expect(matcher('important.log', false)).toBe(false);

    const root = await IgnoreChain.forDirectory(ws.root, ws.root);
    const atRoot = root.childMatcher(ws.root);
    fc.assert(
      // Any name readdir can return ('.' and '..' it never does).
      fc.property(fc.stringMatching(/^[a-z.!?*_-]{1,12}$/).filter((n) => n !== '.' && n !== '..'), fc.boolean(), (name, isDir) => atRoot(name, isDir) === root.ignores(path.join(ws!.root, name), isDir)),
    );
  });
});
