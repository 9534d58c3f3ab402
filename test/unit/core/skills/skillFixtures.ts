import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Skill } from '../../../../src/core/skills/skill';
import { tempDir } from '../../../support/fixtures';

/** A temporary directory tree for one test; `cleanup` removes it. */
export async function tempTree(files: Record<string, string>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await tempDir('ah-skills-');
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function skillMd(fields: { name: string; description: string; triggers?: string[]; tools?: string[]; commands?: string[] }, body = 'Do the thing carefully.'): string {
  const list = (key: string, xs?: string[]) => (xs ? `${key}:\n${xs.map((x) => `  - "${x}"`).join('\n')}\n` : '');
  return `---\nname: ${fields.name}\ndescription: ${fields.description}\n${list('triggers', fields.triggers)}${list('tools', fields.tools)}${list('commands', fields.commands)}---\n${body}\n`;
}

/** An in-memory skill for selection and rendering tests. */
export function makeSkill(partial: Partial<Skill> & { name: string; description: string }): Skill {
  return {
    triggers: [],
    tools: [],
    commands: [],
    instructions: `Instructions for ${partial.name}.`,
    origin: 'built-in',
    dir: `/skills/${partial.name}`,
    source: 'built-in',
    files: [],
    contentHash: `hash-of-${partial.name}`,
    ...partial,
  };
}
