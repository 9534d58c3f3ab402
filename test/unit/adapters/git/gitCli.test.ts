import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitCli, MAX_UNTRACKED_BYTES } from '../../../../src/adapters/git/gitCli';
import { GitError, type FileDiff } from '../../../../src/core/codeReview/gitPort';
import { reviewableLines } from '../../../../src/core/codeReview/parseDiff';
import { numberedLines, TestRepo } from './gitRepo';

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
});

function byPath(files: FileDiff[], p: string): FileDiff {
  const f = files.find((x) => x.path === p);
  if (!f) throw new Error(`no ${p} in ${files.map((x) => x.path).join(', ')}`);
  return f;
}

describe('GitCli.diff: uncommitted changes against HEAD', () => {
  it('reports modified, added, deleted, renamed, binary and untracked files with new-side line numbers', async () => {
    const r = repo();
    r.write('src/app.ts', numberedLines(20));
    r.write('gone.txt', 'bye\n');
    r.write('docs/old-name.md', numberedLines(10, 'doc'));
    r.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0]));
    r.commitAll('init');

    r.write('src/app.ts', numberedLines(20).replace('line 5\n', 'line five\nline 5b\n'));
    r.git('rm', '-q', 'gone.txt');
    r.git('mv', 'docs/old-name.md', 'docs/new-name.md');
    r.write('docs/new-name.md', `${numberedLines(10, 'doc')}doc 11\n`);
    r.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 0]));
    r.write('src/staged-new.ts', 'export const a = 1;\n');
    r.git('add', 'src/staged-new.ts');
    r.write('notes/untracked file.txt', 'hello\nworld\n');
    r.write('ignored.log', 'x\n');
    r.write('.gitignore', 'ignored.log\n');

    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.description).toMatch(/^uncommitted changes against HEAD \([0-9a-f]{7}\)$/);
    expect(diff.files.map((f) => f.path)).toEqual(['.gitignore', 'docs/new-name.md', 'gone.txt', 'logo.png', 'notes/untracked file.txt', 'src/app.ts', 'src/staged-new.ts']);

    const app = byPath(diff.files, 'src/app.ts');
    expect(app).toMatchObject({ status: 'modified', binary: false, untracked: false });
    const appLines = reviewableLines(app);
    // "line 5" became lines 5 and 6 of the new version; the context lines around are there too.
    expect(appLines.has(5)).toBe(true);
    expect(appLines.has(6)).toBe(true);
    expect(appLines.has(20)).toBe(false);

    expect(byPath(diff.files, 'gone.txt')).toMatchObject({ status: 'deleted' });
    expect(reviewableLines(byPath(diff.files, 'gone.txt')).size).toBe(0);
    expect(byPath(diff.files, 'docs/new-name.md')).toMatchObject({ status: 'renamed', oldPath: 'docs/old-name.md' });
    expect(reviewableLines(byPath(diff.files, 'docs/new-name.md')).has(11)).toBe(true);
    expect(byPath(diff.files, 'logo.png')).toMatchObject({ binary: true, hunks: [] });
    expect(byPath(diff.files, 'src/staged-new.ts')).toMatchObject({ status: 'added', untracked: false });
    const untracked = byPath(diff.files, 'notes/untracked file.txt');
    expect(untracked).toMatchObject({ status: 'added', untracked: true });
    expect([...reviewableLines(untracked)]).toEqual([1, 2]);
  });

  it('includes untracked binary files as listed, not inlined', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    r.write('blob.bin', Buffer.from([0, 1, 2, 0, 255]));
    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.files).toEqual([{ path: 'blob.bin', status: 'added', binary: true, untracked: true, hunks: [] }]);
  });

  it('lists an untracked file over the size limit without reading it', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    r.write('big.log', 'x'.repeat(MAX_UNTRACKED_BYTES + 1));
    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.files).toEqual([
      { path: 'big.log', status: 'added', binary: false, untracked: true, hunks: [], omitted: `untracked file of ${MAX_UNTRACKED_BYTES + 1} bytes, over the ${MAX_UNTRACKED_BYTES}-byte limit for untracked files` },
    ]);
  });

  it('returns no files for a clean tree', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.files).toEqual([]);
  });

  it('works in a repository without commits (against the empty tree)', async () => {
    const r = repo();
    r.write('first.ts', 'one\n');
    r.git('add', 'first.ts');
    r.write('second.ts', 'two\n');
    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.description).toContain('no commits yet');
    expect(diff.files.map((f) => [f.path, f.status, f.untracked])).toEqual([
      ['first.ts', 'added', false],
      ['second.ts', 'added', true],
    ]);
  });

  it('limits the diff to a workspace that is a sub-folder of the repository, with paths relative to it', async () => {
    const r = repo();
    r.write('pkg/a.ts', 'a\n');
    r.write('other/b.ts', 'b\n');
    r.commitAll('init');
    r.write('pkg/a.ts', 'a2\n');
    r.write('other/b.ts', 'b2\n');
    r.write('pkg/new.ts', 'n\n');
    const diff = await new GitCli({ cwd: path.join(r.dir, 'pkg') }).diff({ kind: 'uncommitted' });
    expect(diff.files.map((f) => f.path)).toEqual(['a.ts', 'new.ts']);
  });

  it('notes untracked files beyond the limit instead of diffing them', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    for (let i = 0; i < 5; i++) r.write(`u${i}.txt`, `${i}\n`);
    const diff = await new GitCli({ cwd: r.dir, maxUntracked: 3 }).diff({ kind: 'uncommitted' });
    expect(diff.files).toHaveLength(3);
    expect(diff.notes[0]).toMatch(/^2 untracked file\(s\) were left out \(more than 3\): u3\.txt, u4\.txt$/);
  });
});

