import { z } from 'zod';
import type { ActiveSkills } from '../skills/activeSkills';
import { ToolError, defineTool } from './defineTool';
import type { SkillOrigin } from '../skills/skill';
import { TOOL } from '../../shared/toolNames';

export const LoadSkillArgsSchema = z.object({
  name: z.string().min(1).describe('The name of a skill from the list of available skills.'),
});
export type LoadSkillArgs = z.infer<typeof LoadSkillArgsSchema>;

export const LOADED_BY_MODEL = 'loaded by the model';

/**
 * `load_skill {name}`: returns a skill's instructions and the files in its folder, and marks it
 * active so its tools and commands are granted and `skillsUsed` reports it.
 */
export function createLoadSkillTool(active: ActiveSkills) {
  return defineTool({
    name: TOOL.loadSkill,
    description:
      'Load the full instructions of a skill listed in the system prompt. Call it before doing work the skill covers. Returns the instructions and the files that come with the skill.',
    kind: 'read',
    schema: LoadSkillArgsSchema,
    async run({ name }) {
      const skill = active.get(name.trim());
      if (!skill) {
        const names = active.available().map((s) => s.name);
        const list = names.length > 0 ? names.join(', ') : '(none)';
        throw new ToolError(`There is no skill named "${name}". Available skills: ${list}.`);
      }
      const alreadyActive = active.isActive(skill.name);
      active.activate(skill.name, LOADED_BY_MODEL);
      const header = `# Skill: ${skill.name}${alreadyActive ? ' (already active)' : ''}\n${skill.description}\n`;
      const grants: string[] = [];
      if (skill.tools.length > 0) grants.push(`Tools granted while this skill is active: ${skill.tools.join(', ')}.`);
      if (skill.commands.length > 0) grants.push(`Commands granted while this skill is active: ${skill.commands.join(', ')}.`);
      const files =
        skill.files.length > 0
          ? `Files in this skill (${where(skill.origin, skill.source)}):\n${skill.files.map((f) => `- ${f}`).join('\n')}`
          : 'This skill has no other files.';
      return [header, skill.instructions, '', ...grants, files].join('\n');
    },
  });
}

/** Workspace skill files can be read with read_file by their workspace path; built-in ones cannot. */
function where(origin: SkillOrigin, source: string): string {
  if (origin === 'built-in') return 'a built-in skill; its files ship with Agent Harness and are not in the workspace';
  const folder = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : '.';
  return `read them with read_file under ${folder}/`;
}
