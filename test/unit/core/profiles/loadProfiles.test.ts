import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';
import { findProfile, loadProfiles, parseProfileText, SECRET_HELP } from '../../../../src/core/profiles/loadProfiles';
import { profileAllowsSkill, profileAllowsTool } from '../../../../src/core/profiles/profile';
import { tempTree } from '../skills/skillFixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function workspace(profiles: Record<string, string>): Promise<string> {
  const files = Object.fromEntries(Object.entries(profiles).map(([k, v]) => [`.agent-harness/profiles/${k}`, v]));
  const t = await tempTree(files);
  cleanups.push(t.cleanup);
  return t.root;
}

describe('built-in profiles', () => {
  it('ships coder (default, full tool set) and a read-only reviewer', () => {
    const [coder, reviewer] = BUILTIN_PROFILES;
    expect(coder!.name).toBe('coder');
    expect(coder!.tools).toBeUndefined();
    expect(profileAllowsTool(coder!, 'run_command')).toBe(true);
    expect(reviewer!.name).toBe('reviewer');
    expect(reviewer!.tools).toEqual(['read_file', 'list_dir', 'grep', 'find_files', 'load_skill']);
    expect(reviewer!.approvals).toMatchObject({ write: 'deny', command: 'deny', external: 'deny' });
    expect(profileAllowsSkill(reviewer!, 'code-review')).toBe(true);
    expect(profileAllowsSkill(reviewer!, 'testing')).toBe(false);
    expect(profileAllowsTool(reviewer!, 'write_file')).toBe(false);
  });
});

describe('loadProfiles', () => {
  it('returns the built-ins when there is no workspace or no profiles folder', async () => {
    expect((await loadProfiles()).profiles.map((p) => [p.profile.name, p.source])).toEqual([['coder', 'built-in'], ['reviewer', 'built-in']]);
    const empty = await workspace({});
    expect(await loadProfiles(empty)).toEqual(await loadProfiles());
  });

  it('loads YAML, YML and JSON profiles with defaults, names from the file when omitted', async () => {
    const ws = await workspace({
      'release-notes.yaml': 'description: Writes release notes\nmodel: gpt-4.1-mini\nsystemPrompt: |\n  You write release notes.\ntools: [read_file, grep, "github.*"]\nskills: [documentation]\ncommandAllowlist: ["git log"]\nlimits: { maxTurns: 10, maxCostUsd: 0.5 }\n',
      'triage.yml': 'name: triage\nsandbox: local\napprovals:\n  command: ask\n  tools: { run_command: deny }\n',
      'docs.json': '{"name": "docs-bot", "tools": ["read_file"]}',
      'notes.txt': 'ignored',
    });
    const { profiles, problems } = await loadProfiles(ws);
    expect(problems).toEqual([]);
    expect(profiles.map((p) => [p.profile.name, p.source])).toEqual([
      ['coder', 'built-in'],
      ['reviewer', 'built-in'],
      ['docs-bot', '.agent-harness/profiles/docs.json'],
      ['release-notes', '.agent-harness/profiles/release-notes.yaml'],
      ['triage', '.agent-harness/profiles/triage.yml'],
    ]);
    const rn = profiles[3]!.profile;
    expect(rn).toMatchObject({ model: 'gpt-4.1-mini', systemPrompt: 'You write release notes.\n', sandbox: 'container', commandAllowlist: ['git log'], limits: { maxTurns: 10, maxCostUsd: 0.5 } });
    expect(rn.approvals).toEqual({ read: 'allow', write: 'allow', command: 'allow', external: 'ask', interaction: 'allow', tools: {} });
    expect(profileAllowsTool(rn, 'github.create_issue')).toBe(true);
    expect(profileAllowsTool(rn, 'gitlab.x')).toBe(false);
    expect(profiles[4]!.profile).toMatchObject({ sandbox: 'local', approvals: { command: 'ask', tools: { run_command: 'deny' } } });
    expect(profiles[4]!.profile.tools).toBeUndefined();
  });

  it('lets a workspace profile replace a built-in and records where it came from', async () => {
    const ws = await workspace({ 'coder.yaml': 'name: coder\nmodel: claude-sonnet-4-5\n' });
    const { profiles } = await loadProfiles(ws);
    expect(profiles[0]).toMatchObject({ source: '.agent-harness/profiles/coder.yaml', overrides: 'built-in', profile: { name: 'coder', model: 'claude-sonnet-4-5' } });
    expect(profiles).toHaveLength(2);
  });

  it('reports each broken file with the field and reason, and still loads the others', async () => {
    const ws = await workspace({
      'a-good.yaml': 'name: good\n',
      'bad-limits.yaml': 'name: bad\nlimits:\n  maxTurns: -3\n',
      'bad-yaml.yaml': 'name: [oops\n',
      'bad-json.json': '{"name": "x",}',
      'unknown.yaml': 'name: unknown\nmaxTurns: 5\n',
      'sandbox.yaml': 'name: sb\nsandbox: vm\n',
      'list.yaml': '- a\n- b\n',
    });
    const { profiles, problems } = await loadProfiles(ws);
    expect(profiles.map((p) => p.profile.name)).toEqual(['coder', 'reviewer', 'good']);
    const byFile = Object.fromEntries(problems.map((p) => [p.path.replace('.agent-harness/profiles/', ''), p.message]));
    expect(Object.keys(byFile).sort()).toEqual(['bad-json.json', 'bad-limits.yaml', 'bad-yaml.yaml', 'list.yaml', 'sandbox.yaml', 'unknown.yaml']);
    expect(byFile['bad-limits.yaml']).toMatch(/^field "limits\.maxTurns": /);
    expect(byFile['bad-yaml.yaml']).toMatch(/^invalid YAML \(line \d+\)/);
    expect(byFile['bad-json.json']).toMatch(/^invalid JSON/);
    expect(byFile['unknown.yaml']).toBe('unknown field "maxTurns"');
    expect(byFile['sandbox.yaml']).toMatch(/^field "sandbox": /);
    expect(byFile['list.yaml']).toMatch(/must be a mapping/);
  });

  it('reports a second file defining the same name', async () => {
    const ws = await workspace({ 'a.yaml': 'name: same\n', 'b.json': '{"name":"same"}' });
    const { profiles, problems } = await loadProfiles(ws);
    expect(profiles.filter((p) => p.profile.name === 'same')).toHaveLength(1);
    expect(problems).toEqual([{ path: '.agent-harness/profiles/b.json', message: 'profile "same" is also defined in .agent-harness/profiles/a.yaml, which is used instead' }]);
  });

  it('does not follow a symlinked profile file', async () => {
    const ws = await workspace({ 'real/p.yaml': 'name: linked\n' });
    await mkdir(join(ws, '.agent-harness/profiles'), { recursive: true });
    await symlink(join(ws, '.agent-harness/profiles/real/p.yaml'), join(ws, '.agent-harness/profiles/linked.yaml'));
    const { problems } = await loadProfiles(ws);
    expect(problems).toEqual([{ path: '.agent-harness/profiles/linked.yaml', message: expect.stringContaining('not a regular file') }]);
  });

  it('finds a profile by name or lists the names', async () => {
    const loaded = await loadProfiles();
    expect(findProfile(loaded, 'reviewer')).toMatchObject({ source: 'built-in' });
    expect(findProfile(loaded, 'nope')).toEqual({ error: 'unknown profile "nope". Available profiles: coder, reviewer.' });
  });
});