describe('GitCli.diff: user git settings', () => {
  it('parses the same diff when the repository asks for no prefixes, mnemonic prefixes and colour', async () => {
    const r = repo();
    r.write('a.txt', 'one\n');
    r.commitAll('init');
    r.git('config', 'diff.noprefix', 'true');
    r.git('config', 'diff.mnemonicPrefix', 'true');
    r.git('config', 'color.ui', 'always');
    r.write('a.txt', 'one\ntwo\n');
    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(diff.files).toEqual([{ path: 'a.txt', status: 'modified', binary: false, untracked: false, hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 2, lines: [' one', '+two'] }] }]);
  });
});

describe('GitCli.diff: staged only', () => {
  it('shows the index against HEAD, not unstaged edits or untracked files', async () => {
    const r = repo();
    r.write('a.txt', 'one\ntwo\nthree\n');
    r.write('b.txt', 'b\n');
    r.commitAll('init');
    r.write('a.txt', 'one\nTWO\nthree\n');
    r.git('add', 'a.txt');
    r.write('a.txt', 'one\nTWO\nthree\nfour (unstaged)\n');
    r.write('b.txt', 'b changed but not staged\n');
    r.write('c.txt', 'untracked\n');

    const staged = await new GitCli({ cwd: r.dir }).diff({ kind: 'staged' });
    expect(staged.description).toMatch(/^staged changes against HEAD/);
    expect(staged.files.map((f) => f.path)).toEqual(['a.txt']);
    expect(staged.files[0]!.hunks[0]!.lines).toEqual([' one', '-two', '+TWO', ' three']);

    const all = await new GitCli({ cwd: r.dir }).diff({ kind: 'uncommitted' });
    expect(all.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(all.files[0]!.hunks[0]!.lines).toContain('+four (unstaged)');
  });
});

describe('GitCli.diff: a branch against its base', () => {
  it('diffs the working tree against the merge-base, so commits on the base after the fork do not appear', async () => {
    const r = repo();
    r.write('shared.txt', numberedLines(5));
    r.commitAll('init');
    r.git('checkout', '-q', '-b', 'feature');
    r.write('feature.ts', 'export const f = 1;\n');
    r.write('shared.txt', numberedLines(5).replace('line 3', 'line three'));
    r.commitAll('feature work');
    r.git('checkout', '-q', 'main');
    r.write('main-only.txt', 'later on main\n');
    r.commitAll('main moves on');
    r.git('checkout', '-q', 'feature');
    r.write('wip.ts', 'uncommitted\n');

    const diff = await new GitCli({ cwd: r.dir }).diff({ kind: 'branch', base: 'main' });
    expect(diff.description).toMatch(/^the working tree against main \(merge-base [0-9a-f]{7}\)$/);
    expect(diff.files.map((f) => f.path)).toEqual(['feature.ts', 'shared.txt', 'wip.ts']);
    expect(diff.baseCommit).toBe(r.git('merge-base', 'main', 'feature').trim());
  });
});

describe('GitCli errors', () => {
  it('says when the folder is not a git repository', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ah-nogit-'));
    try {
      const err = await new GitCli({ cwd: dir }).diff({ kind: 'uncommitted' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as GitError).kind).toBe('not_a_repository');
      expect((err as GitError).message).toContain('is not inside a git repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an unknown base ref, and refuses one that looks like a flag', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    const git = new GitCli({ cwd: r.dir });
    await expect(git.diff({ kind: 'branch', base: 'no-such-branch' })).rejects.toMatchObject({ kind: 'unknown_ref', message: expect.stringContaining('unknown base ref "no-such-branch"') });
    await expect(git.diff({ kind: 'branch', base: '--output=/tmp/x' })).rejects.toMatchObject({ kind: 'unknown_ref' });
  });

  it('says when the branch and the base share no history, with a hint in a shallow clone', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    r.git('checkout', '-q', '--orphan', 'unrelated');
    r.write('b.txt', 'b\n');
    r.commitAll('other root');
    await expect(new GitCli({ cwd: r.dir }).diff({ kind: 'branch', base: 'main' })).rejects.toMatchObject({
      kind: 'unknown_ref',
      message: 'the current branch and "main" have no common history (no merge-base)',
    });

    const upstream = repo();
    upstream.write('f.txt', '1\n');
    upstream.commitAll('one');
    upstream.git('checkout', '-q', '-b', 'feature');
    upstream.write('f.txt', '2\n');
    upstream.commitAll('two');
    upstream.write('f.txt', '3\n');
    upstream.commitAll('three');
    const shallow = repo();
    shallow.dispose();
    r.git('clone', '-q', '--depth', '1', '--no-single-branch', `file://${upstream.dir}`, shallow.dir);
    const cloned = new GitCli({ cwd: shallow.dir });
    await expect(cloned.diff({ kind: 'branch', base: 'origin/main' })).rejects.toMatchObject({ message: expect.stringContaining('this is a shallow clone, so fetch more history first') });
  });

  it('says when git is not installed', async () => {
    const r = repo();
    const err = await new GitCli({ cwd: r.dir, git: '/nonexistent/git' }).diff({ kind: 'uncommitted' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'git_missing', message: expect.stringContaining('git is not installed') });
  });

  it('says when the folder does not exist', async () => {
    await expect(new GitCli({ cwd: '/nonexistent/ws' }).diff({ kind: 'uncommitted' })).rejects.toMatchObject({ kind: 'not_a_repository', message: '/nonexistent/ws does not exist' });
  });
});
