import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSkills } from '../../../../src/core/skills/loadSkills';
import { skillMd, tempTree } from './skillFixtures';

const BUILTIN = resolve(__dirname, '../../../../skills');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function tree(files: Record<string, string>): Promise<string> {
  const t = await tempTree(files);
  cleanups.push(t.cleanup);
  return t.root;
}

describe('loadSkills', () => {
  it('loads every shipped built-in skill without problems', async () => {
    const { skills, problems } = await loadSkills({ builtinDir: BUILTIN });
    expect(problems).toEqual([]);
    expect(skills.map((s) => s.name)).toEqual(['code-review', 'debugging', 'documentation', 'refactoring', 'security-review', 'testing']);
    for (const s of skills) {
      expect(s.source).toBe('built-in');
      expect(s.instructions.length).toBeGreaterThan(800);
      expect(s.triggers.length).toBeGreaterThan(0);
    }
    const review = skills.find((s) => s.name === 'code-review')!;
    expect(review.tools).toEqual(['read_file', 'list_dir', 'grep', 'find_files']);
    expect(review.instructions).toContain('"recommendation"');
  });

  it('reports a broken skill with its path and reason and still loads the others', async () => {
    const builtin = await tree({
      'good/SKILL.md': skillMd({ name: 'good', description: 'Works.' }),
      'broken/SKILL.md': '---\nname: broken\n---\nBody\n',
      'empty/README.md': 'no skill here',
      'notes.txt': 'a stray file is ignored',
    });
    const { skills, problems } = await loadSkills({ builtinDir: builtin });
    expect(skills.map((s) => s.name)).toEqual(['good']);
    expect(problems).toEqual([
      { path: join(builtin, 'broken', 'SKILL.md'), message: 'field "description" is required' },
      { path: join(builtin, 'empty', 'SKILL.md'), message: 'the skill folder has no SKILL.md' },
    ]);
  });

  it('lets a workspace skill override a built-in one and records both sources', async () => {
    const builtin = await tree({
      'testing/SKILL.md': skillMd({ name: 'testing', description: 'Built-in testing.' }),
      'docs/SKILL.md': skillMd({ name: 'docs', description: 'Built-in docs.' }),
    });
    const ws = await tree({
      '.github/skills/testing/SKILL.md': skillMd({ name: 'testing', description: 'Our testing rules.' }, 'Use our runner.'),
      '.github/skills/testing/checklist.md': '- item',
      '.github/skills/testing/examples/a.test.ts': 'x',
      '.claude/skills/deploy/SKILL.md': skillMd({ name: 'deploy', description: 'Deploy.' }),
    });
    const { skills, problems } = await loadSkills({ builtinDir: builtin, workspaceRoot: ws });
    expect(problems).toEqual([]);
    const byName = Object.fromEntries(skills.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['deploy', 'docs', 'testing']);
    expect(byName.testing).toMatchObject({
      origin: 'workspace',
      source: '.github/skills/testing/SKILL.md',
      overrides: 'built-in',
      description: 'Our testing rules.',
      instructions: 'Use our runner.',
      files: ['checklist.md', 'examples/a.test.ts'],
    });
    expect(byName.docs).toMatchObject({ origin: 'built-in', source: 'built-in' });
    expect(byName.docs!.overrides).toBeUndefined();
    expect(byName.deploy).toMatchObject({ origin: 'workspace', source: '.claude/skills/deploy/SKILL.md' });
  });

  it('prefers .agents over .github over .claude on a clash and reports the one it ignored', async () => {
    const ws = await tree({
      '.agents/skills/x/SKILL.md': skillMd({ name: 'x', description: 'From agents.' }),
      '.claude/skills/x/SKILL.md': skillMd({ name: 'x', description: 'From claude.' }),
    });
    const empty = await tree({});
    const { skills, problems } = await loadSkills({ builtinDir: join(empty, 'none'), workspaceRoot: ws });
    expect(skills.map((s) => s.description)).toEqual(['From agents.']);
    expect(problems).toEqual([{ path: '.claude/skills/x/SKILL.md', message: 'skill "x" is also defined in .agents/skills/x/SKILL.md, which is used instead' }]);
  });

  it('treats a symlinked skills folder as the same skills, not a clash', async () => {
    const ws = await tree({ '.agents/skills/x/SKILL.md': skillMd({ name: 'x', description: 'One.' }) });
    await mkdir(join(ws, '.claude'));
    await symlink(join(ws, '.agents/skills'), join(ws, '.claude/skills'));
    const { skills, problems } = await loadSkills({ builtinDir: join(ws, 'none'), workspaceRoot: ws });
    expect(problems).toEqual([]);
    expect(skills).toHaveLength(1);
  });

  it('refuses a workspace SKILL.md that links outside the workspace', async () => {
    const outside = await tree({ 'SKILL.md': skillMd({ name: 'evil', description: 'Outside.' }) });
    const ws = await tree({});
    await mkdir(join(ws, '.agents/skills/evil'), { recursive: true });
    await symlink(join(outside, 'SKILL.md'), join(ws, '.agents/skills/evil/SKILL.md'));
    const { skills, problems } = await loadSkills({ builtinDir: join(ws, 'none'), workspaceRoot: ws });
    expect(skills).toEqual([]);
    expect(problems).toEqual([{ path: '.agents/skills/evil/SKILL.md', message: expect.stringContaining('outside the workspace') }]);
  });

  it('refuses an oversized SKILL.md', async () => {
    const ws = await tree({});
    await mkdir(join(ws, '.agents/skills/big'), { recursive: true });
    await writeFile(join(ws, '.agents/skills/big/SKILL.md'), skillMd({ name: 'big', description: 'Big.' }, 'x'.repeat(70_000)));
    const { skills, problems } = await loadSkills({ builtinDir: join(ws, 'none'), workspaceRoot: ws });
    expect(skills).toEqual([]);
    expect(problems[0]!.message).toMatch(/bytes; the limit is 65536/);
  });
});
