import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RecordedRequest } from '../../support/scriptedServer/server';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { JournalStore } from '../../../src/adapters/journal/journalStore';
import { runAgent } from '../../../src/core/agent/loop';
import type { CliIo } from '../../../src/cli/cliIo';
import { buildCliSession } from '../../../src/cli/cliSession';
import { runResumeCommand, type CliResumeConfig } from '../../../src/cli/resumeCommand';
import { runRunsCommand, runsDir } from '../../../src/cli/runsCommand';
import { useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();

function io(env: Record<string, string>): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', env, interactive: false, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

function assistantTurns(r: RecordedRequest): number {
  return ((r.body as { messages: Array<{ role: string }> }).messages ?? []).filter((m) => m.role === 'assistant').length;
}

/** What `run` does once it journals (see the report to the lead): a store in the runs folder, the CLI settings in the start record. */
async function startAndFail(dir: string, workspace: string, runId: string): Promise<void> {
  const cfg: CliResumeConfig = { workspace, gateway: { url: `${server.url}/v1`, protocol: 'openai', model: 'gpt-4o' }, yes: false };
  const cli = io({});
  const model = await createModelClient({ ...cfg.gateway, protocol: 'openai', sdkMaxRetries: 0 }, 'sk-test');
  // A bare client, so the one failed call is not retried: the run fails as a crash mid-run would leave it.
  const session = await buildCliSession({ root: workspace, runId, task: 'what do the notes say?', io: cli, autoApprove: 'off', out: { write: (t) => cli.stderr(t), flush: () => undefined }, openModel: async () => ({ model, sinks: [], notices: [] }), budgets: { env: {} } });
  const journal = await new JournalStore({ dir }).create(runId);
  try {
    const res = await runAgent({ task: 'what do the notes say?', system: session.run.system, model, tools: session.run.tools, profile: session.profile.name, runId, journal, resumeConfig: cfg });
    expect(res.status).toBe('failed');
  } finally {
    await journal.close();
  }
}

describe('agent-harness runs / resume', () => {
  it('lists a failed run, resumes it with the same output as run, and never repeats the journaled call', async () => {
    server.reset();
    const workspace = mkdtempSync(path.join(tmpdir(), 'resume-cli-ws-'));
    writeFileSync(path.join(workspace, 'notes.txt'), 'the meeting moved to Tuesday\n');
    const dir = path.join(workspace, 'runs-folder');
    server.script([
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: { path: 'notes.txt' } }] },
      { fault: 'status', status: 503, message: 'overloaded' },
    ]);
    await startAndFail(dir, workspace, 'run-cli-1');

    const listed = io({});
    expect(await runRunsCommand(['--json', '--runs-dir', dir], listed)).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: 'run-cli-1', status: 'failed', task: 'what do the notes say?' })]);

    server.script([{ text: 'The meeting moved to Tuesday.', usage: { input: 700, output: 9 } }]);
    const home = mkdtempSync(path.join(tmpdir(), 'resume-cli-home-'));
    const resumed = io({ AGENT_HARNESS_API_KEY: 'sk-test', AGENT_HARNESS_HOME: home });
    const code = await runResumeCommand(['--last', '--json', '--runs-dir', dir], resumed);
    expect(code, resumed.err).toBe(0);
    const result = JSON.parse(resumed.out.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ status: 'completed', output: 'The meeting moved to Tuesday.' });
    expect(server.requests.filter((r) => assistantTurns(r) === 0)).toHaveLength(1);
    const last = server.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(last.messages.find((m) => m.role === 'tool')?.content).toMatch(/the meeting moved to Tuesday/);
    // The resumed call went through the governed gateway: it is in the usage ledger under the run.
    const ledger = readdirSync(path.join(home, 'usage')).map((f) => readFileSync(path.join(home, 'usage', f), 'utf8')).join('');
    const rows = ledger.trim().split('\n').map((l) => JSON.parse(l) as { runId: string; usage: { inputTokens: number } });
    expect(rows).toEqual([expect.objectContaining({ runId: 'run-cli-1', usage: expect.objectContaining({ inputTokens: 700 }) })]);

    const text = io({});
    await runRunsCommand(['--runs-dir', dir], text);
    expect(text.out).toMatch(/^ID\s+STATUS\s+STARTED\s+TASK\nrun-cli-1\s+completed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+what do the notes say\?\n$/);

    await expect(runResumeCommand(['run-cli-1', '--runs-dir', dir], io({}))).rejects.toThrow(/run run-cli-1 already ended \(completed\); there is nothing to resume/);
    await expect(runResumeCommand(['--last', '--runs-dir', dir], io({}))).rejects.toThrow(/no unfinished run to resume in /);
    await expect(runResumeCommand(['nope', '--runs-dir', dir], io({}))).rejects.toThrow(/no run nope in /);
    await expect(runResumeCommand(['--runs-dir', dir], io({}))).rejects.toThrow(/which run\?/);
  }, 30_000);

  it('rebuilds the edit proposals of the crashed session, so the review at the end still shows them', async () => {
    server.reset();
    const workspace = mkdtempSync(path.join(tmpdir(), 'resume-cli-ws-'));
    const dir = path.join(workspace, 'runs-folder');
    server.script([
      { toolCalls: [{ id: 'call_w', name: 'write_file', arguments: { path: 'greeting.txt', content: 'hello from the first session\n' } }] },
      { fault: 'status', status: 503, message: 'overloaded' },
    ]);
    await startAndFail(dir, workspace, 'run-cli-2');
    server.script([{ text: 'Proposed greeting.txt.' }]);
    const resumed = io({ AGENT_HARNESS_API_KEY: 'sk-test', AGENT_HARNESS_HOME: mkdtempSync(path.join(tmpdir(), 'resume-cli-home-')) });
    expect(await runResumeCommand(['run-cli-2', '--runs-dir', dir], resumed), resumed.err).toBe(0);
    expect(resumed.out).toBe('Proposed greeting.txt.\n');
    expect(resumed.err).toMatch(/1 proposed file change was not written/);
    expect(resumed.err).toMatch(/\+hello from the first session/);
    expect(server.requests.filter((r) => assistantTurns(r) === 0)).toHaveLength(1);
  }, 30_000);

  it('keeps runs out of the workspace by default: AGENT_HARNESS_RUNS_DIR, else runs/ in the CLI state folder', () => {
    expect(runsDir({ AGENT_HARNESS_RUNS_DIR: '/srv/runs' })).toBe('/srv/runs');
    expect(runsDir({ AGENT_HARNESS_HOME: '/home/u/.ah' })).toBe('/home/u/.ah/runs');
    expect(runsDir({ HOME: '/home/u' })).toBe('/home/u/.agent-harness/runs');
    expect(runsDir({ AGENT_HARNESS_RUNS_DIR: '/srv/runs' }, 'rel')).toBe(path.resolve('rel'));
  });
});
