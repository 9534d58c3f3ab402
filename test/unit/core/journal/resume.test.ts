import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent, type RunOptions } from '../../../../src/core/agent/loop';
import type { AgentEvent } from '../../../../src/core/agent/events';
import { decodeJournal, encodeLine } from '../../../../src/core/journal/journalCodec';
import type { JournalRecord } from '../../../../src/core/journal/journalRecord';
import { buildReplayState, interruptedCalls, pendingApprovals } from '../../../../src/core/journal/replayState';
import { FakeModelClient, type FakeTurn } from '../../../../src/core/model/fakeModelClient';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { MemoryJournal } from './memoryJournal';
import { approvalJournal } from '../../../../src/core/journal/approvalJournal';

/** Tools that count their runs, so a test can tell a replayed result from a re-run. */
function tools() {
  const runs = { read: 0, write: 0, asked: 0 };
  const registry = new ToolRegistry([
    defineTool({
      name: 'read_file',
      description: 'read',
      kind: 'read',
      schema: z.object({ path: z.string() }),
      run: async ({ path: p }) => {
        runs.read++;
        return `content of ${p}`;
      },
    }),
    defineTool({
      name: 'write_file',
      description: 'write',
      kind: 'write',
      schema: z.object({ path: z.string(), content: z.string() }),
      run: async ({ path: p }) => {
        runs.asked++;
        runs.write++;
        return { content: `wrote ${p}`, filesChanged: [p] };
      },
    }),
  ]);
  return { registry, runs };
}

const SCRIPT: FakeTurn[] = [
  { text: 'reading', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } }] },
  { toolCalls: [{ id: 'c2', name: 'write_file', arguments: { path: 'b.ts', content: 'x' } }, { id: 'c3', name: 'read_file', arguments: { path: 'b.ts' } }] },
  { text: 'all done' },
];

function baseOptions(model: FakeModelClient, registry: ToolRegistry): RunOptions {
  return { task: 'do it', system: 'sys', model, tools: registry, runId: 'run-1' };
}

