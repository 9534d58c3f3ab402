import { describe, it, expect } from 'vitest';
import { ChangeSet, ChangeSetError } from '../../../../src/core/edits/changeSet';
import { applyHunks, computeHunks } from '../../../../src/core/edits/hunks';
import { sha256 } from '../../../../src/core/edits/textFormat';

const lines = (n: number, eol = '\n'): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join(eol) + eol;

/** An original with two changes far apart, so they land in two hunks. */
function twoHunkFile(eol = '\n'): { original: string; proposed: string } {
  const original = lines(30, eol);
  const proposed = original.replace(`line 3${eol}`, `line three${eol}`).replace(`line 25${eol}`, `line 25${eol}inserted${eol}`);
  return { original, proposed };
}

describe('hunks', () => {
  it('splits distant changes into separate hunks', () => {
    const { original, proposed } = twoHunkFile();
    const hunks = computeHunks(original, proposed);
    expect(hunks).toHaveLength(2);
    expect(hunks.map((h) => h.status)).toEqual(['pending', 'pending']);
  });

  it('applies any subset of hunks to the original', () => {
    const { original, proposed } = twoHunkFile();
    const hunks = computeHunks(original, proposed);
    expect(applyHunks(original, proposed, hunks, () => true)).toBe(proposed);
    expect(applyHunks(original, proposed, hunks, () => false)).toBe(original);
    expect(applyHunks(original, proposed, hunks, (h) => h.index === 0)).toBe(original.replace('line 3\n', 'line three\n'));
    expect(applyHunks(original, proposed, hunks, (h) => h.index === 1)).toBe(original.replace('line 25\n', 'line 25\ninserted\n'));
  });

  it('keeps CRLF and a missing final newline byte for byte', () => {
    const original = '\uFEFFa\r\nb\r\nc';
    const proposed = '\uFEFFa\r\nB\r\nc';
    const hunks = computeHunks(original, proposed);
    expect(applyHunks(original, proposed, hunks, () => true)).toBe(proposed);
    expect(applyHunks(original, proposed, hunks, () => false)).toBe(original);
  });

  it('handles random subsets of many hunks', () => {
    const original = lines(400);
    const rows = original.split('\n');
    for (let i = 5; i < 400; i += 37) rows[i] = `changed ${i}`;
    const proposed = rows.join('\n');
    const hunks = computeHunks(original, proposed);
    expect(hunks.length).toBeGreaterThan(5);
    for (let trial = 0; trial < 20; trial++) {
      // Deterministic but varied subsets: a different residue pattern per trial.
      const chosen = new Set(hunks.filter((h) => (h.index * 7 + trial * 3) % (2 + (trial % 3)) === 0).map((h) => h.index));
      const expected = original.split('\n');
      for (let i = 5; i < 400; i += 37) {
        const hunk = hunks.find((h) => i + 1 >= h.oldStart && i + 1 < h.oldStart + h.oldLines);
        if (hunk && chosen.has(hunk.index)) expected[i] = `changed ${i}`;
      }
      expect(applyHunks(original, proposed, hunks, (h) => chosen.has(h.index))).toBe(expected.join('\n'));
    }
  });
});

describe('hunks of a whole-file rewrite', () => {
  it('falls back to one whole-file hunk instead of diffing for tens of seconds', () => {
    const original = Array.from({ length: 10000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const proposed = Array.from({ length: 10000 }, (_, i) => `LINE ${(i * 7) % 10000}`).join('\n');
    const t0 = performance.now();
    const hunks = computeHunks(original, proposed);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]).toMatchObject({ oldStart: 1, oldLines: 10000, newStart: 1, newLines: 10000 });
    expect(hunks[0]?.lines.at(-1)).toBe('\\ No newline at end of file');
    expect(applyHunks(original, proposed, hunks, () => true)).toBe(proposed);
    expect(applyHunks(original, proposed, hunks, () => false)).toBe(original);
  });
});

