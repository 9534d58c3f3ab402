import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDecided } from '../../../src/core/edits/apply';
import { ChangeSet, type FileChange } from '../../../src/core/edits/changeSet';
import { createEditTools } from '../../../src/core/edits/editTools';
import type { FileDecision } from '../../../src/core/edits/review';
import { PathGuard } from '../../../src/core/policy/pathGuard';
import type { ToolOutput } from '../../../src/core/tools/defineTool';
import { withEditReview, type EditReviewPorts } from '../../../src/extension/reviewedEdits';
import { buildRunSession } from '../../../src/extension/runSession';
import { parseSettings } from '../../../src/extension/extensionSettings';

const ORIGINAL = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const PROPOSED = ORIGINAL.replace('line 2\n', 'LINE TWO\n').replace('line 19\n', 'LINE NINETEEN\n');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ah-review-'));
  await writeFile(path.join(root, 'a.txt'), ORIGINAL);
});
afterEach(async () => rm(root, { recursive: true, force: true }));

function setup(decide: (file: FileChange) => FileDecision[] | Promise<FileDecision[]>) {
  const changeSet = new ChangeSet();
  const guard = new PathGuard(root);
  const seen: FileChange[] = [];
  const ports: EditReviewPorts = {
    review: async (file) => {
      seen.push(file);
      // Nothing is on disk while the person looks at the diff.
      expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
      return decide(file);
    },
    apply: (set, p) => applyDecided(set, { guard }, [p]),
  };
  const [write] = createEditTools({ root, guard, changeSet });
  return { tool: withEditReview(write, changeSet, ports), changeSet, seen };
}
const ctx = { runId: 'r', callId: 'c', signal: new AbortController().signal };
const content = (o: ToolOutput | string) => (typeof o === 'string' ? o : o.content);

describe('withEditReview', () => {
  it('applies only the approved hunk and tells the model which hunk was rejected and why', async () => {
    const { tool, seen } = setup((f) => [{ path: f.path, decision: 'hunks', hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'keep the old name' }] }]);
    const out = await tool.run({ path: 'a.txt', content: PROPOSED }, ctx);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.hunks).toHaveLength(2);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL.replace('line 2\n', 'LINE TWO\n'));
    expect(content(out)).toContain('partially written: 1 of 2 hunks approved');
    expect(content(out)).toContain('reason: keep the old name');
    expect(content(out)).toContain('+LINE NINETEEN');
    expect(typeof out !== 'string' && out.filesChanged).toEqual(['a.txt']);
  });

  it('a rejected file is not written and the reason reaches the model', async () => {
    const { tool } = setup((f) => [{ path: f.path, decision: 'reject', reason: 'wrong file' }]);
    const out = await tool.run({ path: 'a.txt', content: PROPOSED }, ctx);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
    expect(content(out)).toContain('rejected; nothing was written. Reason: wrong file');
    expect(typeof out !== 'string' && out.filesChanged).toEqual([]);
  });

  it('a file changed on disk during review is a conflict, not overwritten', async () => {
    const { tool } = setup(async (f) => {
      await writeFile(path.join(root, 'a.txt'), 'user edit\n');
      return [{ path: f.path, decision: 'approve' }];
    });
    const out = await tool.run({ path: 'a.txt', content: PROPOSED }, ctx);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('user edit\n');
    expect(typeof out !== 'string' && out.isError).toBe(true);
    expect(content(out)).toContain('conflict');
  });

  it('a cancelled review leaves the proposal pending and writes nothing', async () => {
    const { tool, changeSet } = setup(() => []);
    const out = await tool.run({ path: 'a.txt', content: PROPOSED }, ctx);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
    expect(changeSet.pending()).toHaveLength(1);
    expect(content(out)).toContain('pending review');
  });
});

describe('buildRunSession', () => {
  const base = {
    task: 'look around',
    settings: parseSettings(() => undefined),
    builtinSkillsDir: path.resolve(__dirname, '../../../skills'),
    wasmDirs: [],
    sandbox: { ok: false as const, message: 'Docker is not running' },
    review: { review: async () => [], apply: async () => [] },
    approver: { request: async () => ({ approved: false as const }) },
    asker: { ask: async () => ({ unanswered: 'test' }) },
  };

  it('an untrusted workspace gets no edit tools, commands that explain why, and a notice', async () => {
    const s = await buildRunSession({ ...base, root, trusted: false });
    const names = s.tools.list().map((t) => t.name);
    expect(names).not.toContain('write_file');
    expect(names).not.toContain('edit_file');
    expect(names).toContain('read_file');
    expect(s.tools.get('run_command')?.description).toContain('this workspace is not trusted');
    expect(s.notices.join('\n')).toContain('not trusted');
  });

  it('a trusted workspace without a sandbox keeps edits, says why commands are off, and selects skills for the task', async () => {
    const s = await buildRunSession({ ...base, root, trusted: true, task: 'write unit tests for a.txt' });
    const names = s.tools.list().map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['write_file', 'edit_file', 'ask_user', 'run_command']));
    expect(s.notices.join('\n')).toContain('Commands are off for this run: Docker is not running');
    expect(s.selectedSkills.map((x) => x.name)).toContain('testing');
    expect(s.limits.maxTurns).toBeLessThanOrEqual(50);
  });
});
