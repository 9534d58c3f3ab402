import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { runAgent } from '../../../src/core/agent/loop';
import type { ChangeReviewer } from '../../../src/core/edits/proposals';
import { approveAll } from '../../../src/core/policy/approvalsWrapper';
import { prepareRun } from '../../../src/core/session/prepareRun';
import { tempDir, useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();

const ORIGINAL = ['const a = 1;', 'const b = 2;', '', '// filler', '// filler', '// filler', '// filler', '// filler', '// filler', '// filler', '', 'export const sum = a + b;', ''].join('\n');

describe.each(['openai', 'anthropic'] as const)('a reviewed run over %s', (protocol) => {
  it('reads, proposes a two-hunk edit, writes only the approved hunk and tells the model about the rejected one', async () => {
    const root = await tempDir('ah-reviewed-');
    await writeFile(path.join(root, 'calc.js'), ORIGINAL);
    server.reset();
    server.script([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'calc.js' } }] },
      {
        toolCalls: [
          {
            name: 'write_file',
            arguments: { path: 'calc.js', content: ORIGINAL.replace('const a = 1;', 'const a = 10;').replace('export const sum = a + b;', 'export const sum = a * b;') },
          },
        ],
      },
      { text: 'Applied what was approved.' },
    ]);
    const seenByReviewer: number[] = [];
    // The person approves the first hunk and rejects the second with a reason.
    const reviewer: ChangeReviewer = async ({ files }) =>
      files.map((f) => {
        seenByReviewer.push(f.hunks.length);
        return { path: f.path, decision: 'hunks' as const, hunks: [{ index: 0, approved: true }, { index: 1, approved: false, reason: 'keep the sum a sum' }] };
      });
    const prepared = await prepareRun({ root, task: 'tweak calc.js', builtinSkillsDir: path.resolve(__dirname, '../../../skills'), reviewer, approver: approveAll });
    const model = await createModelClient({ url: protocol === 'openai' ? `${server.url}/v1` : server.url, protocol, model: 'm', sdkMaxRetries: 0 }, 'k');
    const result = await runAgent({ task: 'tweak calc.js', system: prepared.systemPrompt, model, tools: prepared.tools, skills: prepared.activeSkills });

    expect(result.status).toBe('completed');
    expect(seenByReviewer).toEqual([2]);
    expect(await readFile(path.join(root, 'calc.js'), 'utf8')).toBe(ORIGINAL.replace('const a = 1;', 'const a = 10;'));
    const toolResult = JSON.stringify(server.requests[2]?.body);
    expect(toolResult).toContain('keep the sum a sum');
    expect(toolResult).toContain('a * b');
    // The read the model did first was real: numbered lines of the file.
    expect(JSON.stringify(server.requests[1]?.body)).toContain('const b = 2;');
  });
});
