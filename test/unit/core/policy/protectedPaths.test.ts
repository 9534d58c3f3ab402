import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { gitDirMarkersOf, isProtectedPath, isSecretFileName, looksLikeGitDir, PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES, protectedReason } from '../../../../src/core/policy/protectedPaths';
import { tempDir } from '../../../support/fixtures';

describe('the protected list', () => {
  it('protects every listed folder and file name, at the root and nested, in any case', () => {
    for (const dir of [...PROTECTED_DIR_NAMES, '.agent-harness']) {
      for (const p of [`${dir}/x`, `pkg/${dir}/deep/x.json`, `${dir.toUpperCase()}/x`]) expect(isProtectedPath(p), p).toBe(true);
    }
    for (const name of PROTECTED_FILE_NAMES) {
      for (const p of [name, `sub/dir/${name}`, name.toUpperCase(), `${name}.`]) expect(isProtectedPath(p), p).toBe(true);
    }
  });

  it('protects the files the red team planted, whether or not they exist', () => {
    for (const p of ['.git/hooks/pre-commit', '.vscode/tasks.json', '.devcontainer.json', '.npmrc', '.mcp.json', 'AGENTS.md', '.envrc', '.gitmodules', 'team.code-workspace', '.claude/settings.json', '.cursor/rules/x.mdc', '.husky/pre-commit', '.pnpmfile.cjs']) {
      expect(isProtectedPath(p), p).toBe(true);
    }
  });

  it('protects every skills folder, and only the skills part of .agents and .github', () => {
    for (const p of ['.agents/skills/deploy/SKILL.md', '.github/skills/x/SKILL.md', '.claude/skills/x/SKILL.md', '.agent-harness/skills/x/SKILL.md', 'packages/a/.agents/skills/y/SKILL.md']) {
      expect(isProtectedPath(p), p).toBe(true);
    }
    for (const p of ['.github/workflows/ci.yml', '.agents/notes.md', 'docs/skills/intro.md', 'skills.md']) expect(isProtectedPath(p), p).toBe(false);
  });

  it('names the reason', () => {
    expect(protectedReason('.git/config')).toMatch(/git/);
    expect(protectedReason('.github/skills/a/SKILL.md')).toMatch(/skills folder/);
    expect(protectedReason('src/a.ts')).toBeUndefined();
  });

  it('does not protect look-alikes', () => {
    for (const p of ['src/vscode/x.ts', 'gitignore', '.gitignore', 'git/config.ts', 'my.npmrc.txt', 'AGENTS.md.bak', 'config/database.yml', 'HEAD.md']) {
      expect(isProtectedPath(p), p).toBe(false);
    }
  });
});

describe('git-directory shapes', () => {
  it('finds the markers a path adds and the folders they are in', () => {
    expect(gitDirMarkersOf('HEAD')).toEqual([{ dir: '.', marker: 'head', isDir: false }]);
    expect(gitDirMarkersOf('sub/objects/ab/cdef')).toEqual([{ dir: 'sub', marker: 'objects', isDir: true }]);
    expect(gitDirMarkersOf('refs/heads/main')).toEqual([{ dir: '.', marker: 'refs', isDir: true }]);
    expect(gitDirMarkersOf('objects/info/packs')).toEqual([
      { dir: '.', marker: 'objects', isDir: true },
      { dir: 'objects', marker: 'info', isDir: true },
    ]);
    expect(gitDirMarkersOf('config')).toEqual([{ dir: '.', marker: 'config', isDir: false }]);
    // A folder called config (Rails) is not git's config file.
    expect(gitDirMarkersOf('config/database.yml')).toEqual([]);
    expect(gitDirMarkersOf('src/app.ts')).toEqual([]);
  });

  it('takes any two of the HEAD and config files and the objects/ and refs/ folders as a git directory', () => {
    const f = (name: string) => ({ name, isDir: false });
    const d = (name: string) => ({ name, isDir: true });
    expect(looksLikeGitDir([f('HEAD'), d('objects')])).toBe(true);
    expect(looksLikeGitDir([f('config'), d('refs'), d('src')])).toBe(true);
    expect(looksLikeGitDir([d('refs'), d('docs')])).toBe(false);
    expect(looksLikeGitDir([f('config')])).toBe(false);
    // A Rails config folder next to a HEAD file is not git's config.
    expect(looksLikeGitDir([d('config'), f('HEAD')])).toBe(false);
  });
});

describe('secret files', () => {
  it('recognises credentials files but not their templates', () => {
    for (const n of ['.env', '.env.local', '.ENV.production', '.prod.env', 'id_rsa', 'id_ed25519', 'server.pem', '.netrc', '.git-credentials', 'cert.p12']) expect(isSecretFileName(n), n).toBe(true);
    for (const n of ['.env.example', '.env.sample', '.env.template', 'id_rsa.pub', 'env.ts', 'environment.md', 'README.md']) expect(isSecretFileName(n), n).toBe(false);
  });
});

describe('the path guard uses the list', () => {
  let root: string;
  let guard: PathGuard;
  beforeAll(async () => {
    root = await realpath(await tempDir('protected-'));
    await mkdir(path.join(root, 'planted', 'objects'), { recursive: true });
    await mkdir(path.join(root, 'docs', 'refs'), { recursive: true });
    await mkdir(path.join(root, 'config'), { recursive: true });
    await writeFile(path.join(root, '.env'), 'API_KEY=sk-test-1234567890abcdef\n');
    await writeFile(path.join(root, '.env.example'), 'API_KEY=\n');
    await symlink('.env', path.join(root, 'innocent.txt'));
    guard = new PathGuard(root);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('asks before a write that would complete a git-directory shape, anywhere', async () => {
    expect((await guard.check('planted/HEAD', 'write')).verdict).toBe('ask');
    expect((await guard.check('planted/config', 'write')).verdict).toBe('ask');
    expect((await guard.check('planted/refs/heads/main', 'write')).verdict).toBe('ask');
    const v = await guard.check('planted/HEAD', 'write');
    expect(v.reason).toMatch(/look like a git directory/);
  });

  it('lets ordinary folders named refs or config be written', async () => {
    expect((await guard.check('docs/refs/api.md', 'write')).verdict).toBe('allow');
    expect((await guard.check('config/database.yml', 'write')).verdict).toBe('allow');
    expect((await guard.check('HEAD', 'write')).verdict).toBe('allow');
  });

  it('asks before a write to the root that starts a bare repository next to an existing marker', async () => {
    const base = await realpath(await tempDir('bare-root-'));
    try {
      await writeFile(path.join(base, 'HEAD'), 'ref: refs/heads/main\n');
      const g = new PathGuard(base);
      expect((await g.check('config', 'write')).verdict).toBe('ask');
      expect((await g.check('objects/info/packs', 'write')).verdict).toBe('ask');
      expect((await g.check('src/index.ts', 'write')).verdict).toBe('allow');
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('asks before reading a credentials file, also through a link with an innocent name', async () => {
    expect((await guard.check('.env', 'read')).verdict).toBe('ask');
    expect((await guard.check('innocent.txt', 'read')).verdict).toBe('ask');
    expect((await guard.check('.env.example', 'read')).verdict).toBe('allow');
  });

  it('asks before writing protected names that do not exist yet', async () => {
    for (const p of ['.vscode/tasks.json', '.devcontainer.json', '.git/hooks/post-checkout', 'AGENTS.md', '.github/skills/x/SKILL.md']) {
      expect((await guard.check(p, 'write')).verdict, p).toBe('ask');
    }
  });
});
