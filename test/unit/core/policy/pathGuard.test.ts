import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { link, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { isGitInternalPath, isProtectedPath } from '../../../../src/core/policy/protectedPaths';
import { tempDir } from '../../../support/fixtures';

// Layout: <base>/root is the workspace, <base>/rootX a sibling whose name starts with the root's,
// <base>/outside holds a "secret". Links inside the root point out of it in every way we know.
let base: string;
let root: string;
let guard: PathGuard;

beforeAll(async () => {
  base = await realpath(await tempDir('pathguard-'));
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'src', 'nested'), { recursive: true });
  await mkdir(path.join(base, 'rootX'), { recursive: true });
  await mkdir(path.join(base, 'outside'), { recursive: true });
  await writeFile(path.join(base, 'outside', 'secret.txt'), 'secret');
  await writeFile(path.join(base, 'rootX', 'file.txt'), 'sibling');
  await writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  await mkdir(path.join(root, '.git'), { recursive: true });
  await writeFile(path.join(root, '.git', 'config'), '[core]\n');
  await symlink(path.join(base, 'outside'), path.join(root, 'outLink'));
  await symlink(path.join(base, 'outside', 'secret.txt'), path.join(root, 'secretLink'));
  await symlink('../../outside/new.txt', path.join(root, 'src', 'dangling'));
  await symlink('nested/later.ts', path.join(root, 'src', 'danglingInside'));
  await symlink('a.ts', path.join(root, 'src', 'aLink.ts'));
  await symlink('.git/config', path.join(root, 'gitConfigLink'));
  await symlink('loopB', path.join(root, 'loopA'));
  await symlink('loopA', path.join(root, 'loopB'));
  await writeFile(path.join(root, 'hard.txt'), 'shared');
  await link(path.join(root, 'hard.txt'), path.join(base, 'outside', 'hard-elsewhere.txt'));
  guard = new PathGuard(root);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('PathGuard escapes', () => {
  const escapes: Array<[string, string, 'read' | 'write']> = [
    ['parent traversal', '../outside/secret.txt', 'read'],
    ['deep parent traversal', 'src/nested/../../../outside/secret.txt', 'write'],
    ['bare ..', '..', 'read'],
    ['sibling prefix, relative', '../rootX/file.txt', 'read'],
    ['NUL byte', 'src/a.ts\0.png', 'read'],
    ['file URI', 'file:///etc/passwd', 'read'],
    ['vscode URI', 'vscode://settings/x', 'read'],
    ['custom scheme', 'untitled:foo', 'write'],
    ['tilde home', '~/.ssh/id_rsa', 'read'],
    ['bare tilde', '~', 'read'],
    ['absolute outside', '/etc/passwd', 'read'],
    ['symlinked dir to outside', 'outLink/secret.txt', 'read'],
    ['symlinked file to outside', 'secretLink', 'read'],
    ['write through symlinked file to outside', 'secretLink', 'write'],
    ['new file under a symlinked dir to outside', 'outLink/new.txt', 'write'],
    ['dangling symlink pointing outside', 'src/dangling', 'write'],
    ['symlink loop', 'loopA', 'read'],
    ['hard link with another link outside', 'hard.txt', 'write'],
    ['empty path', '', 'read'],
    ['windows drive on posix', 'C:\\Windows\\system.ini', 'read'],
    ['git internals read', '.git/config', 'read'],
    ['git internals read through a link', 'gitConfigLink', 'read'],
  ];
  for (const [name, input, access] of escapes) {
    it(`denies ${name}`, async () => {
      const v = await guard.check(input, access);
      expect(v.verdict, v.reason).toBe('deny');
      expect(v.reason.length).toBeGreaterThan(10);
    });
  }

  it('denies an absolute path in a sibling folder whose name starts with the root name', async () => {
    const v = await guard.check(path.join(base, 'rootX', 'file.txt'), 'read');
    expect(v.verdict).toBe('deny');
    expect(v.reason).toMatch(/outside the workspace/);
  });

  it('explains the hard-link refusal', async () => {
    const v = await guard.check('hard.txt', 'write');
    expect(v.reason).toMatch(/2 hard links/);
    expect(v.resolved).toBe(path.join(root, 'hard.txt'));
  });

  it('names the link target when a symlink leads out', async () => {
    const v = await guard.check('outLink/secret.txt', 'read');
    expect(v.reason).toContain(path.join(base, 'outside', 'secret.txt'));
  });

  it('denies a path the file system cannot resolve (name too long) instead of guessing', async () => {
    const v = await guard.check(`src/${'x'.repeat(5000)}/a.ts`, 'write');
    expect(v.verdict).toBe('deny');
    expect(v.reason).toMatch(/cannot be resolved \(ENAMETOOLONG\)/);
  });

  it('denies everything when the root does not exist', async () => {
    const g = new PathGuard(path.join(base, 'missing'));
    const v = await g.check('a.txt', 'read');
    expect(v.verdict).toBe('deny');
    expect(v.reason).toMatch(/does not exist/);
  });
});

describe('PathGuard protected writes', () => {
  const protectedPaths = [
    '.vscode/settings.json',
    '.VSCode/settings.json',
    '.vscode/tasks.json',
    'my.code-workspace',
    'My.Code-Workspace',
    '.devcontainer/devcontainer.json',
    '.git/hooks/pre-commit',
    '.git/config',
    '.gitmodules',
    '.mcp.json',
    '.npmrc',
    'packages/web/.npmrc',
    'AGENTS.md',
    'AGENTS.MD',
    'docs/agents.md',
    'AGENTS.md.',
    '.agent-harness/policy.json',
    '.Agent-Harness/skills/x/SKILL.md',
    'sub/.git/hooks/post-checkout',
  ];
  for (const p of protectedPaths) {
    it(`asks before writing ${p} (it does not exist yet)`, async () => {
      const v = await guard.check(p, 'write');
      expect(v.verdict, v.reason).toBe('ask');
      expect(v.reason).toMatch(/protected/);
    });
  }

  it('asks when a link inside the workspace names a protected target', async () => {
    const v = await guard.check('gitConfigLink', 'write');
    expect(v.verdict).toBe('ask');
    expect(v.relative).toBe('.git/config');
  });

  it('honours a custom config folder name', async () => {
    const g = new PathGuard(root, { configDirName: '.myagent' });
    expect((await g.check('.myagent/x.json', 'write')).verdict).toBe('ask');
    expect((await g.check('.agent-harness/x.json', 'write')).verdict).toBe('allow');
  });

  it('allows reading protected files other than git internals', async () => {
    expect((await guard.check('.vscode/settings.json', 'read')).verdict).toBe('allow');
    expect((await guard.check('AGENTS.md', 'read')).verdict).toBe('allow');
  });

  it('rejects a config folder name with a separator', () => {
    expect(() => new PathGuard(root, { configDirName: 'a/b' })).toThrow(/single folder name/);
  });
});

describe('PathGuard allowed paths', () => {
  it('allows and resolves a plain relative file', async () => {
    const v = await guard.check('src/a.ts', 'write');
    expect(v).toMatchObject({ verdict: 'allow', resolved: path.join(root, 'src', 'a.ts'), relative: 'src/a.ts' });
  });

  it('normalises ./ and inner .. that stay inside', async () => {
    const v = await guard.check('./src/nested/../a.ts', 'read');
    expect(v).toMatchObject({ verdict: 'allow', relative: 'src/a.ts' });
  });

  it('allows an absolute path inside the root', async () => {
    const v = await guard.check(path.join(root, 'src', 'a.ts'), 'read');
    expect(v).toMatchObject({ verdict: 'allow', relative: 'src/a.ts' });
  });

  it('allows a new file in a new folder', async () => {
    const v = await guard.check('src/brand/new/file.ts', 'write');
    expect(v).toMatchObject({ verdict: 'allow', resolved: path.join(root, 'src', 'brand', 'new', 'file.ts'), relative: 'src/brand/new/file.ts' });
  });

  it('follows a symlink that stays inside and reports the real path', async () => {
    const v = await guard.check('src/aLink.ts', 'write');
    expect(v).toMatchObject({ verdict: 'allow', relative: 'src/a.ts' });
  });

  it('follows a dangling symlink whose target is inside', async () => {
    const v = await guard.check('src/danglingInside', 'write');
    expect(v).toMatchObject({ verdict: 'allow', relative: 'src/nested/later.ts' });
  });

  it('treats a trailing slash and a backslash the way the file system does', async () => {
    expect((await guard.check('src/', 'read')).relative).toBe('src');
    // On POSIX a backslash is an ordinary character: this names one file inside the root, not a climb.
    const v = await guard.check('..\\..\\etc\\passwd', 'write');
    expect(v.verdict).toBe(process.platform === 'win32' ? 'deny' : 'allow');
    if (process.platform !== 'win32') expect(v.resolved).toBe(path.join(root, '..\\..\\etc\\passwd'));
  });

  it('allows the root itself', async () => {
    const v = await guard.check('.', 'read');
    expect(v).toMatchObject({ verdict: 'allow', relative: '.', resolved: root });
  });

  it('allows a name with a colon when written as ./name', async () => {
    expect((await guard.check('notes:2024.txt', 'read')).verdict).toBe('deny');
    expect((await guard.check('./notes:2024.txt', 'read')).verdict).toBe('allow');
  });

  it('reads a hard-linked file (only writes are refused)', async () => {
    expect((await guard.check('hard.txt', 'read')).verdict).toBe('allow');
  });

  it('accepts a root given through a symlink and absolute paths under either spelling', async () => {
    const alias = path.join(base, 'rootAlias');
    await symlink(root, alias);
    const g = new PathGuard(alias);
    expect((await g.check(path.join(root, 'src', 'a.ts'), 'read')).verdict).toBe('allow');
    expect((await g.check(path.join(alias, 'src', 'a.ts'), 'read')).relative).toBe('src/a.ts');
  });
});

describe('isProtectedPath', () => {
  it('matches by segment, not by substring', () => {
    expect(isProtectedPath('src/vscode/x.ts')).toBe(false);
    expect(isProtectedPath('docs/AGENTS.md.bak')).toBe(false);
    expect(isProtectedPath('.github/workflows/ci.yml')).toBe(false);
    expect(isProtectedPath('my.gitmodules.txt')).toBe(false);
    expect(isProtectedPath('README.md')).toBe(false);
    expect(isProtectedPath('.')).toBe(false);
  });
  it('ignores case, trailing dots and stream suffixes', () => {
    expect(isProtectedPath('.NPMRC')).toBe(true);
    expect(isProtectedPath('.npmrc::$DATA')).toBe(true);
    expect(isProtectedPath('.vscode. /launch.json')).toBe(true);
  });
  it('recognises git internals at any depth', () => {
    expect(isGitInternalPath('a/.GIT/config')).toBe(true);
    expect(isGitInternalPath('a/.gitignore')).toBe(false);
  });
});
