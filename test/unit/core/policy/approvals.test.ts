import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';
import { ProfileSchema, type Profile } from '../../../../src/core/profiles/profile';
import { commandAllowlistFor, decideApproval, type ApprovalInput, type CommandCheck } from '../../../../src/core/policy/approvals';
import { GrantStore, approvalKey } from '../../../../src/core/policy/approvalsGrants';
import { ActiveSkills } from '../../../../src/core/skills/activeSkills';
import { grantsFor } from '../../../../src/core/skills/skillGrants';
import { makeSkill } from '../skills/skillFixtures';

const coder = BUILTIN_PROFILES[0]!;
const reviewer = BUILTIN_PROFILES[1]!;
const profile = (over: Record<string, unknown>): Profile => ProfileSchema.parse({ name: 'custom', ...over });

const readFile = { name: 'read_file', kind: 'read' as const };
const editFile = { name: 'edit_file', kind: 'write' as const };
const runCommand = { name: 'run_command', kind: 'command' as const };
const mcpTool = { name: 'github.create_issue', kind: 'external' as const };
const askUser = { name: 'ask_user', kind: 'interaction' as const };
const deleteFile = { name: 'delete_file', kind: 'write' as const, destructive: true };

function cmd(verdict: CommandCheck['verdict'], argv: string[], extra: Partial<CommandCheck> = {}): CommandCheck {
  return { commandLine: argv.join(' '), verdict, reasons: [`policy: ${verdict} ${argv[0]}`], segments: [{ argv, verdict, reason: 'r' }], ...extra };
}
const decide = (input: Partial<ApprovalInput> & Pick<ApprovalInput, 'tool'>) => decideApproval({ args: {}, profile: coder, ...input });

describe('decideApproval: profile and tool kind', () => {
  it('allows reads, edit proposals and questions for the coder', () => {
    expect(decide({ tool: readFile }).decision).toBe('allow');
    expect(decide({ tool: editFile, paths: [{ path: 'src/a.ts', verdict: 'allow', reason: 'inside' }] })).toMatchObject({ decision: 'allow', reasons: ["profile 'coder' allows write tools"] });
    expect(decide({ tool: askUser }).decision).toBe('allow');
  });

  it('asks before external (MCP) tools by default, and that ask can be remembered', () => {
    const d = decide({ tool: mcpTool });
    expect(d).toMatchObject({ decision: 'ask', reasons: ["profile 'coder' asks before external tools"], grantScopes: ['run', 'workspace'], grantSubject: { tool: 'github.create_issue' } });
  });

  it('denies a tool the profile does not enable', () => {
    expect(decide({ tool: editFile, profile: reviewer })).toMatchObject({ decision: 'deny', reasons: ["tool edit_file is not enabled in profile 'reviewer'"], grantScopes: [] });
  });

  it('denies by kind and by per-tool override, and an override can loosen or tighten a kind', () => {
    const p = profile({ approvals: { write: 'deny', command: 'ask', tools: { edit_file: 'ask', run_command: 'deny' } } });
    expect(decide({ tool: { name: 'write_file', kind: 'write' }, profile: p })).toMatchObject({ decision: 'deny', reasons: ["profile 'custom' does not allow write tools (write_file)"] });
    expect(decide({ tool: editFile, profile: p })).toMatchObject({ decision: 'ask', reasons: ["profile 'custom' asks before edit_file"] });
    expect(decide({ tool: runCommand, profile: p, command: cmd('allow', ['ls']) })).toMatchObject({ decision: 'deny', reasons: ["profile 'custom' denies tool run_command"] });
  });

  it('applies a prefix override to namespaced tools, the longest prefix and exact names first', () => {
    const p = profile({ approvals: { tools: { 'github.*': 'allow', 'github.delete*': 'deny', 'github.delete_label': 'ask' } } });
    expect(decide({ tool: mcpTool, profile: p }).decision).toBe('allow');
    expect(decide({ tool: { name: 'github.delete_repo', kind: 'external' }, profile: p }).decision).toBe('deny');
    expect(decide({ tool: { name: 'github.delete_label', kind: 'external' }, profile: p }).decision).toBe('ask');
    expect(decide({ tool: { name: 'gitlab.x', kind: 'external' }, profile: p }).decision).toBe('ask');
  });

  it('asks for a destructive tool in every profile, even one that allows it, and never offers always-allow', () => {
    const p = profile({ approvals: { tools: { delete_file: 'allow' } } });
    for (const prof of [coder, p]) {
      expect(decide({ tool: deleteFile, profile: prof })).toMatchObject({ decision: 'ask', reasons: ['delete_file is flagged destructive, so every call needs approval'], grantScopes: [] });
    }
  });
});

describe('decideApproval: path guard', () => {
  it('denies when any path is denied, whatever the profile says', () => {
    const p = profile({ approvals: { tools: { edit_file: 'allow' } } });
    const d = decide({ tool: editFile, profile: p, paths: [{ path: 'a.ts', verdict: 'allow', reason: 'ok' }, { path: '../etc/passwd', verdict: 'deny', reason: 'outside the workspace' }] });
    expect(d).toMatchObject({ decision: 'deny', reasons: ['../etc/passwd: outside the workspace'] });
  });

  it('asks for a protected path and no standing grant covers it', () => {
    const grants = new GrantStore();
    grants.add('workspace', { tool: 'edit_file' });
    const d = decide({ tool: editFile, grants, paths: [{ path: '.vscode/settings.json', verdict: 'ask', reason: 'protected: editor settings can run code' }] });
    expect(d).toMatchObject({ decision: 'ask', reasons: ['.vscode/settings.json: protected: editor settings can run code'], grantScopes: [] });
  });
});

