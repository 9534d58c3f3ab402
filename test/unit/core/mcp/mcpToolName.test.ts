import { describe, expect, it } from 'vitest';
import { isValidProviderToolName, namespacedToolName, serverToolPrefix } from '../../../../src/core/mcp/mcpToolName';
import { profileAllowsTool, toolApprovalOverride } from '../../../../src/core/profiles/profile';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';

const OPENAI = /^[a-zA-Z0-9_-]{1,64}$/;
const ANTHROPIC = /^[a-zA-Z0-9_-]{1,128}$/;

describe('namespacedToolName', () => {
  it('joins server and tool with a double underscore', () => {
    expect(namespacedToolName('github', 'create_issue')).toBe('github__create_issue');
  });

  it.each(['files/read', 'db.query', 'ünïcode tool', '', 'a'.repeat(100), `x${'y'.repeat(80)}`])('gives a name both providers accept for %j', (tool) => {
    const name = namespacedToolName('my-server', tool);
    expect(name).toMatch(OPENAI);
    expect(name).toMatch(ANTHROPIC);
    expect(isValidProviderToolName(name)).toBe(true);
    expect(name.startsWith('my-server__')).toBe(true);
  });

  it('keeps two long names with a common start apart', () => {
    const a = namespacedToolName('srv', `${'x'.repeat(70)}_one`);
    const b = namespacedToolName('srv', `${'x'.repeat(70)}_two`);
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
  });
});

describe('profile matching of MCP tools', () => {
  const coder = BUILTIN_PROFILES[0]!;
  it('selects one server by its prefix', () => {
    const profile = { ...coder, tools: ['read_file', serverToolPrefix('github')] };
    expect(serverToolPrefix('github')).toBe('github__*');
    expect(profileAllowsTool(profile, namespacedToolName('github', 'create_issue'))).toBe(true);
    expect(profileAllowsTool(profile, namespacedToolName('github-enterprise', 'create_issue'))).toBe(false);
    expect(profileAllowsTool(profile, namespacedToolName('jira', 'create_issue'))).toBe(false);
  });

  it('applies per-server approval overrides by prefix', () => {
    const profile = { ...coder, approvals: { ...coder.approvals, tools: { 'github__*': 'allow' as const, github__delete_repo: 'deny' as const } } };
    expect(toolApprovalOverride(profile, 'github__list_issues')).toBe('allow');
    expect(toolApprovalOverride(profile, 'github__delete_repo')).toBe('deny');
  });
});
