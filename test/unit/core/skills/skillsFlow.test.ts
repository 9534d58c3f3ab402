import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../../../src/core/agent/loop';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import { decideApproval } from '../../../../src/core/policy/approvals';
import { GrantStore } from '../../../../src/core/policy/approvalsGrants';
import { refuseAll, withApproval, type ApprovalOutcome } from '../../../../src/core/policy/approvalsWrapper';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';
import { profileAllowsSkill } from '../../../../src/core/profiles/profile';
import { ActiveSkills } from '../../../../src/core/skills/activeSkills';
import { loadSkills } from '../../../../src/core/skills/loadSkills';
import { renderSkillsPrompt } from '../../../../src/core/skills/renderSkillsPrompt';
import { selectSkills } from '../../../../src/core/skills/selectSkills';
import { grantsFor } from '../../../../src/core/skills/skillGrants';
import { defineTool, type AnyTool } from '../../../../src/core/tools/defineTool';
import { createLoadSkillTool } from '../../../../src/core/tools/loadSkill';
import { ToolRegistry } from '../../../../src/core/tools/registry';

/**
 * The rails a run gets from skills, end to end on the real loop with a scripted model: selection puts
 * the testing skill's instructions in the system prompt, the model loads another skill, and the
 * approval rules credit the active skill for the command it ran.
 */
describe('skills on a run', () => {
  it('selects, loads, grants and reports skills', async () => {
    const coder = BUILTIN_PROFILES[0]!;
    const { skills } = await loadSkills({ builtinDir: resolve(__dirname, '../../../../skills') });
    const catalog = skills.filter((s) => profileAllowsSkill(coder, s.name));
    const task = 'Add unit tests for the session parser';
    const selected = selectSkills(catalog, task);
    const active = new ActiveSkills(catalog, selected);
    const system = renderSkillsPrompt(catalog, selected, 2000);

    const ran: string[][] = [];
    const runCommand = defineTool({
      name: 'run_command',
      description: 'Run a command.',
      kind: 'command',
      schema: z.object({ command: z.string() }),
      run: async ({ command }) => {
        ran.push(command.split(' '));
        return 'ok';
      },
    });
    const outcomes: ApprovalOutcome[] = [];
    const grants = new GrantStore();
    const decide = (tool: AnyTool, args: unknown) => {
      const argv = (args as { command: string }).command.split(' ');
      // Stands in for the command policy, which would allow `npm test` because the active skill put it on the allowlist.
      const allowed = grantsFor(active).coversCommand(argv);
      const verdict = allowed ? 'allow' : 'ask';
      return decideApproval({
        tool,
        args,
        profile: coder,
        skillGrants: grantsFor(active),
        grants,
        command: { commandLine: argv.join(' '), verdict, reasons: [`policy: ${verdict}`], segments: [{ argv, verdict, reason: verdict }] },
      });
    };
    const tools = new ToolRegistry([createLoadSkillTool(active), withApproval(runCommand, decide, refuseAll(), { grants, onOutcome: (o) => outcomes.push(o) })]);
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'load_skill', arguments: { name: 'debugging' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'npm test' } }, { name: 'run_command', arguments: { command: 'curl example.com' } }] },
      { text: 'Added tests.' },
    ]);

    const result = await runAgent({ task, system, model, tools, skillsUsed: active.list() });

    expect(result.status).toBe('completed');
    expect(model.requests[0]!.system).toContain('## Skill: testing');
    expect(model.requests[0]!.system).toContain('- debugging: Find and fix the root cause');
    expect(model.requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', toolName: 'load_skill', content: expect.stringContaining('# Debugging') });
    expect(active.list()).toEqual([
      { name: 'testing', reason: expect.stringMatching(/^trigger 'test' matched, trigger 'unit test' matched/) },
      { name: 'debugging', reason: 'loaded by the model' },
    ]);
    expect(ran).toEqual([['npm', 'test']]);
    expect(outcomes[0]!.decision.reasons).toContain("npm test: allowed by skill 'testing', 'debugging'");
    expect(outcomes[1]!).toMatchObject({ approved: false, decision: { decision: 'ask' } });
  });
});
