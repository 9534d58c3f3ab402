import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFileDiff } from '../../../../src/core/codeReview/diffBudget';
import type { FileDiff, ReviewDiff } from '../../../../src/core/codeReview/gitPort';
import { MAX_LISTED_OTHERS, renderDiffPrompt, REVIEW_TOOLS, reviewSetup } from '../../../../src/core/codeReview/reviewPrompt';

function file(p: string): FileDiff {
  return { path: p, status: 'modified', binary: false, untracked: false, hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+b'] }] };
}

describe('renderDiffPrompt', () => {
  it('names the part, lists other files with why they are not shown (capped), repeats the notes and inlines the numbered diff', () => {
    const shown = file('src/shown.ts');
    const others = Array.from({ length: MAX_LISTED_OTHERS + 5 }, (_, i) => file(`other/${String(i).padStart(3, '0')}.ts`));
    const diff: ReviewDiff = { selection: { kind: 'staged' }, description: 'staged changes against HEAD (abc1234)', files: [shown, ...others], notes: ['3 untracked file(s) were left out'] };
    const text = renderDiffPrompt({ diff, chunk: [{ file: shown, text: renderFileDiff(shown), tokens: 10 }], index: 2, total: 3, skipped: [{ path: 'other/000.ts', reason: 'too large' }] });
    expect(text.startsWith('Review staged changes against HEAD (abc1234).\nThe change is large, so it is reviewed in 3 parts; this is part 2 of 3.')).toBe(true);
    expect(text).toContain('- other/000.ts (modified): not reviewed, too large\n- other/001.ts (modified)\n');
    expect(text).toContain(`- other/${String(MAX_LISTED_OTHERS - 1).padStart(3, '0')}.ts (modified)\n- and 5 more\n`);
    expect(text).not.toContain(`other/${String(MAX_LISTED_OTHERS).padStart(3, '0')}.ts`);
    expect(text).toContain('Note: 3 untracked file(s) were left out');
    expect(text.endsWith('### src/shown.ts (modified)\n@@ -1,1 +1,1 @@\n  - a\n1 + b\n')).toBe(true);
  });
});

describe('reviewSetup', () => {
  it('uses the reviewer profile with the code-review skill inlined and read-only tools only', async () => {
    const root = path.resolve(__dirname, '../../../fixtures');
    const setup = await reviewSetup({ root, builtinSkillsDir: path.resolve(__dirname, '../../../../skills') });
    expect(setup.profile).toBe('reviewer');
    expect(setup.skills.map((s) => s.name)).toContain('code-review');
    expect(setup.system).toContain('`severity` is one of');
    expect(setup.tools.list().length).toBeGreaterThan(0);
    for (const t of setup.tools.list()) {
      expect(REVIEW_TOOLS as readonly string[]).toContain(t.name);
      expect(t.kind).toBe('read');
    }
  });
});
