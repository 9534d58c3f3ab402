import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitCli } from '../../../src/adapters/git/gitCli';

/**
 * Host git with a hostile repository configuration (issue 14, item 1): every way a repository can make
 * git run a program is switched off for the product's own git calls, so a review of a planted
 * repository runs nothing of it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd, stdio: 'ignore' });
}

function hostileRepo(): { root: string; markers: string[] } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'ah-git-hostile-'));
  dirs.push(base);
  const root = path.join(base, 'repo');
  mkdirSync(root);
  git(root, 'init', '-q');
  writeFileSync(path.join(root, 'a.txt'), 'one\n');
  writeFileSync(path.join(root, 'img.bin'), 'binary-ish\n');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  const marker = (name: string) => path.join(base, `${name}-ran`);
  const markers = ['fsmonitor', 'filter', 'textconv', 'external', 'hook', 'pager'].map(marker);
  // Everything below is the repository's own configuration, as a hostile clone would have it.
  git(root, 'config', 'core.fsmonitor', `touch ${marker('fsmonitor')}; false`);
  git(root, 'config', 'filter.evil.clean', `sh -c 'touch ${marker('filter')}; cat'`);
  git(root, 'config', 'filter.evil.process', `touch ${marker('filter')}`);
  git(root, 'config', 'diff.evil.textconv', `sh -c 'touch ${marker('textconv')}; cat'`);
  git(root, 'config', 'diff.external', `sh -c 'touch ${marker('external')}'`);
  git(root, 'config', 'core.pager', `sh -c 'touch ${marker('pager')}; cat'`);
  mkdirSync(path.join(root, '.githooks'));
  writeFileSync(path.join(root, '.githooks', 'post-index-change'), `#!/bin/sh\ntouch ${marker('hook')}\n`, { mode: 0o755 });
  git(root, 'config', 'core.hooksPath', '.githooks');
  writeFileSync(path.join(root, '.gitattributes'), '*.txt filter=evil\n*.bin diff=evil\n');
  writeFileSync(path.join(root, 'a.txt'), 'one\ntwo\n');
  writeFileSync(path.join(root, 'img.bin'), 'changed\n');
  writeFileSync(path.join(root, 'new.txt'), 'untracked\n');
  return { root, markers };
}

describe('GitCli on the host runs nothing a repository configures', () => {
  it('a review diff of a hostile repository runs no fsmonitor, filter, textconv, external diff, pager or hook', async () => {
    const { root, markers } = hostileRepo();
    const diff = await new GitCli({ cwd: root }).diff({ kind: 'uncommitted' });
    expect(diff.files.map((f) => f.path).sort()).toEqual(['.gitattributes', '.githooks/post-index-change', 'a.txt', 'img.bin', 'new.txt']);
    for (const m of markers) expect(existsSync(m), path.basename(m)).toBe(false);
  });

  it('plain git on the same repository would have run them (the test repository is really hostile)', () => {
    const { root, markers } = hostileRepo();
    try {
      execFileSync('git', ['diff'], { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_PAGER: '' } });
    } catch {
      // fsmonitor returning false makes some git versions complain; what counts is what ran.
    }
    expect(markers.some((m) => existsSync(m))).toBe(true);
  });

  it('a workspace shaped like a bare repository is not taken as one', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'ah-git-bare-'));
    dirs.push(base);
    const marker = path.join(base, 'bare-fsmonitor-ran');
    const root = path.join(base, 'ws');
    mkdirSync(path.join(root, 'objects'), { recursive: true });
    mkdirSync(path.join(root, 'refs', 'heads'), { recursive: true });
    writeFileSync(path.join(root, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(root, 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = touch ${marker}\n`);
    await expect(new GitCli({ cwd: root }).diff({ kind: 'uncommitted' })).rejects.toThrow(/not inside a git repository|bare/);
    expect(existsSync(marker)).toBe(false);
  });
});
