import { describe, expect, it } from 'vitest';
import { defaultAllowlist } from '../../../../../src/core/policy/command/allowlist';
import { check } from './policyHelpers';

// The policy is only useful if normal work does not stop for approval: these must stay `allow`
// with the default allowlist of a Node + Python project.
const ALLOW = defaultAllowlist(['npm test', 'npm run lint', 'pytest', 'npx tsc --noEmit']);

describe('ordinary commands stay allowed (default allowlist)', () => {
  it.each([
    'ls',
    'ls -la src',
    'git status',
    'git status --porcelain=v1 -b',
    'git diff',
    'git diff HEAD~1 -- src',
    'git diff --stat HEAD^ HEAD',
    'git log --oneline -n 20',
    'git log -p --follow -- src/core/ports.ts',
    'git show HEAD:package.json',
    'git -C sub status',
    'git --no-pager log --format=%H%x09%s -5',
    'cat a.txt | grep foo | wc -l',
    'npm test',
    'npm t',
    'npm test 2>/dev/null',
    'npm test -- --reporter=dot',
    'npm run lint',
    'npm run lint 2>&1',
    'npm test >/dev/null 2>&1',
    'pytest -q tests/x.py',
    'head -n 50 src/index.ts',
    'tail -20 log.txt && wc -l src/a.ts',
    'grep -rn "TODO" src',
    "grep -rn 'a b' src --include '*.ts'",
    'rg -n --type ts "export function" src',
    'find src -name "*.test.ts" -type f',
    'find . -maxdepth 2 -type d',
    'ls src; ls test',
    'git status || echo "not a repo"',
    'cat package.json | head -n 20',
    'tree -L 2 src',
    'diff -u a.txt b.txt',
    'sort names.txt | uniq -c',
    'echo hello # a comment',
    'ls \\\n  -la',
    "sed -n '1,50p' src/index.ts",
    'cd src && ls -la',
    'git log --oneline | head -5',
    'cat missing.txt 2>/dev/null || echo "missing"',
    'find . -name "*.py" | head -20',
    'ls -la | grep test',
    'tree -L 2 -I node_modules',
    'head -n 20 a.txt && echo --- && tail -n 20 a.txt',
  ])('%s', async (line) => {
    const v = await check(line, ALLOW);
    expect(v.reasons).toEqual(expect.any(Array));
    expect({ line, verdict: v.verdict, reasons: v.reasons }).toMatchObject({ verdict: 'allow' });
    expect(v.segments.every((s) => s.verdict === 'allow')).toBe(true);
  });

  it('gives a reason for each allowed part and keeps the segments runnable', async () => {
    const v = await check('cat a.txt | grep foo | wc -l', ALLOW);
    expect(v.segments.map((s) => [s.argv, s.joiner])).toEqual([
      [['cat', 'a.txt'], undefined],
      [['grep', 'foo'], '|'],
      [['wc', '-l'], '|'],
    ]);
    expect(v.segmentsExact).toBe(true);
    expect(v.reasons).toHaveLength(3);
    expect(v.reasons[0]).toMatch(/^cat a\.txt: .*allowlist entry "cat"/);
  });
});
