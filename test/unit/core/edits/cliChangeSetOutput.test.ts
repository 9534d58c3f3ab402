import { describe, it, expect } from 'vitest';
import { changeSetJson, colorDiff, formatOutcomes, formatPendingChanges, renderPatch } from '../../../../src/cli/changeSetOutput';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { summarizeOutcomes } from '../../../../src/core/edits/proposals';

// Tests the CLI's change-set printing helper (src/cli/changeSetOutput.ts); it lives here with the change set it renders.
function sampleSet(): ChangeSet {
  const set = new ChangeSet();
  set.propose({ path: 'src/a.ts', current: 'const a = 1;\n', proposed: 'const a = 2;\n' });
  set.propose({ path: 'docs/new.md', current: null, proposed: '# New\nText\n' });
  set.propose({ path: '.vscode/settings.json', current: null, proposed: '{}\n', needsHuman: true });
  return set;
}

describe('changeSetOutput', () => {
  it('prints the pending files and a patch when nothing was written', () => {
    const text = formatPendingChanges(sampleSet(), { yes: false });
    expect(text.split('\n').slice(0, 4)).toEqual([
      '3 proposed file changes were not written (run again with --yes to apply them, or apply the patch below):',
      'A .vscode/settings.json  +1 -0  pending (protected: needs a person)',
      'A docs/new.md  +2 -0  pending',
      'M src/a.ts  +1 -1  pending',
    ]);
    expect(text).toContain('diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-const a = 1;\n+const a = 2;');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints nothing when nothing is pending, and explains protected files under --yes', () => {
    const set = sampleSet();
    expect(formatPendingChanges(new ChangeSet(), { yes: false })).toBe('');
    set.settle('src/a.ts', 'applied');
    set.settle('docs/new.md', 'applied');
    expect(formatPendingChanges(set, { yes: true })).toMatch(/^1 proposed file change was not written \(protected files always need a person/);
  });

  it('gives a JSON view with counts and the pending patch', () => {
    const json = changeSetJson(sampleSet());
    expect(json.files.map((f) => [f.path, f.change, f.added, f.removed])).toEqual([
      ['.vscode/settings.json', 'added', 1, 0],
      ['docs/new.md', 'added', 2, 0],
      ['src/a.ts', 'modified', 1, 1],
    ]);
    expect(json.pendingPatch).toBe(renderPatch(sampleSet()));
  });

  it('colours additions, removals and hunk headers', () => {
    const colored = colorDiff('@@ -1 +1 @@\n-a\n+b\n c');
    expect(colored).toBe('\u001b[36m@@ -1 +1 @@\u001b[0m\n\u001b[31m-a\u001b[0m\n\u001b[32m+b\u001b[0m\n c');
  });

  it('lists outcomes one line per file', () => {
    const set = sampleSet();
    set.approveFile('src/a.ts');
    set.settle('src/a.ts', 'applied');
    set.rejectFile('docs/new.md', 'not needed');
    set.settle('docs/new.md', 'rejected');
    const text = formatOutcomes(summarizeOutcomes(set, ['src/a.ts', 'docs/new.md', '.vscode/settings.json']));
    expect(text).toBe('written   src/a.ts\nrejected  docs/new.md: not needed\npending   .vscode/settings.json (protected: needs a person)');
  });
});
