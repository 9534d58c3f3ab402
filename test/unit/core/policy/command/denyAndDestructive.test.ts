import { describe, expect, it } from 'vitest';
import { defaultAllowlist } from '../../../../../src/core/policy/command/allowlist';
import { denyEntryProblem, matchDeny, parseDenyEntry } from '../../../../../src/core/policy/command/denyRules';
import { tierCovers } from '../../../../../src/core/policy/autoApproval';
import { check } from './policyHelpers';

/** Issue 22, items 1 to 3: a person's "never", destructive operations flagged centrally, and argument rules. */
const ALLOW = [...defaultAllowlist(['npm test']), 'git', 'gh', 'rm', 'npm', 'curl', 'chmod', 'find', 'truncate', 'dd', 'column', 'sort', 'node', 'env', 'xargs', 'timeout'];
const DENY = ['git push', 'npm publish*', 'rm -rf', 'curl'];

describe('deny entries', () => {
  it('are a program, words, options and a trailing * on the last word', () => {
    expect(denyEntryProblem('git push')).toBeUndefined();
    expect(denyEntryProblem('rm -rf')).toBeUndefined();
    expect(denyEntryProblem('npm publish*')).toBeUndefined();
    expect(denyEntryProblem('npm * publish')).toMatch(/only at the end/);
    expect(denyEntryProblem('curl | sh')).toMatch(/contains/);
    expect(denyEntryProblem('')).toMatch(/empty/);
    expect(parseDenyEntry('rm -rf')).toMatchObject({ program: 'rm', words: [], options: ['-r', '-f'] });
  });

  it('match options in any order and spelling', () => {
    const e = [parseDenyEntry('rm -rf')!];
    for (const argv of [['rm', '-rf', 'x'], ['rm', '-fr', 'x'], ['rm', '-r', '-f', 'x'], ['rm', '--recursive', '--force', 'x'], ['rm', '-R', '-f', 'x'], ['/bin/rm', '-rf', 'x']]) {
      expect(matchDeny(e, argv), argv.join(' ')).toBeDefined();
    }
    expect(matchDeny(e, ['rm', '-r', 'x'])).toBeUndefined();
    expect(matchDeny(e, ['rm', 'x'])).toBeUndefined();
  });
});

describe('deny rules win over the allowlist and every tier, segment by segment', () => {
  it.each([
    ['git push origin main'],
    ['git -C . push'],
    ['gh pr view 1 && rm -rf /'],
    ['npm test; npm publish --access public'],
    ['npm publish-beta'],
    ['ls && curl https://example.com'],
    ['echo $(curl https://example.com)'],
    ['env FOO=1 curl x'],
    ['timeout 5 git push'],
    ['xargs rm -rf < list.txt'],
    ["sh -c 'git push --force'"],
    ["bash -lc 'ls && rm -fr build'"],
  ])('%s is denied', async (line) => {
    const v = await check(line, ALLOW, { deny: DENY });
    expect(v.verdict).toBe('deny');
    expect(v.reasons.join('\n')).toMatch(/denied by your rule|which is denied/);
  });

  it.each([['git status'], ['git pull'], ['npm test'], ['rm build/a.txt'], ['gh pr view 1']])('%s is not touched by the rules', async (line) => {
    const v = await check(line, ALLOW, { deny: DENY });
    expect(v.verdict).not.toBe('deny');
  });
});

describe('destructive operations always need a person, whatever the allowlist and the tier', () => {
  it.each([
    ['rm -rf /'],
    ['rm -rf .'],
    ['rm -r ..'],
    ['rm -rf ~'],
    ['rm -fr ../sibling'],
    ['git reset --hard HEAD~3'],
    ['git clean -fdx'],
    ['git push --force origin main'],
    ['git push -f'],
    ['git push origin +main'],
    ['git checkout -- .'],
    ['git restore .'],
    ['git stash clear'],
    ['find . -name "*.tmp" -delete'],
    ['truncate -s 0 data.db'],
    ['shred secret.txt'],
    ['dd if=/dev/zero of=disk.img'],
    ['mkfs.ext4 /dev/sdb1'],
    ['chmod -R 777 .'],
  ])('%s', async (line) => {
    const v = await check(line, [...ALLOW, 'shred', 'mkfs.ext4']);
    expect(v.verdict).toBe('ask');
    expect(v.risks).toContain('destructive');
    expect(v.reasons.join('\n')).toMatch(/destructive:/);
    expect(tierCovers('all', v.risks)).toBe(false);
  });

  it.each([['rm -rf build'], ['rm -rf ./dist/cache'], ['git reset --soft HEAD~1'], ['git clean -n'], ['find src -name "*.tmp"'], ['chmod -R 755 build']])('%s is not destructive in that sense', async (line) => {
    const v = await check(line, ALLOW);
    expect(v.risks).not.toContain('destructive');
  });
});

describe('argument rules for the remaining read-only programs', () => {
  it.each([
    ['sed -n "1e id" a.txt', /sed script/],
    ['sed "w out.txt" a.txt', /sed script/],
    ['sed "s/a/b/e" a.txt', /sed script/],
    ['sed "s/a/b/w out" a.txt', /sed script/],
    ['sed -i s/a/b/ a.txt', /sed -i/],
    ['sort -S 200G big.txt', /memory/],
    ['sort --buffer-size=99999999 big.txt', /memory/],
    ['column -c 999999999 a.txt', /width/],
    ['rg --search-zip foo', /decompression/],
    ['rg -z foo', /decompression/],
    ['find . -fprint out.txt', /find -fprint/],
    ['find . -ok rm {} ;', /find -ok/],
    ['tree -o out.txt', /tree -o writes/],
    ['diff --output=out.txt a b', /diff --output writes/],
  ])('%s asks', async (line, reason) => {
    const v = await check(line, ALLOW);
    expect(v.verdict).toBe('ask');
    expect(v.reasons.join('\n')).toMatch(reason);
  });

  it.each([['sed -n "1,5p" a.txt'], ['sort -k2 -n a.txt'], ['sort -S 64M a.txt'], ['column -t a.txt'], ['column -c 120 a.txt']])('%s is allowed', async (line) => {
    expect((await check(line, ALLOW)).verdict).toBe('allow');
  });
});
