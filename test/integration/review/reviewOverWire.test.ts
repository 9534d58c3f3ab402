import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { GitCli } from '../../../src/adapters/git/gitCli';
import type { Protocol } from '../../../src/core/model/modelClient';
import { ReviewError, runReview } from '../../../src/core/codeReview/runReview';
import type { TestRepo } from '../../unit/adapters/git/gitRepo';
import { repoWithChange } from './reviewRepo';
import { useScriptedServer } from '../../support/fixtures';

const SKILLS = path.resolve(__dirname, '../../../skills');
let repo: TestRepo;
const server = useScriptedServer();
beforeEach(() => {
  server.reset();
  repo = repoWithChange({ path: 'src/big.js', lines: 40, line: 20, word: 'twenty' });
});
afterEach(() => repo.dispose());

function client(protocol: Protocol) {
  return createModelClient({ url: protocol === 'openai' ? `${server.url}/v1` : server.url, protocol, model: protocol === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-5', sdkMaxRetries: 0 }, 'sk-test');
}

describe.each(['openai', 'anthropic'] as const)('the review runbook over %s', (protocol) => {
  it('returns valid comments, moves one on a line outside the diff to the file level, and adds up usage', async () => {
    server.script([
      { toolCalls: [{ name: 'grep', arguments: { pattern: 'add\\(' } }], usage: { input: 900, output: 30 } },
      { text: 'src/math.js line 2 subtracts. error.', usage: { input: 1000, output: 20 } },
      {
        json: {
          summary: 'add() now subtracts.',
          recommendation: 'request_changes',
          comments: [
            { path: 'src/math.js', line: 2, severity: 'error', title: 'add subtracts', body: 'a - b is not a sum.', suggestion: '  return a + b;' },
            { path: 'src/big.js', line: 35, severity: 'warning', title: 'Outside the diff', body: 'Line 35 is not in any hunk.' },
          ],
        },
        usage: { input: 1100, output: 80 },
      },
    ]);
    const model = await client(protocol);
    const result = await runReview({ root: repo.dir, git: new GitCli({ cwd: repo.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS });
    expect(result.comments).toEqual([
      { path: 'src/big.js', line: 0, severity: 'warning', title: 'Outside the diff', body: 'Line 35 is not in any hunk.', fileLevel: true, movedFrom: 35 },
      { path: 'src/math.js', line: 2, severity: 'error', title: 'add subtracts', body: 'a - b is not a sum.', suggestion: '  return a + b;', fileLevel: false },
    ]);
    expect(result.recommendation).toBe('request_changes');
    expect(result.usage).toMatchObject({ inputTokens: 3000, outputTokens: 130 });
    expect(result.usage.costUsd).toBeGreaterThan(0);
    // The final call asked for structured output natively: a forced tool on Anthropic, a JSON schema on OpenAI.
    const last = server.requests.at(-1)!.body as Record<string, unknown>;
    if (protocol === 'anthropic') expect(last.tool_choice).toEqual({ type: 'tool', name: 'submit_review' });
    else expect(last.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'submit_review' } });
    // The grep ran in the workspace and its result went back to the model.
    expect(JSON.stringify(server.requests[1]!.body)).toContain('math.js');
  });

  it('retries an answer that does not match the schema once, then fails with a clear error', async () => {
    server.script([
      { json: { summary: 'x', recommendation: 'looks good', comments: [] } },
      { json: { summary: 'x', recommendation: 'approve', comments: [{ path: 'src/math.js', line: 'two', severity: 'critical' }] } },
    ]);
    const model = await client(protocol);
    const err = await runReview({ root: repo.dir, git: new GitCli({ cwd: repo.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, exploreTurns: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviewError);
    expect((err as Error).message).toMatch(/did not match the schema after a retry/);
    expect((err as Error).message).toMatch(/severity/);
    expect(server.requests).toHaveLength(2);
    const retry = JSON.stringify(server.requests[1]!.body);
    expect(retry).toContain('did not match the required JSON schema');
  });

  it('accepts the retry when the second answer matches', async () => {
    server.script([{ json: { verdict: 'approve' } }, { json: { summary: 'Fine.', recommendation: 'approve', comments: [] } }]);
    const model = await client(protocol);
    const result = await runReview({ root: repo.dir, git: new GitCli({ cwd: repo.dir }), selection: { kind: 'uncommitted' }, model, builtinSkillsDir: SKILLS, exploreTurns: 0 });
    expect(result).toMatchObject({ summary: 'Fine.', recommendation: 'approve', comments: [] });
    expect(result.notes).toContain("Part 1: the model's first answer did not match the review schema; the retry did.");
  });
});
