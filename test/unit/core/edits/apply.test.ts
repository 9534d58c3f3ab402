import { describe, it, expect, beforeEach } from 'vitest';
import { chmod, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyDecided } from '../../../../src/core/edits/apply';
import { writeFileAtomic } from '../../../../src/core/edits/atomicWrite';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { approveAllReviewer, recordDecisions, renderDecisionSummary, reviewAndApply } from '../../../../src/core/edits/proposals';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { tempDir } from '../../../support/fixtures';

let root: string;
let guard: PathGuard;

beforeEach(async () => {
  root = await tempDir('ah-apply-');
  guard = new PathGuard(root);
});

const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

async function propose(set: ChangeSet, rel: string, proposed: string): Promise<void> {
  let current: string | null = null;
  try {
    current = await readFile(path.join(root, rel), 'utf8');
  } catch {
    current = null;
  }
  set.propose({ path: rel, current, proposed });
}

describe('applyFileChange', () => {
  it('writes approved content atomically, keeps the mode and leaves no temp file', async () => {
    await writeFile(path.join(root, 'run.sh'), 'echo a\n');
    await chmod(path.join(root, 'run.sh'), 0o755);
    const set = new ChangeSet();
    await propose(set, 'run.sh', 'echo b\n');
    set.approveFile('run.sh');
    const [res] = await applyDecided(set, { guard });
    expect(res?.status).toBe('applied');
    expect(await readFile(path.join(root, 'run.sh'), 'utf8')).toBe('echo b\n');
    expect((await stat(path.join(root, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readdir(root)).toEqual(['run.sh']);
    expect(set.get('run.sh')?.state).toBe('applied');
  });

  it('creates parent folders for a new file', async () => {
    const set = new ChangeSet();
    await propose(set, 'deep/er/new.txt', 'hi\n');
    set.approveFile('deep/er/new.txt');
    await applyDecided(set, { guard });
    expect(await readFile(path.join(root, 'deep/er/new.txt'), 'utf8')).toBe('hi\n');
  });

  it('refuses a stale write and keeps the newer content on disk', async () => {
    await writeFile(path.join(root, 'a.txt'), 'v1\n');
    const set = new ChangeSet();
    await propose(set, 'a.txt', 'v2 from agent\n');
    await writeFile(path.join(root, 'a.txt'), 'v1 edited by user\n');
    set.approveFile('a.txt');
    const [res] = await applyDecided(set, { guard });
    expect(res?.status).toBe('conflict');
    expect(res?.message).toMatch(/changed on disk/);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('v1 edited by user\n');
    expect(set.get('a.txt')?.state).toBe('conflict');
  });

  it('treats a file created after the proposal of a new file as a conflict', async () => {
    const set = new ChangeSet();
    await propose(set, 'n.txt', 'agent\n');
    await writeFile(path.join(root, 'n.txt'), 'user\n');
    set.approveFile('n.txt');
    const [res] = await applyDecided(set, { guard });
    expect(res?.status).toBe('conflict');
    expect(await readFile(path.join(root, 'n.txt'), 'utf8')).toBe('user\n');
  });

  it('refuses a protected path that was not flagged for a human', async () => {
    const set = new ChangeSet();
    await propose(set, '.vscode/settings.json', '{}\n');
    set.approveFile('.vscode/settings.json');
    const [res] = await applyDecided(set, { guard });
    expect(res?.status).toBe('refused');
    await expect(stat(path.join(root, '.vscode'))).rejects.toThrow();
  });

  it('refuses when a folder was swapped for a symlink to outside after the proposal', async () => {
    const outside = await tempDir('ah-apply-out-');
    try {
      await mkdir(path.join(root, 'sub'));
      const set = new ChangeSet();
      await propose(set, 'sub/a.txt', 'x\n');
      await rm(path.join(root, 'sub'), { recursive: true });
      await symlink(outside, path.join(root, 'sub'));
      set.approveFile('sub/a.txt');
      const [res] = await applyDecided(set, { guard });
      expect(res?.status).toBe('refused');
      expect(res?.message).toMatch(/outside the workspace/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('writeFileAtomic leaves the target whole and no temp file when the write fails', async () => {
    const target = path.join(root, 'x.txt');
    await writeFile(target, 'keep\n');
    // A number is not writable data: the write fails after the temp file was created.
    await expect(writeFileAtomic(target, 123 as unknown as string)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('keep\n');
    expect(await readdir(root)).toEqual(['x.txt']);
  });

  it('calls beforeWrite once before changing the file and afterWrite with the content', async () => {
    await writeFile(path.join(root, 'a.txt'), 'one\n');
    const set = new ChangeSet();
    await propose(set, 'a.txt', 'two\n');
    set.approveFile('a.txt');
    const seen: string[] = [];
    await applyDecided(set, {
      guard,
      beforeWrite: async (rel) => {
        seen.push(`before ${rel} ${await readFile(path.join(root, rel), 'utf8')}`);
      },
      afterWrite: async (rel, content) => {
        seen.push(`after ${rel} ${content}`);
      },
    });
    expect(seen).toEqual(['before a.txt one\n', 'after a.txt two\n']);
  });
});

describe('review', () => {
  it('one hunk approved and one rejected: the file on disk has exactly the approved change, and the model hears why', async () => {
    const original = numbered(30);
    await writeFile(path.join(root, 'list.txt'), original);
    const set = new ChangeSet();
    await propose(set, 'list.txt', original.replace('line 3\n', 'line three\n').replace('line 25\n', 'line 25\nextra\n'));
    const outcomes = await reviewAndApply({
      changeSet: set,
      apply: { guard },
      reviewer: async (req) => {
        expect(req.files.map((f) => f.path)).toEqual(['list.txt']);
        expect(req.diff).toContain('+extra');
        return [{ path: 'list.txt', decision: 'hunks', hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'no extra lines' }] }];
      },
    });
    expect(await readFile(path.join(root, 'list.txt'), 'utf8')).toBe(original.replace('line 3\n', 'line three\n'));
    expect(outcomes[0]).toMatchObject({ outcome: 'partially_applied', approvedHunks: 1, totalHunks: 2 });
    const text = renderDecisionSummary(outcomes);
    expect(text).toContain('list.txt: partially written: 1 of 2 hunks approved');
    expect(text).toContain('Rejected hunk 2 @@ -23,6 +23,7 @@ (reason: no extra lines)');
    expect(text).toContain('    +extra');
  });

  it('a hunk the reviewer does not mention is rejected (fail closed)', () => {
    const set = new ChangeSet();
    const original = numbered(30);
    set.propose({ path: 'a', current: original, proposed: original.replace('line 3\n', 'x\n').replace('line 25\n', 'y\n') });
    recordDecisions(set, [{ path: 'a', decision: 'hunks', hunks: [{ index: 1, approved: true }] }]);
    expect(set.get('a')?.hunks.map((h) => h.status)).toEqual(['rejected', 'approved']);
  });

  it('approveAllReviewer leaves protected files pending for a human', async () => {
    const set = new ChangeSet();
    set.propose({ path: 'a.txt', current: null, proposed: 'a\n' });
    set.propose({ path: 'AGENTS.md', current: null, proposed: 'rules\n', needsHuman: true, needsHumanReason: 'AGENTS.md is protected' });
    const outcomes = await reviewAndApply({ changeSet: set, apply: { guard }, reviewer: approveAllReviewer() });
    expect(outcomes.map((o) => [o.path, o.outcome])).toEqual([['a.txt', 'applied'], ['AGENTS.md', 'pending']]);
    expect(renderDecisionSummary(outcomes)).toContain('AGENTS.md: proposed, pending review (waiting for a human to review (AGENTS.md is protected))');
    await expect(stat(path.join(root, 'AGENTS.md'))).rejects.toThrow();
  });

  it('a whole-file rejection is reported with its reason and writes nothing', async () => {
    await writeFile(path.join(root, 'a.txt'), 'one\n');
    const set = new ChangeSet();
    await propose(set, 'a.txt', 'two\n');
    const outcomes = await reviewAndApply({ changeSet: set, apply: { guard }, reviewer: async () => [{ path: 'a.txt', decision: 'reject', reason: 'wrong file' }] });
    expect(renderDecisionSummary(outcomes)).toBe('a.txt: rejected; nothing was written. Reason: wrong file');
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
  });
});
