import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitCli } from '../../../../src/adapters/git/gitCli';
import { FakeModelClient, type FakeTurn } from '../../../../src/core/model/fakeModelClient';
import { REVIEW_TOOLS } from '../../../../src/core/codeReview/reviewPrompt';
import { ReviewError, runReview } from '../../../../src/core/codeReview/runReview';
import type { ReviewOutput } from '../../../../src/core/codeReview/reviewSchema';
import { numberedLines, TestRepo } from '../../adapters/git/gitRepo';

const SKILLS = path.resolve(__dirname, '../../../../skills');
const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
});

/** A repository where src/calc.ts changed lines 3-4 of 30, and notes.txt is new and untracked. */
function changedRepo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.write('src/calc.ts', numberedLines(30));
  r.commitAll('init');
  r.write('src/calc.ts', numberedLines(30).replace('line 3\nline 4\n', 'line three\nline four\n'));
  r.write('notes.txt', 'hello\n');
  return r;
}

function json(out: ReviewOutput): FakeTurn {
  return { text: JSON.stringify(out) };
}

describe('runReview', () => {
  it('explores read-only, answers through the schema, and checks each comment against the diff', async () => {
    const r = changedRepo();
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/calc.ts' } }] },
      { text: 'Line 3 renames a value; line 4 too.' },
      json({
        summary: 'Renames two lines.',
        recommendation: 'request_changes',
        comments: [
          { path: 'src/calc.ts', line: 3, severity: 'error', title: 'Wrong word', body: 'Should stay numeric.', suggestion: 'line 3' },
          { path: 'src/calc.ts', line: 25, severity: 'warning', title: 'Far away', body: 'Not in the diff.' },
          { path: 'src/unrelated.ts', line: 1, severity: 'info', title: 'Elsewhere', body: 'Not in the change.' },
        ],
      }),
    ]);
    const progress: string[] = [];
    const result = await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, onProgress: (p) => progress.push(p.type) });

    expect(progress).toEqual(['diff', 'exploring', 'writing']);
    expect(result.recommendation).toBe('request_changes');
    expect(result.diff.files).toEqual(['notes.txt', 'src/calc.ts']);
    expect(result.comments).toEqual([
      { path: 'src/calc.ts', line: 0, severity: 'warning', title: 'Far away', body: 'Not in the diff.', fileLevel: true, movedFrom: 25 },
      { path: 'src/calc.ts', line: 3, severity: 'error', title: 'Wrong word', body: 'Should stay numeric.', suggestion: 'line 3', fileLevel: false },
    ]);
    expect(result.notes.some((n) => n.startsWith('Dropped the comment on src/unrelated.ts:1'))).toBe(true);
    expect(result.notes.some((n) => n.startsWith('Moved the comment on src/calc.ts:25'))).toBe(true);
    // Three calls of 10 in / 5 out each (the fake's usage).
    expect(result.usage).toMatchObject({ inputTokens: 30, outputTokens: 15, totalTokens: 45 });

    const [explore, afterTool, final] = model.requests;
    expect(explore!.tools.map((t) => t.name).sort()).toEqual(['find_files', 'grep', 'list_dir', 'read_file']);
    expect(explore!.system).toContain('meticulous code reviewer');
    expect(explore!.system).toContain('`severity` is one of');
    const firstUser = explore!.messages[0];
    expect(firstUser?.role === 'user' && firstUser.content).toContain('\n3 + line three\n');
    // The tool result went back to the model: the file read through the workspace's path guard.
    expect(afterTool!.messages.some((m) => m.role === 'tool' && !m.isError && m.content.includes('line three'))).toBe(true);
    expect(final!.tools).toEqual([]);
    expect(final!.output?.name).toBe('submit_review');
    const finalUser = final!.messages[0];
    expect(finalUser?.role === 'user' && finalUser.content).toContain('Your notes from reading the repository:\nLine 3 renames a value');
  });

  it('passes on what an exploration read when it ran out of turns before writing notes', async () => {
    const r = changedRepo();
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/calc.ts' } }] },
      json({ summary: 'ok', recommendation: 'approve', comments: [] }),
    ]);
    const result = await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, exploreTurns: 1 });
    expect(result.notes.some((n) => n.startsWith('Part 1: the exploration stopped early (reached the limit of 1 model turns)'))).toBe(true);
    const final = model.requests[1]!.messages[0]!;
    expect(final.role === 'user' && final.content).toMatch(/Your notes from reading the repository:\nWhat you read before the turn limit:\n---\nread_file [\s\S]*line three/);
  });

  it('never gives the reviewer a write tool, even when a workspace reviewer profile lists one', async () => {
    const r = changedRepo();
    r.write('.agent-harness/profiles/reviewer.yaml', 'name: reviewer\ndescription: a looser reviewer\nsystemPrompt: Review.\ntools: [read_file, write_file, edit_file, run_command]\n');
    const model = new FakeModelClient([{ text: 'fine' }, json({ summary: 'ok', recommendation: 'approve', comments: [] })]);
    await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS });
    const names = model.requests[0]!.tools.map((t) => t.name);
    expect(names).toContain('read_file');
    for (const n of names) expect(REVIEW_TOOLS as readonly string[]).toContain(n);
  });

  it('retries an answer that does not match the schema once, then fails with a clear error and the usage so far', async () => {
    const r = changedRepo();
    const bad: FakeTurn = { text: JSON.stringify({ summary: 'x', recommendation: 'ship it', comments: [] }) };
    const model = new FakeModelClient([bad, bad]);
    const err = await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, exploreTurns: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviewError);
    expect((err as ReviewError).message).toMatch(/^the review could not be read: the model's answer did not match the schema after a retry: .*recommendation/s);
    expect((err as ReviewError).usage.totalTokens).toBe(30);
    expect(model.requests).toHaveLength(2);
  });

  it('makes no model call when there is nothing to review', async () => {
    const r = new TestRepo();
    repos.push(r);
    r.write('a.txt', 'a\n');
    r.commitAll('init');
    const model = new FakeModelClient([]);
    const result = await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS });
    expect(result).toMatchObject({ recommendation: 'approve', comments: [], usage: { totalTokens: 0 } });
    expect(result.summary).toMatch(/^Nothing to review: there are no uncommitted changes against HEAD/);
    expect(model.requests).toHaveLength(0);
  });

  it('reviews a large diff in parts within the budget, says what it skipped, and keeps the strictest recommendation', async () => {
    const r = new TestRepo();
    repos.push(r);
    r.write('keep.txt', 'k\n');
    r.commitAll('init');
    r.write('a.ts', numberedLines(20));
    r.write('b.ts', numberedLines(20));
    r.write('huge.ts', numberedLines(400));
    const model = new FakeModelClient([
      json({ summary: 'a is fine', recommendation: 'approve', comments: [{ path: 'a.ts', line: 2, severity: 'info', title: 'ok', body: '' }] }),
      json({
        summary: 'b has a bug',
        recommendation: 'request_changes',
        comments: [
          { path: 'b.ts', line: 5, severity: 'error', title: 'bug', body: '' },
          { path: 'a.ts', line: 3, severity: 'warning', title: 'a guess about a file shown in part 1', body: '' },
          { path: 'huge.ts', line: 7, severity: 'info', title: 'about a file listed by name', body: '' },
        ],
      }),
    ]);
    const result = await runReview({ root: r.dir, git: new GitCli({ cwd: r.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, exploreTurns: 0, budget: { chunkTokens: 100 } });
    expect(model.requests).toHaveLength(2);
    const part1 = model.requests[0]!.messages[0]!;
    expect(part1.role === 'user' && part1.content).toContain('this is part 1 of 2');
    expect(part1.role === 'user' && part1.content).toMatch(/- huge\.ts \(added, untracked\): not reviewed, too large to review/);
    expect(result.summary).toBe('Part 1 of 2 (a.ts): a is fine\n\nPart 2 of 2 (b.ts): b has a bug');
    expect(result.recommendation).toBe('request_changes');
    expect(result.comments.map((c) => [c.path, c.line])).toEqual([
      ['a.ts', 2],
      ['b.ts', 5],
      ['huge.ts', 0],
    ]);
    expect(result.notes).toContain('Dropped the comment on a.ts:3 ("a guess about a file shown in part 1"): the file is not among the files shown for review.');
    expect(result.skipped.map((s) => s.path)).toEqual(['huge.ts']);
    expect(result.skipped[0]!.reason).toMatch(/^too large to review/);
  });
});
