import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JournalStore, UnknownRunError } from '../../../../src/adapters/journal/journalStore';
import { resumeRun, NotResumableError } from '../../../../src/adapters/journal/resumeRun';
import { RunInUseError } from '../../../../src/adapters/journal/runLock';
import { runAgent } from '../../../../src/core/agent/loop';
import { decodeJournal } from '../../../../src/core/journal/journalCodec';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';

const echo = defineTool({ name: 'echo', description: 'echo', kind: 'read', schema: z.object({ w: z.string() }), run: async ({ w }) => w });

function store(dir = mkdtempSync(path.join(tmpdir(), 'journal-'))): JournalStore {
  return new JournalStore({ dir, waitMs: 0 });
}

async function interruptedRun(s: JournalStore, runId: string): Promise<void> {
  const writer = await s.create(runId);
  const model = new FakeModelClient([{ toolCalls: [{ id: 'c1', name: 'echo', arguments: { w: 'a' } }] }]);
  // The model has no second turn: the run fails, like a gateway outage, after journaling the first turn.
  const res = await runAgent({ task: 'echo things', system: 's', model, tools: new ToolRegistry([echo]), runId, journal: writer });
  expect(res.status).toBe('failed');
  await writer.close();
}

describe('JournalStore', () => {
  it('lists runs with id, status, task and start time, and shows a locked run as running', async () => {
    const s = store();
    await interruptedRun(s, 'run-a');
    const live = await s.create('run-b');
    live.append({ kind: 'run_started', runId: 'run-b', task: 'second', profile: 'coder', model: 'm', protocol: 'openai', systemHash: 'h', history: [], limits: { maxTurns: 1, maxToolCalls: 1, maxTokens: 1 }, tools: [], skills: [], resume: {} });
    const runs = await s.list();
    expect(runs.map((r) => [r.id, r.status, r.task])).toEqual(expect.arrayContaining([
      ['run-a', 'failed', 'echo things'],
      ['run-b', 'running', 'second'],
    ]));
    expect(runs.every((r) => !Number.isNaN(Date.parse(r.started)))).toBe(true);
    await live.close();
    expect((await s.list()).find((r) => r.id === 'run-b')?.status).toBe('interrupted');
  });

  it('gives the second resumer of a run a clear message instead of a second writer', async () => {
    const s = store();
    await interruptedRun(s, 'run-c');
    const first = await s.openForResume('run-c');
    await expect(s.openForResume('run-c')).rejects.toThrow(RunInUseError);
    await expect(s.openForResume('run-c')).rejects.toThrow(new RegExp(`run run-c is already being continued by another process \\(process ${process.pid} on`));
    await first.writer.close();
    const again = await s.openForResume('run-c');
    await again.writer.close();
  });

  it('cuts off a torn last line before appending, so the journal stays readable', async () => {
    const s = store();
    await interruptedRun(s, 'run-d');
    appendFileSync(s.pathFor('run-d'), '{"v":1,"time":"2026-11-21T05:00:00Z","kind":"tool_res');
    const { writer, tornTail, state } = await s.openForResume('run-d');
    expect(tornTail).toBe(true);
    expect(state.modelCalls.size).toBe(1);
    await writer.close();
    const decoded = decodeJournal(readFileSync(s.pathFor('run-d'), 'utf8'), 'j');
    expect(decoded.tornTail).toBe(false);
    expect(decoded.records.at(-1)?.kind).toBe('run_resumed');
  });

  it('resumes a failed run to completion without repeating its journaled model call', async () => {
    const s = store();
    await interruptedRun(s, 'run-e');
    const model = new FakeModelClient([{ text: 'finished' }]);
    const notes: string[] = [];
    const res = await resumeRun({
      store: s,
      runId: 'run-e',
      build: async (start) => ({ system: 's', model, tools: new ToolRegistry([echo]), profile: start.profile }),
      onNote: (n) => notes.push(n),
    });
    expect(res.status).toBe('completed');
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(notes).toEqual([]);
    await expect(resumeRun({ store: s, runId: 'run-e', build: async () => ({ system: 's', model, tools: new ToolRegistry() }) })).rejects.toThrow(NotResumableError);
    expect((await s.list())[0]?.status).toBe('completed');
  });

  it('creates journals readable by their owner only, and never over an existing one', async () => {
    const s = store();
    await interruptedRun(s, 'run-f');
    expect(statSync(s.pathFor('run-f')).mode & 0o777).toBe(0o600);
    await expect(s.create('run-f')).rejects.toThrow(/EEXIST/);
  });

  it('lists a journal that was changed by hand as damaged, with the reason, instead of hiding it', async () => {
    const s = store();
    await interruptedRun(s, 'run-g');
    const lines = readFileSync(s.pathFor('run-g'), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('echo', 'ECHO');
    writeFileSync(s.pathFor('run-g'), lines.join('\n'));
    expect(await s.list()).toEqual([expect.objectContaining({ id: 'run-g', status: 'damaged', problem: expect.stringMatching(/damaged at line 2: checksum mismatch/) })]);
    await expect(s.openForResume('run-g')).rejects.toThrow(/damaged at line 2/);
    // The failed attempt released the lock.
    await expect(s.openForResume('run-g')).rejects.toThrow(/damaged/);
  });

  it('refuses run ids that are not names and runs that do not exist', () => {
    const s = store();
    expect(() => s.pathFor('../etc/passwd')).toThrow(/is not a run id/);
    expect(() => s.read('nope')).toThrow(UnknownRunError);
  });
});
