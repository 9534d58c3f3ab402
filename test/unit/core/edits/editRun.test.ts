import { describe, it, expect, beforeEach } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAgent } from '../../../../src/core/agent/loop';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { createEditTools } from '../../../../src/core/edits/editTools';
import { renderDecisionSummary, reviewAndApply, type ChangeReviewer } from '../../../../src/core/edits/proposals';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { tempDir } from '../../../support/fixtures';

let root: string;
beforeEach(async () => {
  root = await tempDir('ah-editrun-');
});

const original = Array.from({ length: 30 }, (_, i) => `item ${i + 1}`).join('\n') + '\n';
const expectedApproved = original.replace('item 2\n', 'item two\n');
const reviewer: ChangeReviewer = async (req) =>
  req.files.map((f) => ({ path: f.path, decision: 'hunks' as const, hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'keep 28' }] }));

describe('a run that edits a file (fake model through the loop)', () => {
  it('inline review: one hunk approved and one rejected inside the tool call; the model hears the rejection', async () => {
    await writeFile(path.join(root, 'list.txt'), original);
    const changeSet = new ChangeSet();
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'list.txt', content: original.replace('item 2\n', 'item two\n').replace('item 28\n', 'item twenty-eight\n') } }] },
      { text: 'done' },
    ]);
    const tools = new ToolRegistry([...createEditTools({ root, changeSet, reviewer })]);
    const result = await runAgent({ task: 'edit', system: 's', model, tools });
    expect(result.status).toBe('completed');
    expect(result.filesChanged).toEqual(['list.txt']);
    expect(await readFile(path.join(root, 'list.txt'), 'utf8')).toBe(expectedApproved);
    const toolResult = model.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(toolResult && 'content' in toolResult ? toolResult.content : '').toContain('Rejected hunk 2 @@ -25,6 +25,6 @@ (reason: keep 28)');
  });

  it('end-of-run review: edits stay proposals during the run, then the decision is applied', async () => {
    await writeFile(path.join(root, 'list.txt'), original);
    const changeSet = new ChangeSet();
    const model = new FakeModelClient([
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'list.txt', old_string: 'item 2\n', new_string: 'item two\n' } }] },
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'list.txt', old_string: 'item 28', new_string: 'item twenty-eight' } }] },
      { text: 'done' },
    ]);
    const guard = new PathGuard(root);
    const result = await runAgent({ task: 'edit', system: 's', model, tools: new ToolRegistry([...createEditTools({ root, guard, changeSet })]) });
    expect(result.status).toBe('completed');
    expect(await readFile(path.join(root, 'list.txt'), 'utf8')).toBe(original);
    expect(changeSet.get('list.txt')?.hunks).toHaveLength(2);
    const outcomes = await reviewAndApply({ changeSet, reviewer, apply: { guard } });
    expect(await readFile(path.join(root, 'list.txt'), 'utf8')).toBe(expectedApproved);
    expect(renderDecisionSummary(outcomes)).toContain('list.txt: partially written: 1 of 2 hunks approved');
  });
});
