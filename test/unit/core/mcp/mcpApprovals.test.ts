import { describe, expect, it } from 'vitest';
import { configuredDecision, withToolApprovals } from '../../../../src/core/mcp/mcpApprovals';
import { parseMcpConfig } from '../../../../src/core/mcp/mcpConfig';
import { createMcpTools } from '../../../../src/core/mcp/mcpTools';
import { decideApproval } from '../../../../src/core/policy/approvals';
import { refuseAll, withApproval, type DecideFn } from '../../../../src/core/policy/approvalsWrapper';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';
import type { Profile } from '../../../../src/core/profiles/profile';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { toolContext } from '../../../support/fixtures';

const coder = BUILTIN_PROFILES.find((p) => p.name === 'coder')!;
const reviewer = BUILTIN_PROFILES.find((p) => p.name === 'reviewer')!;
const ctx = () => (toolContext());

const echo = { name: 'echo', kind: 'external' as const };
const decide = (profile: Profile, tool: { name: string; kind: 'external'; destructive?: boolean } = { ...echo, name: 'srv__echo' }) =>
  decideApproval({ tool, args: { text: 'hi' }, profile });

describe('approval of MCP tools', () => {
  it('asks by default', () => {
    const d = decide(coder);
    expect(d.decision).toBe('ask');
    expect(d.reasons).toEqual(["profile 'coder' asks before external tools"]);
  });

  it('allows a tool whose server mcp.json allows, and asks or denies what it says', () => {
    const profile = withToolApprovals(coder, { srv__echo: 'allow', srv__add: 'deny', srv__fail: 'ask' });
    expect(decide(profile)).toMatchObject({ decision: 'allow', reasons: ["profile 'coder' allows srv__echo"] });
    expect(decide(profile, { ...echo, name: 'srv__add' }).decision).toBe('deny');
    expect(decide(profile, { ...echo, name: 'srv__fail' }).decision).toBe('ask');
    expect(decide(profile, { ...echo, name: 'other__echo' }).decision).toBe('ask');
    // The profile object given in is not changed.
    expect(coder.approvals.tools).toEqual({});
  });

  it('keeps the profile in charge: its own overrides win, and a profile denying external tools is not loosened', () => {
    const strict = { ...coder, approvals: { ...coder.approvals, tools: { 'srv__*': 'ask' as const } } };
    expect(decide(withToolApprovals(strict, { srv__echo: 'allow' })).decision).toBe('ask');
    const denying = { ...coder, approvals: { ...coder.approvals, external: 'deny' as const } };
    expect(decide(withToolApprovals(denying, { srv__echo: 'allow' })).decision).toBe('deny');
    expect(decide(withToolApprovals(reviewer, { srv__echo: 'allow' })).decision).toBe('deny');
  });

  it('still asks for a tool the server flags destructive, even when allowed', () => {
    const d = decide(withToolApprovals(coder, { srv__wipe: 'allow' }), { name: 'srv__wipe', kind: 'external', destructive: true });
    expect(d.decision).toBe('ask');
    expect(d.grantScopes).toEqual([]);
  });

  it('reads the decision from mcp.json: per tool over the server', () => {
    const { servers } = parseMcpConfig(JSON.stringify({ servers: { a: { command: 'x', approval: 'allow', tools: { wipe: 'deny' } }, b: { command: 'y' } } }));
    expect(configuredDecision(servers[0]!.config, 'echo')).toBe('allow');
    expect(configuredDecision(servers[0]!.config, 'wipe')).toBe('deny');
    expect(configuredDecision(servers[1]!.config, 'echo')).toBeUndefined();
  });

  it('runs through the approval wrapper: refused when nobody can approve, run when configured allow', async () => {
    const calls: string[] = [];
    const tools = createMcpTools('srv', [{ name: 'echo', inputSchema: { type: 'object' } }], {
      callTool: async (name) => {
        calls.push(name);
        return { content: [{ type: 'text', text: 'done' }] };
      },
    }).tools;
    const decideWith = (profile: Profile): DecideFn => (tool, args) => decideApproval({ tool, args, profile });

    const asked = new ToolRegistry(tools.map((t) => withApproval(t, decideWith(coder), refuseAll())));
    const refused = await asked.call('srv__echo', '{}', ctx());
    expect(refused.isError).toBe(true);
    expect(refused.content).toContain('re-run with --yes');
    expect(calls).toEqual([]);

    const allowed = new ToolRegistry(tools.map((t) => withApproval(t, decideWith(withToolApprovals(coder, { srv__echo: 'allow' })), refuseAll())));
    expect(await allowed.call('srv__echo', '{}', ctx())).toMatchObject({ content: 'done', isError: false });
    expect(calls).toEqual(['echo']);
  });
});
