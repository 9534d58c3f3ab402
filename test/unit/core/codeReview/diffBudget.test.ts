import { describe, expect, it } from 'vitest';
import { estimateTokens, planDiff, renderFileDiff } from '../../../../src/core/codeReview/diffBudget';
import type { FileDiff } from '../../../../src/core/codeReview/gitPort';

function textFile(path: string, addedLines: number): FileDiff {
  return {
    path,
    status: 'added',
    binary: false,
    untracked: false,
    hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: addedLines, lines: Array.from({ length: addedLines }, (_, i) => `+const v${i} = ${i};`) }],
  };
}

describe('renderFileDiff', () => {
  it('numbers added and context lines with their new-version line numbers and leaves removed lines unnumbered', () => {
    const text = renderFileDiff({
      path: 'src/a.ts',
      oldPath: 'src/old.ts',
      status: 'renamed',
      binary: false,
      untracked: false,
      hunks: [{ oldStart: 9, oldLines: 3, newStart: 9, newLines: 3, lines: [' nine', '-ten', '+TEN', ' eleven', '\\ No newline at end of file'] }],
    });
    expect(text).toBe(['### src/a.ts (renamed, from src/old.ts)', '@@ -9,3 +9,3 @@', ' 9   nine', '   - ten', '10 + TEN', '11   eleven', ''].join('\n'));
  });

  it('lists a binary file by name without content', () => {
    expect(renderFileDiff({ path: 'a.png', status: 'added', binary: true, untracked: true, hunks: [] })).toBe('### a.png (added, untracked, binary)\n(binary file, not shown)\n');
  });
});

describe('planDiff', () => {
  it('puts a small diff in one chunk and lists binary files as skipped', () => {
    const plan = planDiff([textFile('a.ts', 3), { path: 'b.bin', status: 'modified', binary: true, untracked: false, hunks: [] }]);
    expect(plan.chunks.map((c) => c.map((r) => r.file.path))).toEqual([['a.ts']]);
    expect(plan.skipped).toEqual([{ path: 'b.bin', reason: 'binary file: listed, not inlined' }]);
  });

  it('splits per file within the budget, skips a file too large on its own, and skips what exceeds the last chunk', () => {
    const small = textFile('a.ts', 10);
    const tokens = estimateTokens(renderFileDiff(small));
    const budget = { chunkTokens: tokens * 2, maxChunks: 2 };
    const files = [small, textFile('b.ts', 10), textFile('c-huge.ts', 200), textFile('d.ts', 10), textFile('e.ts', 10), textFile('f.ts', 10)];
    const plan = planDiff(files, budget);
    expect(plan.chunks.map((c) => c.map((r) => r.file.path))).toEqual([
      ['a.ts', 'b.ts'],
      ['d.ts', 'e.ts'],
    ]);
    for (const chunk of plan.chunks) expect(chunk.reduce((n, r) => n + r.tokens, 0)).toBeLessThanOrEqual(budget.chunkTokens);
    expect(plan.skipped.map((s) => s.path)).toEqual(['c-huge.ts', 'f.ts']);
    expect(plan.skipped[0]!.reason).toMatch(/^too large to review: about \d+ tokens of diff, over the budget of \d+ per review call$/);
    expect(plan.skipped[1]!.reason).toContain("over the review's budget of 2 call(s)");
  });
});
