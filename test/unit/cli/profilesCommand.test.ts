import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/cliIo';
import { runProfilesCommand } from '../../../src/cli/profilesCommand';
import { tempTree } from '../core/skills/skillFixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function ws(files: Record<string, string>): Promise<string> {
  const t = await tempTree(files);
  cleanups.push(t.cleanup);
  return t.root;
}
function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

describe('agent-harness profiles', () => {
  it('lists built-in and workspace profiles with their source as a table', async () => {
    const root = await ws({ '.agent-harness/profiles/coder.yaml': 'model: gpt-4.1\n', '.agent-harness/profiles/docs.yaml': 'description: Docs writer\ntools: [read_file]\n' });
    const { out, io: cli } = io();
    expect(await runProfilesCommand(['--workspace', root], cli)).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+MODEL\s+SANDBOX\s+TOOLS\s+SOURCE\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^coder\s+gpt-4\.1\s+container\s+all\s+\.agent-harness\/profiles\/coder\.yaml \(overrides built-in\)$/);
    expect(lines[2]).toMatch(/^reviewer\s+\(default\)\s+container\s+5\s+built-in\s+Read-only code reviewer/);
    expect(lines[3]).toMatch(/^docs\s+\(default\)\s+container\s+1\s+\.agent-harness\/profiles\/docs\.yaml\s+Docs writer$/);
    expect(out.stderr).toBe('');
  });

  it('prints JSON with --json', async () => {
    const root = await ws({});
    const { out, io: cli } = io();
    expect(await runProfilesCommand([`--workspace=${root}`, '--json'], cli)).toBe(0);
    const parsed = JSON.parse(out.stdout) as { profiles: { name: string; source: string; tools: string[] | null }[]; problems: unknown[] };
    expect(parsed.profiles.map((p) => [p.name, p.source])).toEqual([['coder', 'built-in'], ['reviewer', 'built-in']]);
    expect(parsed.profiles[1]!.tools).toContain('grep');
    expect(parsed.problems).toEqual([]);
  });

  it('reports broken profiles on stderr, still lists the rest, and exits 1', async () => {
    const root = await ws({ '.agent-harness/profiles/leak.yaml': 'name: leak\napiKey: sk-abcdefghijklmnopqrstuv\n' });
    const { out, io: cli } = io();
    expect(await runProfilesCommand(['--workspace', root], cli)).toBe(1);
    expect(out.stdout).toContain('coder');
    expect(out.stderr).toMatch(/^agent-harness: profile not loaded: \.agent-harness\/profiles\/leak\.yaml: field "apiKey" looks like a credential field/);
    expect(out.stderr).not.toContain('sk-abcdef');
  });

  it('refuses unknown arguments and a missing workspace with a usage error', async () => {
    const { io: cli } = io();
    await expect(runProfilesCommand(['--bogus'], cli)).rejects.toThrow(UsageError);
    await expect(runProfilesCommand(['--workspace'], cli)).rejects.toThrow(/--workspace needs a folder/);
    await expect(runProfilesCommand(['--workspace', '/nonexistent/dir/xyz'], cli)).rejects.toThrow(/workspace folder not found/);
  });
});
