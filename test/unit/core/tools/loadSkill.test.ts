import { describe, expect, it } from 'vitest';
import { ActiveSkills } from '../../../../src/core/skills/activeSkills';
import { grantsFor } from '../../../../src/core/skills/skillGrants';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { createLoadSkillTool } from '../../../../src/core/tools/loadSkill';
import { makeSkill } from '../skills/skillFixtures';
import { toolContext } from '../../../support/fixtures';

const ctx = toolContext();
const debugging = makeSkill({ name: 'debugging', description: 'Find root causes.', instructions: '# Debugging\nReproduce first.', tools: ['run_command'], commands: ['npm test'] });
const local = makeSkill({
  name: 'deploy',
  description: 'Deploy.',
  origin: 'workspace',
  source: '.agents/skills/deploy/SKILL.md',
  files: ['checklist.md', 'scripts/check.sh'],
});

describe('load_skill', () => {
  it('is a read tool named load_skill with a name argument', () => {
    const tool = createLoadSkillTool(new ActiveSkills([]));
    expect(tool.name).toBe('load_skill');
    expect(tool.kind).toBe('read');
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['name'] });
  });

  it('returns the instructions and grants, and activates the skill so its grants apply', async () => {
    const active = new ActiveSkills([debugging, local]);
    const registry = new ToolRegistry([createLoadSkillTool(active)]);
    expect(grantsFor(active).explanation('run_command')).toBeUndefined();
    const out = await registry.call('load_skill', '{"name":"debugging"}', ctx);
    expect(out.isError).toBe(false);
    expect(out.content).toContain('# Skill: debugging\nFind root causes.');
    expect(out.content).toContain('# Debugging\nReproduce first.');
    expect(out.content).toContain('Commands granted while this skill is active: npm test.');
    expect(out.content).toContain('This skill has no other files.');
    expect(active.list()).toEqual([{ name: 'debugging', reason: 'loaded by the model' }]);
    expect(grantsFor(active).explanation('run_command')).toBe("allowed by skill 'debugging'");
  });

  it('lists a workspace skill\'s files with the folder to read them from', async () => {
    const active = new ActiveSkills([local]);
    const out = await new ToolRegistry([createLoadSkillTool(active)]).call('load_skill', '{"name":"deploy"}', ctx);
    expect(out.content).toContain('read them with read_file under .agents/skills/deploy/');
    expect(out.content).toContain('- checklist.md\n- scripts/check.sh');
  });

  it('keeps the original reason when a selected skill is loaded again', async () => {
    const active = new ActiveSkills([debugging]);
    active.activate('debugging', "trigger 'bug' matched");
    const out = await new ToolRegistry([createLoadSkillTool(active)]).call('load_skill', '{"name":"debugging"}', ctx);
    expect(out.content).toContain('(already active)');
    expect(active.list()).toEqual([{ name: 'debugging', reason: "trigger 'bug' matched" }]);
  });

  it('answers an unknown name with a tool error listing the available skills', async () => {
    const active = new ActiveSkills([debugging, local]);
    const out = await new ToolRegistry([createLoadSkillTool(active)]).call('load_skill', '{"name":"nope"}', ctx);
    expect(out).toMatchObject({ isError: true, content: 'There is no skill named "nope". Available skills: debugging, deploy.' });
    expect(active.list()).toEqual([]);
  });
});
