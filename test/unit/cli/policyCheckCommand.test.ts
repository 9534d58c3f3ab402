import { describe, expect, it } from 'vitest';
import { runPolicyCheckCommand } from '../../../src/cli/policyCheckCommand';
import { CommandVerdictSchema } from '../../support/commandVerdictSchema';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runPolicyCheckCommand(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe('agent-harness policy check-command', () => {
  it('prints the verdict as JSON with --json and exits 0 whatever the verdict', async () => {
    const r = await run('--json', '--', 'ls -la src && git status');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const v = CommandVerdictSchema.parse(JSON.parse(r.stdout));
    expect(v.verdict).toBe('allow');
    expect(v.segments.map((s) => s.argv)).toEqual([['ls', '-la', 'src'], ['git', 'status']]);

    const denied = await run('--json', '--', 'echo x > .git/config');
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout).verdict).toBe('deny');
  });

  it('uses the default allowlist without --allow', async () => {
    expect(JSON.parse((await run('--json', '--', 'git log -5')).stdout).verdict).toBe('allow');
    expect(JSON.parse((await run('--json', '--', 'git commit -m x')).stdout).verdict).toBe('ask');
  });

  it('with --allow, allows exactly those programs, with the built-in argument rules', async () => {
    const out = async (...a: string[]) => JSON.parse((await run('--json', ...a)).stdout).verdict;
    expect(await out('--allow', 'pytest', '--', 'pytest -q tests/x.py')).toBe('allow');
    expect(await out('--allow', 'pytest', '--', 'ls')).toBe('ask');
    expect(await out('--allow', 'node,ls', '--', 'node -e 1')).toBe('ask');
    expect(await out('--allow=node,ls', '--', 'node build.js && ls')).toBe('allow');
    expect(await out('--allow', 'git status, npm run lint', '--', 'npm run lint')).toBe('allow');
    expect(await out('--allow', 'ls', '--allow', 'cat', '--', 'ls | cat')).toBe('allow');
  });

  it('in local mode nothing is allowed without a human', async () => {
    const r = await run('--json', '--mode', 'local', '--allow', 'ls', '--', 'ls');
    const v = JSON.parse(r.stdout);
    expect(v.verdict).toBe('ask');
    expect(v.reasons.join()).toMatch(/local mode is not a sandbox/);
  });

  it('prints a readable form without --json', async () => {
    const r = await run('--allow', 'ls', '--', 'ls -la && rm -rf build');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ask',
        '  1. allow: ls -la',
        '       ls only reads and prints (allowlist entry "ls")',
        '  2. ask (after &&): rm -rf build',
        '       rm is not on the allowlist',
        'reasons:',
        '  - rm -rf build: rm is not on the allowlist',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [[], /give the COMMAND after --/],
    [['--', 'git', 'status'], /one quoted argument after --, got 2/],
    [['--mode', 'docker', '--', 'ls'], /--mode must be container or local, got "docker"/],
    [['--allow'], /--allow needs a value/],
    [['--allow', 'ls,,cat', '--', 'ls'], /--allow: an allowlist entry is empty/],
    [['--allow', 'ls;rm', '--', 'ls'], /--allow: allowlist entry "ls;rm" contains/],
    [['--verbose', '--', 'ls'], /unknown option --verbose/],
  ])('usage error %j exits 2 with one line', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('usage: agent-harness policy check-command');
  });
});