describe('secrets in profiles', () => {
  const planted: [string, string, RegExp][] = [
    ['an OpenAI key as the model', 'name: p\nmodel: sk-proj-Abc123def456ghi789jkl012\n', /field "model" looks like an OpenAI-style API key/],
    ['an Anthropic key in the prompt', 'name: p\nsystemPrompt: "use sk-ant-api03-AAAAbbbbCCCCdddd to call"\n', /field "systemPrompt" looks like an Anthropic API key/],
    ['an AWS key id', 'name: p\ndescription: AKIAIOSFODNN7EXAMPLE\n', /field "description" looks like an AWS access key id/],
    ['a GitHub token in a list', 'name: p\ncommandAllowlist: ["ghp_abcdefghijklmnopqrstuvwxyz0123456789"]\n', /field "commandAllowlist\.0" looks like a GitHub token/],
    ['an apiKey field', 'name: p\napiKey: not-even-key-shaped\n', /field "apiKey" looks like a credential field \("apiKey"\)/],
    ['a nested token field', 'name: p\ngateway:\n  token: abc\n', /field "gateway\.token" looks like a credential field/],
    ['a high-entropy token', 'name: p\ndescription: "x Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u y"\n', /field "description" looks like a long random token/],
  ];
  for (const [what, yaml, re] of planted) {
    it(`rejects ${what} and says where secrets belong, without echoing it`, () => {
      const res = parseProfileText(yaml, 'yaml', 'p');
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.message).toMatch(re);
      expect(res.message).toContain(SECRET_HELP);
      expect(res.message).toContain('Agent Harness: Set Gateway Key');
      expect(res.message).toContain('AGENT_HARNESS_API_KEY');
      for (const secret of ['sk-proj-Abc123', 'sk-ant-api03', 'AKIAIOSFODNN7', 'ghp_abc', 'not-even-key-shaped', 'Zm9vYmFy']) expect(res.message).not.toContain(secret);
    });
  }

  it('rejects a planted key in a workspace file as a problem while other profiles load', async () => {
    const ws = await workspace({ 'leaky.json': '{"name":"leaky","model":"gpt-4.1","apiKey":"sk-abcdefghijklmnopqrstuvwx"}', 'ok.yaml': 'name: ok\n' });
    const { profiles, problems } = await loadProfiles(ws);
    expect(profiles.map((p) => p.profile.name)).toContain('ok');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('.agent-harness/profiles/leaky.json');
    expect(problems[0]!.message).toMatch(/field "apiKey"/);
  });

  it('accepts ordinary values that are not secrets', () => {
    const yaml = [
      'name: ok',
      'model: claude-sonnet-4-5-20250929',
      'description: Reviews commit 3f786850e387550fdab836ed7e6dc881de23001b and src/core/profiles/secretScan.ts',
      'systemPrompt: "Use scikit-learn; never print tokens. ThisIsAVeryLongCamelCaseIdentifierName2 is fine."',
      'limits: { maxTokens: 100000 }',
    ].join('\n');
    expect(parseProfileText(yaml, 'yaml', 'ok')).toMatchObject({ ok: true });
  });

  it('rejects a model that is a URL rather than a name', () => {
    const res = parseProfileText('model: https://api.example.com/v1\n', 'yaml', 'p');
    expect(res).toEqual({ ok: false, message: expect.stringMatching(/^field "model": a model is a name/) });
  });
});
