import { describe, expect, it } from 'vitest';
import type { ChangeSet, FileChange } from '../../../../src/core/edits/changeSet';
import type { FileDecision } from '../../../../src/core/edits/proposals';
import type { PathVerdict } from '../../../../src/core/policy/pathGuard';
import type { CheckedComment } from '../../../../src/core/codeReview/reviewSchema';
import { proposeSuggestion, type SuggestionEditPorts } from '../../../../src/extension/codeReview/suggestionEdit';

const FILE = 'function add(a, b) {\n  return a - b;\n}\n';
const comment: CheckedComment = { path: 'src/math.js', line: 2, severity: 'error', title: 'add subtracts', body: '', suggestion: '  return a + b;', fileLevel: false };

function ports(opts: { text?: string | null; verdict?: PathVerdict['verdict']; decide?: (f: FileChange) => FileDecision[] } = {}) {
  const reviewed: FileChange[] = [];
  const written = new Map<string, string>();
  const p: SuggestionEditPorts = {
    readText: async () => (opts.text === undefined ? FILE : opts.text),
    checkWrite: async (path) => ({ verdict: opts.verdict ?? 'allow', resolved: `/ws/${path}`, relative: path, reason: opts.verdict === 'allow' || !opts.verdict ? '' : 'a protected file' }),
    reviewFile: async (file) => {
      reviewed.push(file);
      return (opts.decide ?? ((f) => [{ path: f.path, decision: 'approve' }]))(file);
    },
    // The real apply (workspaceApply.ts) writes through a WorkspaceEdit; this fake keeps its contract: a file with no approved hunk is settled as rejected and not written.
    applyWith: async (set: ChangeSet, paths: readonly string[]) => {
      const path = paths[0]!;
      const f = set.get(path);
      if (!f?.hunks.some((h) => h.status === 'approved')) {
        set.settle(path, 'rejected');
        return [{ path, status: 'unchanged' as const, message: `${path}: rejected, not written` }];
      }
      written.set(path, set.contentToWrite(path) ?? '');
      set.settle(path, 'applied');
      return [{ path, status: 'applied' as const, message: `${path}: written` }];
    },
  };
  return { p, reviewed, written };
}

describe('Apply Suggestion as an edit proposal', () => {
  it('proposes the file with the suggested lines for review, and applies it only after approval', async () => {
    const { p, reviewed, written } = ports();
    const out = await proposeSuggestion(comment, p, new AbortController().signal);
    expect(reviewed).toHaveLength(1);
    expect(reviewed[0]).toMatchObject({ path: 'src/math.js', originalContent: FILE, proposedContent: 'function add(a, b) {\n  return a + b;\n}\n', state: 'pending' });
    expect(reviewed[0]?.hunks).toHaveLength(1);
    expect(written.get('src/math.js')).toBe('function add(a, b) {\n  return a + b;\n}\n');
    expect(out).toEqual({ status: 'decided', applied: true, message: 'src/math.js: suggestion applied.' });
  });

  it('writes nothing when the person rejects it', async () => {
    const { p, written } = ports({ decide: (f) => [{ path: f.path, decision: 'reject', reason: 'not now' }] });
    const out = await proposeSuggestion(comment, p, new AbortController().signal);
    expect(out).toEqual({ status: 'decided', applied: false, message: 'src/math.js: suggestion rejected, nothing written.' });
    expect(written.size).toBe(0);
  });

  it('writes nothing when the diff is closed without a decision', async () => {
    const { p, written } = ports({ decide: () => [] });
    const out = await proposeSuggestion(comment, p, new AbortController().signal);
    expect(out).toMatchObject({ status: 'decided', applied: false });
    expect(written.size).toBe(0);
  });

  it('refuses before any review when the guard denies the path, the file is gone, or the lines no longer exist', async () => {
    for (const [opts, pattern] of [
      [{ verdict: 'deny' as const }, /cannot be applied: a protected file/],
      [{ text: null }, /no longer exists/],
      [{ text: 'one line\n' }, /fewer than line 2/],
      [{ text: 'function add(a, b) {\n  return a + b;\n}\n' }, /already has the suggested text/],
    ] as const) {
      const { p, reviewed } = ports(opts);
      const out = await proposeSuggestion(comment, p, new AbortController().signal);
      expect(out.status).toBe('refused');
      expect(out.message).toMatch(pattern);
      expect(reviewed).toHaveLength(0);
    }
  });

  it('marks a protected path as needing a human, so the approval in the diff is what allows the write', async () => {
    const { p, reviewed } = ports({ verdict: 'ask', decide: () => [] });
    await proposeSuggestion(comment, p, new AbortController().signal);
    expect(reviewed[0]).toMatchObject({ needsHuman: true, needsHumanReason: 'a protected file' });
  });

  it('refuses a file-level comment', async () => {
    const { p, reviewed } = ports();
    const out = await proposeSuggestion({ ...comment, fileLevel: true, line: 0 }, p, new AbortController().signal);
    expect(out).toMatchObject({ status: 'refused' });
    expect(reviewed).toHaveLength(0);
  });
});
