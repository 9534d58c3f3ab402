import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkills } from '../../../../src/core/skills/loadSkills';
import { tempDir } from '../../../support/fixtures';

describe('built-in skills read once in a long-lived process (VS Code)', () => {
  it('an immutable built-in folder is parsed once; without the flag every call reads it; workspace skills are always read', async () => {
    const dir = await tempDir('ah-builtin-');
    await cp(path.resolve(__dirname, '../../../../skills'), dir, { recursive: true });
    const first = await loadSkills({ builtinDir: dir, builtinImmutable: true });
    expect(first.skills.length).toBeGreaterThan(0);
    const name = first.skills[0]!.name;
    await rm(path.join(dir, name), { recursive: true, force: true });
    expect((await loadSkills({ builtinDir: dir, builtinImmutable: true })).skills.map((s) => s.name)).toContain(name);
    expect((await loadSkills({ builtinDir: dir })).skills.map((s) => s.name)).not.toContain(name);

    const ws = await tempDir('ah-ws-');
    const skillDir = path.join(ws, '.agents/skills/local-one');
    await cp(path.join(dir, first.skills[1]!.name), skillDir, { recursive: true });
    await writeFile(path.join(skillDir, 'SKILL.md'), '---\nname: local-one\ndescription: A workspace skill added after the first load.\n---\nDo the local thing.\n');
    expect((await loadSkills({ builtinDir: dir, builtinImmutable: true, workspaceRoot: ws })).skills.map((s) => s.name)).toContain('local-one');
  });
});