describe('ChangeSet', () => {
  it('records original content and hash, proposal and hunks as plain data', () => {
    const set = new ChangeSet();
    const { original, proposed } = twoHunkFile();
    const f = set.propose({ path: 'src/a.ts', current: original, proposed });
    expect(f).toMatchObject({ path: 'src/a.ts', originalContent: original, originalHash: sha256(original), proposedContent: proposed, state: 'pending', edits: 1 });
    expect(f.hunks).toHaveLength(2);
    expect(ChangeSet.fromJSON(JSON.parse(JSON.stringify(set))).get('src/a.ts')).toEqual(f);
  });

  it('stacks a second edit on the proposal and resets decisions', () => {
    const set = new ChangeSet();
    set.propose({ path: 'a.txt', current: 'one\n', proposed: 'two\n' });
    set.approveFile('a.txt');
    const f = set.propose({ path: 'a.txt', current: 'ignored: the original stays', proposed: 'three\n' });
    expect(f.originalContent).toBe('one\n');
    expect(f.edits).toBe(2);
    expect(f.hunks.map((h) => h.status)).toEqual(['pending']);
    expect(set.pendingContent('a.txt')).toBe('three\n');
  });

  it('one approved and one rejected hunk gives exactly the approved change', () => {
    const set = new ChangeSet();
    const { original, proposed } = twoHunkFile();
    set.propose({ path: 'a.txt', current: original, proposed });
    set.setHunk('a.txt', 0, 'approved');
    set.setHunk('a.txt', 1, 'rejected', 'keep the list short');
    expect(set.isDecided('a.txt')).toBe(true);
    expect(set.contentToWrite('a.txt')).toBe(original.replace('line 3\n', 'line three\n'));
    expect(set.get('a.txt')?.hunks[1]).toMatchObject({ status: 'rejected', reason: 'keep the list short' });
  });

  it('does not create a new file when nothing is approved, and creates an approved empty file', () => {
    const set = new ChangeSet();
    set.propose({ path: 'new.txt', current: null, proposed: 'hello\n' });
    set.rejectFile('new.txt', 'no');
    expect(set.contentToWrite('new.txt')).toBeNull();
    set.propose({ path: 'empty.txt', current: null, proposed: '' });
    set.approveFile('empty.txt');
    expect(set.contentToWrite('empty.txt')).toBe('');
  });

  it('refuses decisions on unknown paths, missing hunks and settled files', () => {
    const set = new ChangeSet();
    expect(() => set.approveFile('nope')).toThrow(ChangeSetError);
    set.propose({ path: 'a', current: 'x\n', proposed: 'y\n' });
    expect(() => set.setHunk('a', 3, 'approved')).toThrow(/no hunk 3/);
    set.settle('a', 'applied');
    expect(() => set.approveFile('a')).toThrow(/already applied/);
  });

  it('starts a fresh entry after a file was settled', () => {
    const set = new ChangeSet();
    set.propose({ path: 'a', current: 'x\n', proposed: 'y\n' });
    set.settle('a', 'applied');
    const f = set.propose({ path: 'a', current: 'y\n', proposed: 'z\n' });
    expect(f).toMatchObject({ originalContent: 'y\n', edits: 1, state: 'pending' });
  });

  it('renders a git-style unified diff of the pending files, sorted by path', () => {
    const set = new ChangeSet();
    set.propose({ path: 'b.txt', current: 'old\n', proposed: 'new\n' });
    set.propose({ path: 'a/new.txt', current: null, proposed: 'hi\n' });
    const diff = set.unifiedDiff();
    expect(diff.indexOf('diff --git a/a/new.txt b/a/new.txt')).toBeLessThan(diff.indexOf('diff --git a/b.txt b/b.txt'));
    expect(diff).toContain('--- /dev/null\n+++ b/a/new.txt\n@@ -0,0 +1,1 @@\n+hi');
    expect(diff).toContain('--- a/b.txt\n+++ b/b.txt\n@@ -1,1 +1,1 @@\n-old\n+new');
  });

  it('shows only approved hunks in the approved view', () => {
    const set = new ChangeSet();
    const { original, proposed } = twoHunkFile();
    set.propose({ path: 'a.txt', current: original, proposed });
    set.setHunk('a.txt', 0, 'rejected');
    set.setHunk('a.txt', 1, 'approved');
    const diff = set.unifiedDiff({ which: 'approved' });
    expect(diff).toContain('+inserted');
    expect(diff).not.toContain('+line three');
  });
});
