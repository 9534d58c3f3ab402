import { describe, expect, it } from 'vitest';
import { allowEntryProblem, defaultAllowlist, parseAllowEntry } from '../../../../../src/core/policy/command/allowlist';
import { toCommandSegments } from '../../../../../src/core/policy/command/policyTypes';
import { CommandVerdictSchema } from '../../../../support/commandVerdictSchema';
import { check } from './policyHelpers';

describe('the allowlist is per program with sub-command entries', () => {
  it('asks for a program that is not on the allowlist and names it', async () => {
    const v = await check('curl https://example.com', ['ls']);
    expect(v.verdict).toBe('ask');
    expect(v.reasons).toEqual(['curl https://example.com: curl talks to the network and is not on the allowlist']);
  });

  it('limits a program to the sub-commands its entries name', async () => {
    const allow = ['git status', 'git diff'];
    expect((await check('git status -s', allow)).verdict).toBe('allow');
    const v = await check('git log', allow);
    expect(v.verdict).toBe('ask');
    expect(v.reasons[0]).toMatch(/"git status", "git diff" for git, which does not cover/);
  });

  it('matches entries after global options and aliases', async () => {
    expect((await check('git -C sub --no-pager status', ['git status'])).verdict).toBe('allow');
    expect((await check('npm t', ['npm test'])).verdict).toBe('allow');
    expect((await check('npm run-script lint', ['npm run lint'])).verdict).toBe('allow');
  });

  it('matches script entries word by word, not by string prefix', async () => {
    expect((await check('npm run lint', ['npm run lint'])).verdict).toBe('allow');
    expect((await check('npm run lint:fix', ['npm run lint'])).verdict).toBe('ask');
    expect((await check('npm run deploy', ['npm run lint'])).verdict).toBe('ask');
  });

  it('applies the built-in argument rules even to an entry that names the sub-command', async () => {
    const v = await check('git diff --output=/tmp/x', ['git diff']);
    expect(v.verdict).toBe('ask');
  });

  it('allows a program without built-in rules by name, with any arguments', async () => {
    const v = await check('shellcheck -x build.sh', ['shellcheck']);
    expect(v.verdict).toBe('allow');
    expect(v.segments[0]?.reason).toMatch(/no built-in argument rules/);
  });

  it('never allows a program that runs other commands, even when listed', async () => {
    const v = await check('xargs -n1 echo', ['xargs', 'echo']);
    expect(v.verdict).toBe('ask');
  });

  it('needs an entry naming a yarn script, because yarn NAME may be a built-in', async () => {
    expect((await check('yarn lint', ['yarn'])).verdict).toBe('ask');
    expect((await check('yarn lint', ['yarn lint'])).verdict).toBe('allow');
  });

  it('does not let a path match a bare program name', async () => {
    expect((await check('./ls', ['ls'])).verdict).toBe('ask');
    expect((await check('/usr/bin/git status', ['git'])).verdict).toBe('ask');
  });

  it('matches an entry that is a path exactly', async () => {
    expect((await check('./gradlew test', ['./gradlew test'])).verdict).toBe('allow');
  });
});

describe('defaultAllowlist', () => {
  const allow = defaultAllowlist(['npm test', 'npm run lint', 'npm  test', 'make test && rm -rf /']);

  it('holds the read-only tools, read-only git and the detected commands', () => {
    expect(allow).toEqual(expect.arrayContaining(['ls', 'cat', 'grep', 'git status', 'git diff', 'git log', 'git show', 'npm test', 'npm run lint']));
  });

  it('does not allow all of git, and drops duplicates and detected commands with shell syntax', () => {
    expect(allow).not.toContain('git');
    expect(allow.filter((e) => e === 'npm test')).toHaveLength(1);
    expect(allow.some((e) => e.includes('&&'))).toBe(false);
  });

  it('asks for a project command that was not detected', async () => {
    expect((await check('npm test', defaultAllowlist([]))).verdict).toBe('ask');
    expect((await check('git commit -m x', allow)).verdict).toBe('ask');
  });
});

describe('allowlist entries are validated', () => {
  it.each([
    ['', /empty/],
    ['npm run lint; rm -rf /', /contains "lint;"/],
    ['ls $(x)', /contains/],
  ])('%j is refused', (entry, why) => {
    expect(allowEntryProblem(entry)).toMatch(why);
    expect(parseAllowEntry(entry)).toBeUndefined();
  });

  it('normalises spacing', () => {
    expect(parseAllowEntry('  npm   run  lint ')).toEqual({ text: 'npm run lint', program: 'npm', words: ['run', 'lint'] });
  });
});

describe('local mode', () => {
  it('turns allow into ask and says local mode is not a sandbox', async () => {
    const v = await check('ls -la', ['ls'], { mode: 'local' });
    expect(v.verdict).toBe('ask');
    expect(v.reasons.join('\n')).toMatch(/local mode is not a sandbox/);
    expect(v.segments[0]?.verdict).toBe('ask');
    expect(v.segments[0]?.reason).toMatch(/ls only reads and prints.*local mode is not a sandbox/);
  });

  it('allows when the user relaxed it explicitly', async () => {
    const v = await check('ls -la', ['ls'], { mode: 'local', localAutoAllow: true });
    expect(v.verdict).toBe('allow');
  });

  it('never relaxes deny', async () => {
    const v = await check('echo x > .git/config', ['echo'], { mode: 'local', localAutoAllow: true });
    expect(v.verdict).toBe('deny');
  });

  it('denies a line that needs a shell, since local mode runs argument vectors', async () => {
    for (const line of ['echo $(ls)', 'ls *.ts', 'ls > out.txt', '(ls)', 'FOO=1 ls']) {
      const v = await check(line, ['ls', 'echo'], { mode: 'local' });
      expect({ line, verdict: v.verdict }).toEqual({ line, verdict: 'deny' });
      expect(v.reasons[0]).toMatch(/without a shell/);
    }
    expect((await check('ls 2>/dev/null | wc -l', ['ls', 'wc'], { mode: 'local' })).verdict).toBe('ask');
  });

  it('denies cd in local mode, where it cannot carry over', async () => {
    const v = await check('cd sub && ls', ['cd', 'ls'], { mode: 'local', localAutoAllow: true });
    expect(v.verdict).toBe('deny');
    expect(v.reasons[0]).toMatch(/cd cannot change the directory/);
  });

  it('ignores localAutoAllow in container mode (allow stays allow, ask stays ask)', async () => {
    expect((await check('ls', ['ls'], { localAutoAllow: true })).verdict).toBe('allow');
    expect((await check('rm x', ['ls'], { localAutoAllow: true })).verdict).toBe('ask');
  });
});

describe('the verdict shape', () => {
  it('validates against its schema and converts to the port segments', async () => {
    const v = await check('ls && cat a | wc -l', ['ls', 'cat', 'wc']);
    expect(CommandVerdictSchema.parse(v)).toEqual(v);
    expect(toCommandSegments(v.segments)).toEqual([
      { argv: ['ls'] },
      { argv: ['cat', 'a'], joiner: '&&' },
      { argv: ['wc', '-l'], joiner: '|' },
    ]);
  });

  it('marks lines whose segments do not capture the shell semantics as inexact', async () => {
    expect((await check('ls > out.txt', ['ls'])).segmentsExact).toBe(false);
    expect((await check('(ls)', ['ls'])).segmentsExact).toBe(false);
    expect((await check('FOO=1 ls', ['ls'])).segmentsExact).toBe(false);
    expect((await check('ls 2>/dev/null', ['ls'])).segmentsExact).toBe(true);
  });
});