describe('resuming a journaled run', () => {
  it('journals start, each model response, each tool intent and result, and the end', async () => {
    const journal = new MemoryJournal();
    const { registry } = tools();
    const result = await runAgent({ ...baseOptions(new FakeModelClient(SCRIPT), registry), journal, resumeConfig: { root: '/w' } });
    expect(result.status).toBe('completed');
    expect(journal.records.map((r) => r.kind + ('step' in r ? `:${r.step.split(':')[1]}` : ''))).toEqual([
      'run_started',
      'model_call:m0',
      'tool_intent:m0',
      'tool_result:m0',
      'model_call:m1',
      'tool_intent:m1',
      'tool_result:m1',
      'tool_intent:m1',
      'tool_result:m1',
      'model_call:m2',
      'run_ended',
    ]);
    expect(journal.records[0]).toMatchObject({ task: 'do it', resume: { root: '/w' }, systemHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('from every cut point, replays completed calls without the model, re-runs reads, asks before re-running a write', async () => {
    const full = new MemoryJournal();
    const first = tools();
    const firstModel = new FakeModelClient(SCRIPT);
    const expected = await runAgent({ ...baseOptions(firstModel, first.registry), journal: full });

    for (let cut = 1; cut < full.records.length; cut++) {
      const kept = full.records.slice(0, cut);
      const state = buildReplayState(decodeJournal(kept.map(encodeLine).join(''), 'j').records, 'j');
      const modelCallsDone = kept.filter((r) => r.kind === 'model_call').length;
      const model = new FakeModelClient(SCRIPT.slice(modelCallsDone));
      const again = tools();
      const asked: string[] = [];
      const journal = new MemoryJournal();
      const events: AgentEvent[] = [];
      const res = await runAgent({
        ...baseOptions(model, again.registry),
        task: 'ignored: the journal has the task',
        replay: state,
        journal,
        sinks: [(e) => events.push(e)],
        confirmRerun: async (call) => {
          asked.push(call.id);
          return true;
        },
      });
      const at = `cut ${cut} (${kept.at(-1)?.kind})`;
      expect(res.status, at).toBe('completed');
      expect(res.output, at).toBe(expected.output);
      expect(res.filesChanged, at).toEqual(['b.ts']);
      expect(res.usage, at).toEqual(expected.usage);
      // Zero gateway calls for what the journal holds: only the missing turns reach the model.
      expect(model.requests.length, at).toBe(3 - modelCallsDone);
      const resultsDone = new Set(kept.flatMap((r) => (r.kind === 'tool_result' ? [r.callId] : [])));
      const intents = new Set(kept.flatMap((r) => (r.kind === 'tool_intent' ? [r.call.id] : [])));
      expect(again.runs.write, at).toBe(resultsDone.has('c2') ? 0 : 1);
      expect(asked, at).toEqual(intents.has('c2') && !resultsDone.has('c2') ? ['c2'] : []);
      expect(again.runs.read, at).toBe(2 - ['c1', 'c3'].filter((c) => resultsDone.has(c)).length);
      // The resumed session journals only what it did itself, and the run's end.
      expect(journal.records.filter((r) => r.kind === 'model_call').length, at).toBe(3 - modelCallsDone);
      expect(journal.records.at(-1)?.kind, at).toBe('run_ended');
      expect(events.filter((e) => e.type === 'model_call_finished' && e.replayed).length, at).toBe(modelCallsDone);
      // The model sees the same conversation it would have seen without the crash.
      model.requests.forEach((req, j) => expect(req.messages, at).toEqual(firstModel.requests[modelCallsDone + j]!.messages));
    }
  });

  it('does not re-run an interrupted write the person declines, and tells the model to check its effect', async () => {
    const full = new MemoryJournal();
    await runAgent({ ...baseOptions(new FakeModelClient(SCRIPT), tools().registry), journal: full });
    const cut = full.records.findIndex((r) => r.kind === 'tool_intent' && r.call.id === 'c2') + 1;
    const state = buildReplayState(full.records.slice(0, cut), 'j');
    expect(interruptedCalls(state).map((i) => i.call.id)).toEqual(['c2']);
    const model = new FakeModelClient(SCRIPT.slice(2));
    const again = tools();
    const journal = new MemoryJournal();
    const res = await runAgent({ ...baseOptions(model, again.registry), replay: state, journal, confirmRerun: async () => false });
    expect(res.status).toBe('completed');
    expect(again.runs.write).toBe(0);
    const toolMsg = model.requests[0]!.messages.find((m) => m.role === 'tool' && m.callId === 'c2');
    expect(toolMsg).toMatchObject({ isError: true, content: expect.stringMatching(/Not run again: the run was interrupted while write_file was running/) });
    // The refusal is journaled, so a later resume does not ask again.
    expect(journal.records.find((r) => r.kind === 'tool_result' && r.callId === 'c2')).toBeDefined();
  });

  it('re-runs a write whose approval was still pending (so the question is asked again), from the v1 fixture', async () => {
    const file = path.join(__dirname, '../../../fixtures/journal/v1-interrupted.jsonl');
    const state = buildReplayState(decodeJournal(readFileSync(file, 'utf8'), file).records, file);
    expect(pendingApprovals(state).map((a) => a.callId)).toEqual(['call_write']);
    const model = new FakeModelClient([{ text: 'test added' }], 'gpt-4o');
    const again = tools();
    const asked: string[] = [];
    const res = await runAgent({
      task: '',
      system: 'You are a test agent.\n',
      model,
      tools: again.registry,
      replay: state,
      confirmRerun: async (call) => {
        asked.push(call.id);
        return false;
      },
    });
    expect(res.status).toBe('completed');
    expect(asked).toEqual([]);
    expect(again.runs.write).toBe(1);
    expect(again.runs.read).toBe(0);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(res.usage.inputTokens).toBe(420 + 512 + 10);
  });

  it('stops with a clear failure when the journal cannot be written, before running the tool', async () => {
    const { registry, runs } = tools();
    let n = 0;
    const journal = {
      append(r: Omit<JournalRecord, 'v' | 'time'>) {
        if (r.kind === 'tool_intent' || n++ > 5) throw new Error('ENOSPC: no space left on device');
      },
    };
    const res = await runAgent({ ...baseOptions(new FakeModelClient(SCRIPT), registry), journal });
    expect(res.status).toBe('failed');
    expect(res.error).toMatch(/could not write the run journal, so the run stopped: ENOSPC/);
    expect(runs.read).toBe(0);
  });

  it('replays a journaled compaction instead of summarising again', async () => {
    const summary = { task: 'do it', progress: 'half', decisions: [], filesTouched: ['a.ts'], commandsRun: [], openItems: ['finish b.ts'] };
    const script: FakeTurn[] = [
      { toolCalls: [{ id: 'k1', name: 'read_file', arguments: { path: 'a.ts' } }] },
      { toolCalls: [{ id: 'k2', name: 'read_file', arguments: { path: 'b.ts' } }], usage: { inputTokens: 1_000 } },
      { text: JSON.stringify(summary) },
      { text: 'done' },
    ];
    const full = new MemoryJournal();
    const firstModel = new FakeModelClient(script);
    const context = { window: 600, keepTurns: 1 };
    const first = await runAgent({ ...baseOptions(firstModel, tools().registry), journal: full, context });
    expect(first.status).toBe('completed');
    expect(firstModel.requests[2]!.output?.name).toBe('context_summary');
    const cut = full.records.findIndex((r) => r.kind === 'compaction') + 1;
    expect(cut).toBeGreaterThan(0);
    const model = new FakeModelClient(script.slice(3));
    const again = await runAgent({ ...baseOptions(model, tools().registry), replay: buildReplayState(full.records.slice(0, cut), 'j'), context });
    expect(again.status).toBe('completed');
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.messages).toEqual(firstModel.requests[3]!.messages);
    expect(model.requests[0]!.messages[0]).toMatchObject({ role: 'user', content: expect.stringMatching(/## Open items\n- finish b\.ts/) });
    expect(again.usage).toEqual(first.usage);
  });

  it('re-runs journaled calls of tools that rebuild in-memory state, keeping the journaled result', async () => {
    const full = new MemoryJournal();
    await runAgent({ ...baseOptions(new FakeModelClient(SCRIPT), tools().registry), journal: full });
    const cut = full.records.findIndex((r) => r.kind === 'model_call' && r.step.endsWith(':m2'));
    const again = tools();
    const model = new FakeModelClient(SCRIPT.slice(2));
    await runAgent({ ...baseOptions(model, again.registry), replay: buildReplayState(full.records.slice(0, cut), 'j'), rebuildOnReplay: (c) => c.name === 'write_file' });
    expect(again.runs.write).toBe(1);
    expect(again.runs.read).toBe(0);
    expect(model.requests).toHaveLength(1);
  });

  it('asks about an interrupted write that was approved, and re-runs one that was rejected or never answered', async () => {
    for (const [decision, expectAsk] of [[undefined, false], ['rejected', false], ['approved', true]] as const) {
      const full = new MemoryJournal();
      const approvals = approvalJournal(full);
      const gated = new ToolRegistry([
        defineTool({
          name: 'write_file',
          description: 'write',
          kind: 'write',
          schema: z.object({ path: z.string(), content: z.string() }),
          run: async ({ path: p }, ctx) => {
            approvals.asked(ctx.callId, `write ${p}`);
            if (decision) approvals.decided(ctx.callId, decision, `write ${p}`);
            throw new Error('crash');
          },
        }),
      ]);
      const script: FakeTurn[] = [{ toolCalls: [{ id: 'w1', name: 'write_file', arguments: { path: 'b.ts', content: 'x' } }] }, { text: 'ok' }];
      await runAgent({ ...baseOptions(new FakeModelClient(script.slice(0, 1)), gated), journal: full });
      // Keep the journal up to the crash inside the tool: no result for w1.
      const cut = full.records.findIndex((r) => r.kind === 'tool_result');
      const state = buildReplayState(full.records.slice(0, cut), 'j');
      expect(pendingApprovals(state).length).toBe(decision ? 0 : 1);
      const again = tools();
      const asked: string[] = [];
      await runAgent({ ...baseOptions(new FakeModelClient(script.slice(1)), again.registry), replay: state, confirmRerun: async (c) => (asked.push(c.id), true) });
      expect(asked, String(decision)).toEqual(expectAsk ? ['w1'] : []);
      expect(again.runs.write, String(decision)).toBe(1);
    }
  });
});
