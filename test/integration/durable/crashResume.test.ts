import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest } from '../../support/scriptedServer/server';
import type { Turn } from '../../support/scriptedServer/turn';
import { decodeJournal } from '../../../src/core/journal/journalCodec';
import { useScriptedServer } from '../../support/fixtures';

const root = path.resolve(__dirname, '../../..');
const artifacts = path.join(root, '.test-artifacts', 'durable');
const childJs = path.join(artifacts, 'crashChild.cjs');
const server = useScriptedServer();

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  // Bundled once so the child starts like the real CLI does: plain Node, no TypeScript loader.
  await build({ entryPoints: [path.join(__dirname, 'crashChild.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: childJs, packages: 'external', logLevel: 'warning' });
});

/** The conversation decides the turn (not the request count), so a repeated request gets the same answer. */
function turnFor(req: RecordedRequest): Turn {
  const messages = ((req.body as { messages?: Array<{ role: string }> }).messages ?? []).filter((m) => m.role === 'assistant');
  return [
    { text: 'Reading notes.', toolCalls: [{ id: 'c1', name: 'read_notes', arguments: {} }] },
    { text: 'Writing it down.', toolCalls: [{ id: 'c2', name: 'append_line', arguments: { line: 'buy milk' } }] },
    { text: 'Done: noted.' },
  ][messages.length] as Turn;
}

function turnIndex(req: RecordedRequest): number {
  return ((req.body as { messages?: Array<{ role: string }> }).messages ?? []).filter((m) => m.role === 'assistant').length;
}

interface ChildOutcome {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

function child(env: Record<string, string>): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [childJs], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface Case {
  crashAt: string;
  rerun: 'yes' | 'no';
  /** Requests per model turn over both processes: a completed, journaled call is never requested again. */
  requestsPerTurn: [number, number, number];
  /** Lines in out.txt at the end: the write's side effect happened exactly this often. */
  writes: number;
  reads: number;
  /** The write tool's result as the model saw it. */
  writeResult: RegExp;
}

const CASES: Case[] = [
  { crashAt: 'before:model_call:m1', rerun: 'no', requestsPerTurn: [1, 2, 1], writes: 1, reads: 1, writeResult: /appended buy milk/ },
  { crashAt: 'after:model_call:m1', rerun: 'no', requestsPerTurn: [1, 1, 1], writes: 1, reads: 1, writeResult: /appended buy milk/ },
  { crashAt: 'before:tool_result:c1', rerun: 'no', requestsPerTurn: [1, 1, 1], writes: 1, reads: 2, writeResult: /appended buy milk/ },
  { crashAt: 'before-effect:c2', rerun: 'yes', requestsPerTurn: [1, 1, 1], writes: 1, reads: 1, writeResult: /appended buy milk/ },
  { crashAt: 'after-effect:c2', rerun: 'no', requestsPerTurn: [1, 1, 1], writes: 1, reads: 1, writeResult: /Not run again: the run was interrupted while append_line was running/ },
  { crashAt: 'after:tool_result:c2', rerun: 'no', requestsPerTurn: [1, 1, 1], writes: 1, reads: 1, writeResult: /appended buy milk/ },
  { crashAt: 'before:run_ended', rerun: 'no', requestsPerTurn: [1, 1, 1], writes: 1, reads: 1, writeResult: /appended buy milk/ },
];

describe('a run killed with SIGKILL at each boundary resumes without repeating completed work', () => {
  it.each(CASES)('crash at $crashAt (re-run answer: $rerun)', async (c) => {
    server.reset();
    server.respondWith(turnFor);
    const workspace = mkdtempSync(path.join(tmpdir(), 'durable-ws-'));
    const runsDir = path.join(workspace, 'runs');
    const runId = `crash-${c.crashAt.replace(/[^a-z0-9]/gi, '-')}`;
    const base = { SERVER_URL: server.url, RUNS_DIR: runsDir, RUN_ID: runId, WORKSPACE: workspace, PROTOCOL: 'anthropic' };

    const first = await child({ ...base, CRASH_AT: c.crashAt });
    expect(first.signal, first.stderr).toBe('SIGKILL');

    const second = await child({ ...base, MODE: 'resume', RERUN: c.rerun });
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout.trim().split('\n').at(-1) ?? '{}') as { status: string; output: string };
    expect(result).toMatchObject({ status: 'completed', output: 'Done: noted.' });

    const perTurn = [0, 1, 2].map((t) => server.requests.filter((r) => turnIndex(r) === t).length);
    expect(perTurn).toEqual(c.requestsPerTurn);
    const lines = existsSync(path.join(workspace, 'out.txt')) ? readFileSync(path.join(workspace, 'out.txt'), 'utf8').split('\n').filter(Boolean) : [];
    expect(lines).toHaveLength(c.writes);
    expect(readFileSync(path.join(workspace, 'reads.log'), 'utf8').split('\n').filter(Boolean)).toHaveLength(c.reads);

    const last = server.requests.at(-1)?.body as { messages: Array<{ role: string; content: Array<{ type: string; content?: string; tool_use_id?: string }> }> };
    const writeResult = last.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((b) => b.type === 'tool_result' && b.tool_use_id === 'c2');
    expect(writeResult?.content).toMatch(c.writeResult);

    const journal = decodeJournal(readFileSync(path.join(runsDir, `${runId}.jsonl`), 'utf8'), runId);
    expect(journal.tornTail).toBe(false);
    expect(journal.records.filter((r) => r.kind === 'run_resumed')).toHaveLength(1);
    expect(journal.records.at(-1)).toMatchObject({ kind: 'run_ended', result: { status: 'completed' } });
  }, 30_000);

  it('a second process that tries to resume a live run gets a clear message', async () => {
    server.reset();
    // The first process stalls in its model call and holds the run's lock meanwhile.
    server.respondWith(() => ({ fault: 'stall', afterEvents: 1, ms: 8_000, text: 'slow' }));
    const workspace = mkdtempSync(path.join(tmpdir(), 'durable-ws-'));
    const base = { SERVER_URL: server.url, RUNS_DIR: path.join(workspace, 'runs'), RUN_ID: 'two-resumers', WORKSPACE: workspace, PROTOCOL: 'anthropic' };
    const first = child({ ...base, CRASH_AT: 'none' });
    for (let i = 0; i < 100 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const second = await child({ ...base, MODE: 'resume' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/run two-resumers is already being continued by another process \(process \d+ on /);
    server.respondWith(turnFor);
    const done = await first;
    expect(done.code).toBe(0);
  }, 40_000);
});