describe('decideApproval: command policy', () => {
  it('allows what the policy allows and says why', () => {
    expect(decide({ tool: runCommand, command: cmd('allow', ['ls', '-la']) })).toMatchObject({ decision: 'allow', reasons: ["profile 'coder' allows command tools", 'policy: allow ls'] });
  });

  it('denies what the policy denies, even with a grant', () => {
    const grants = new GrantStore();
    grants.add('run', { tool: 'run_command' });
    expect(decide({ tool: runCommand, grants, command: cmd('deny', ['rm', '-rf', '/']) })).toMatchObject({ decision: 'deny', reasons: ['policy: deny rm'] });
  });

  it('asks for a code-execution ask and no grant covers it', () => {
    const c = cmd('ask', ['python', 'script.py']);
    const grants = new GrantStore();
    grants.add('workspace', { tool: 'run_command', command: JSON.stringify([['', 'python', 'script.py']]) });
    expect(decide({ tool: runCommand, grants, command: c })).toMatchObject({ decision: 'ask', grantScopes: [] });
    expect(decide({ tool: runCommand, grants, command: { ...c, risks: ['code'] } })).toMatchObject({ decision: 'ask', grantScopes: [] });
  });

  it('lets an exact-command grant cover a non-code-execution ask, and only that command', () => {
    const c = cmd('ask', ['make', 'fmt'], { risks: ['unlisted'] });
    const first = decide({ tool: runCommand, command: c });
    expect(first).toMatchObject({ decision: 'ask', grantScopes: ['run', 'workspace'] });
    const grants = new GrantStore();
    grants.add('run', first.grantSubject!);
    expect(decide({ tool: runCommand, grants, command: c })).toMatchObject({ decision: 'allow', reasons: ['allowed by your "always allow" grant for this run'] });
    expect(decide({ tool: runCommand, grants, command: cmd('ask', ['make', 'fmt', 'all'], { risks: ['unlisted'] }) }).decision).toBe('ask');
  });

  it('never lets a grant cover a command ask in local mode', () => {
    const local = profile({ sandbox: 'local' });
    const c = cmd('ask', ['make', 'fmt'], { risks: ['unlisted'] });
    const grants = new GrantStore();
    grants.add('run', decide({ tool: runCommand, command: c }).grantSubject!);
    expect(decide({ tool: runCommand, profile: local, grants, command: c })).toMatchObject({ decision: 'ask', grantScopes: [] });
  });

  it('asks, without always-allow, when a command tool comes without a policy verdict', () => {
    expect(decide({ tool: runCommand })).toMatchObject({ decision: 'ask', reasons: ['the command policy gave no verdict for this call'], grantScopes: [] });
  });

  it('asks for every command when the profile says so, and that ask is grantable', () => {
    const p = profile({ approvals: { command: 'ask' } });
    expect(decide({ tool: runCommand, profile: p, command: cmd('allow', ['ls']) })).toMatchObject({ decision: 'ask', reasons: ["profile 'custom' asks before command tools"], grantScopes: ['run', 'workspace'] });
  });
});

describe('decideApproval: skills', () => {
  const testing = makeSkill({ name: 'testing', description: 't', tools: ['run_command'], commands: ['npm test'] });

  it('names the skill that granted a command the profile allowlist does not cover', () => {
    const active = new ActiveSkills([testing]);
    active.activate('testing', 'loaded by the model');
    const d = decide({ tool: runCommand, skillGrants: grantsFor(active), command: cmd('allow', ['npm', 'test']) });
    expect(d.decision).toBe('allow');
    expect(d.reasons).toContain("npm test: allowed by skill 'testing'");
  });

  it('lets an active skill enable a tool the profile does not list, but not past a kind the profile denies', () => {
    const p = profile({ tools: ['read_file'] });
    const active = new ActiveSkills([testing]);
    expect(decide({ tool: runCommand, profile: p, skillGrants: grantsFor(active), command: cmd('allow', ['npm', 'test']) }).decision).toBe('deny');
    active.activate('testing', 'r');
    const d = decide({ tool: runCommand, profile: p, skillGrants: grantsFor(active), command: cmd('allow', ['npm', 'test']) });
    expect(d).toMatchObject({ decision: 'allow' });
    expect(d.reasons[0]).toBe("run_command: allowed by skill 'testing'");
    expect(decide({ tool: runCommand, profile: reviewer, skillGrants: grantsFor(active), command: cmd('allow', ['npm', 'test']) }).decision).toBe('deny');
  });

  it('feeds the profile allowlist and active skill commands to the command policy', () => {
    const active = new ActiveSkills([testing]);
    const p = profile({ commandAllowlist: ['npm run lint'] });
    expect(commandAllowlistFor(p, grantsFor(active))).toEqual(['npm run lint']);
    active.activate('testing', 'r');
    expect(commandAllowlistFor(p, grantsFor(active))).toEqual(['npm run lint', 'npm test']);
  });
});

describe('decideApproval: binding', () => {
  it('keys the decision on the tool, the exact arguments and the content hash', () => {
    const a = decide({ tool: mcpTool, args: { title: 'x', body: 'y' } });
    const b = decide({ tool: mcpTool, args: { body: 'y', title: 'x' } });
    const c = decide({ tool: mcpTool, args: { title: 'x', body: 'z' } });
    const d = decide({ tool: mcpTool, args: { title: 'x', body: 'y' }, contentHash: 'h2' });
    expect(a.key).toBe(b.key);
    expect(a.key).toBe(approvalKey('github.create_issue', { title: 'x', body: 'y' }));
    expect(new Set([a.key, c.key, d.key]).size).toBe(3);
  });
});
