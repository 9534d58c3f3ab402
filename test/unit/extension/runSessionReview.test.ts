import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyDecided } from '../../../src/core/edits/apply';
import type { FileChange } from '../../../src/core/edits/changeSet';
import type { FileDecision } from '../../../src/core/edits/proposals';
import { PathGuard } from '../../../src/core/policy/pathGuard';
import type { ToolOutput } from '../../../src/core/tools/defineTool';
import { parseSettings } from '../../../src/extension/gateway/extensionSettings';
import { buildRunSession, type RunSessionOptions } from '../../../src/extension/run/runSession';
import { tempDir } from '../../support/fixtures';

/**
 * The extension's edit review through the core's one review port (issue 15 item 5): write_file and
 * edit_file propose, the diff view (reviewFile) decides, the editor's apply port (applyWith) writes.
 */
const ORIGINAL = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const PROPOSED = ORIGINAL.replace('line 2\n', 'LINE TWO\n').replace('line 19\n', 'LINE NINETEEN\n');

let root: string;
beforeEach(async () => {
  root = await tempDir('ah-review-');
  await writeFile(path.join(root, 'a.txt'), ORIGINAL);
});

const base = (): Omit<RunSessionOptions, 'root' | 'trusted'> => ({
  task: 'look around',
  settings: parseSettings(() => undefined),
  builtinSkillsDir: path.resolve(__dirname, '../../../skills'),
  wasmDirs: [],
  sandbox: { ok: false as const, message: 'Docker is not running' },
  reviewFile: async () => [],
  applyWith: (set, paths) => applyDecided(set, { guard: new PathGuard(root) }, paths),
  approver: { request: async () => ({ approved: false as const }) },
  asker: { ask: async () => ({ unanswered: 'test' }) },
  // No model call is made here: the session is only assembled.
  openModel: async (request) => ({ model: { model: request.model ?? 'configured', protocol: 'openai', stream: () => { throw new Error('no model call in this test'); } } as never, sinks: [], notices: [] }),
  budgets: { env: {} },
});

async function writeTool(decide: (file: FileChange, signal: AbortSignal | undefined) => FileDecision[] | Promise<FileDecision[]>, extra: Partial<RunSessionOptions> = {}) {
  const seen: FileChange[] = [];
  const applied: string[][] = [];
  const s = await buildRunSession({
    ...base(),
    root,
    trusted: true,
    reviewFile: async (file, signal) => {
      seen.push(file);
      // Nothing is on disk while the person looks at the diff.
      if (file.path === 'a.txt') expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
      return decide(file, signal);
    },
    applyWith: (set, paths) => {
      applied.push([...paths]);
      return applyDecided(set, { guard: new PathGuard(root) }, paths);
    },
    ...extra,
  });
  const tool = s.run.tools.get('write_file')!;
  return { run: (args: unknown, signal = new AbortController().signal) => tool.run(args as never, { runId: 'r', callId: 'c', signal }) as Promise<ToolOutput>, seen, applied, changeSet: s.changeSet };
}

describe('edits reviewed in the diff view, through the core review port', () => {
  it('applies only the approved hunk, through the editor’s apply port, and tells the model which hunk was rejected and why', async () => {
    const t = await writeTool((f) => [{ path: f.path, decision: 'hunks', hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'keep the old name' }] }]);
    const out = await t.run({ path: 'a.txt', content: PROPOSED });
    expect(t.seen).toHaveLength(1);
    expect(t.seen[0]?.hunks).toHaveLength(2);
    expect(t.applied).toEqual([['a.txt']]);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL.replace('line 2\n', 'LINE TWO\n'));
    expect(out.content).toContain('partially written: 1 of 2 hunks approved');
    expect(out.content).toContain('reason: keep the old name');
    expect(out.content).toContain('+LINE NINETEEN');
    expect(out.filesChanged).toEqual(['a.txt']);
  });

  it('a rejected file is not written, not counted as changed, and the reason reaches the model', async () => {
    const t = await writeTool((f) => [{ path: f.path, decision: 'reject', reason: 'wrong file' }]);
    const out = await t.run({ path: 'a.txt', content: PROPOSED });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
    expect(out.content).toContain('rejected; nothing was written. Reason: wrong file');
    expect(out.filesChanged).toEqual([]);
  });

  it('a file changed on disk during review is a conflict, not overwritten', async () => {
    const t = await writeTool(async (f) => {
      await writeFile(path.join(root, 'a.txt'), 'user edit\n');
      return [{ path: f.path, decision: 'approve' }];
    });
    const out = await t.run({ path: 'a.txt', content: PROPOSED });
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('user edit\n');
    expect(out.isError).toBe(true);
    expect(out.content).toContain('conflict');
    expect(out.filesChanged).toEqual([]);
  });

  it('a review ended by the run’s signal leaves the proposal pending and writes nothing', async () => {
    const stop = new AbortController();
    let got: AbortSignal | undefined;
    const t = await writeTool((_f, signal) => {
      got = signal;
      stop.abort();
      return [];
    });
    const out = await t.run({ path: 'a.txt', content: PROPOSED }, stop.signal);
    expect(got).toBe(stop.signal);
    expect(t.applied).toEqual([]);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(ORIGINAL);
    expect(t.changeSet.pending()).toHaveLength(1);
    expect(out.content).toContain('pending review');
  });

  it('a path the settings auto-approve skips the diff view but still goes through the editor’s apply port; a protected file still asks', async () => {
    // The approval rules ask about the protected file first (approved here); the diff view still decides it.
    const t = await writeTool(() => [{ path: '.vscode/settings.json', decision: 'reject', reason: 'no' }], { autoApprove: () => true, approver: { request: async (r) => ({ approved: true, key: r.key }) } });
    const out = await t.run({ path: 'a.txt', content: PROPOSED });
    expect(t.seen).toEqual([]);
    expect(t.applied).toEqual([['a.txt']]);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe(PROPOSED);
    expect(out.filesChanged).toEqual(['a.txt']);
    const prot = await t.run({ path: '.vscode/settings.json', content: '{}' });
    expect(t.seen.map((f) => f.path)).toEqual(['.vscode/settings.json']);
    expect(prot.content).toContain('rejected');
  });
});

describe('buildRunSession', () => {
  it('an untrusted workspace gets no edit tools, commands that explain why, and a notice', async () => {
    const s = await buildRunSession({ ...base(), root, trusted: false });
    const names = s.run.tools.list().map((t) => t.name);
    expect(names).not.toContain('write_file');
    expect(names).not.toContain('edit_file');
    expect(names).toContain('read_file');
    expect(s.run.tools.get('run_command')?.description).toContain('this workspace is not trusted');
    expect(s.notices.join('\n')).toContain('not trusted');
  });

  it('a trusted workspace without a sandbox keeps edits, says why commands are off, and selects skills for the task', async () => {
    const s = await buildRunSession({ ...base(), root, trusted: true, task: 'write unit tests for a.txt' });
    const names = s.run.tools.list().map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['write_file', 'edit_file', 'ask_user', 'run_command']));
    expect(s.notices.join('\n')).toContain('Commands are off for this run: Docker is not running');
    expect(s.selectedSkills.map((x) => x.name)).toContain('testing');
    expect(s.run.limits.maxTurns).toBeLessThanOrEqual(50);
  });
});
