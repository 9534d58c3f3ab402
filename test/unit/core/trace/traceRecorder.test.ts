import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../../../src/core/agent/loop';
import { FakeModelClient } from '../../../../src/core/model/fakeModelClient';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { createRedactor } from '../../../../src/core/trace/redact';
import { RunContextTracker } from '../../../../src/core/trace/runContext';
import { TraceRecorder } from '../../../../src/core/trace/traceRecorder';
import { TraceRecordSchema, type TraceRecord } from '../../../../src/core/trace/traceRecord';

const KEY = 'sk-live-0123456789abcdefghij';
const shell = defineTool({
  name: 'run_command',
  description: 'run',
  kind: 'command',
  schema: z.object({ command: z.string() }),
  run: async ({ command }) => ({ content: `ran ${command} with ${KEY}`, commandsRun: [command] }),
});

describe('TraceRecorder', () => {
  it('records model and tool calls and sandbox commands from a run, in the seed shape, redacted', async () => {
    const records: TraceRecord[] = [];
    const trace = new TraceRecorder({ write: (r) => records.push(r), redact: createRedactor([KEY]), modelCalls: 'events', sandboxSession: () => 'sbx_1' });
    const model = new FakeModelClient([{ toolCalls: [{ name: 'run_command', arguments: { command: `echo ${KEY}` } }], usage: { inputTokens: 1842, outputTokens: 391 } }, { text: 'done' }], 'claude-sonnet-4-5');
    const result = await runAgent({ task: 't', system: 's', model, tools: new ToolRegistry([shell]), sinks: [trace.sink], profile: 'coder', runId: 'run_abc' });
    expect(result.status).toBe('completed');
    for (const r of records) expect(TraceRecordSchema.safeParse(r).success).toBe(true);
    expect(records.map((r) => r['agent.step.type'])).toEqual(['model_call', 'tool_call', 'sandbox_command', 'model_call', 'run']);
    expect(records[4]).toMatchObject({ 'agent.run_id': 'run_abc', 'agent.step.name': 'run coder', 'model.requested': 'claude-sonnet-4-5', 'tokens.input': result.usage.inputTokens, outcome: 'ok' });
    expect(records[0]).toMatchObject({ 'agent.run_id': 'run_abc', 'agent.name': 'coder', 'agent.step.id': 'run_abc:m0', model: 'claude-sonnet-4-5', 'tokens.input': 1842, 'tokens.output': 391, outcome: 'ok' });
    expect(records[0]!.cost_usd).toBeCloseTo((1842 * 3 + 391 * 15) / 1e6, 10);
    expect(records[2]).toMatchObject({ 'sandbox.session_id': 'sbx_1', tool: 'run_command' });
    expect(JSON.stringify(records)).not.toContain(KEY);
  });

  it('takes model calls from the resilience layer by default, with the tracker giving run and step', () => {
    const records: TraceRecord[] = [];
    const trace = new TraceRecorder({ write: (r) => records.push(r), redact: createRedactor([KEY]) });
    const tracker = new RunContextTracker();
    tracker.sink({ type: 'run_started', runId: 'r1', seq: 0, time: 'x', task: 't', model: 'm', protocol: 'openai', profile: 'reviewer', limits: { maxTurns: 1, maxToolCalls: 1, maxTokens: 1 }, tools: [], skills: [{ name: 'testing', reason: 'r' }] });
    tracker.sink({ type: 'model_call_started', runId: 'r1', seq: 1, time: 'x', step: 'r1:m0', turn: 0, messageCount: 1 });
    expect(tracker.context()).toEqual({ runId: 'r1', step: 'r1:m0', profile: 'reviewer', skills: ['testing'] });
    trace.onModelCall({ time: 't', ...tracker.context(), skills: ['testing'], model: 'm', protocol: 'openai', attempt: 1, usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0, latencyMs: 5, outcome: 'server', error: `HTTP 500 for key ${KEY}` });
    expect(records[0]).toMatchObject({ 'agent.run_id': 'r1', 'agent.step.id': 'r1:m0', outcome: 'server' });
    expect(records[0]!.error).not.toContain(KEY);
  });

  it('the tracker adds a skill loaded mid-run once load_skill succeeded', () => {
    const tracker = new RunContextTracker();
    const base = { runId: 'r1', seq: 0, time: 'x', step: 'r1:m0' };
    tracker.sink({ ...base, type: 'tool_call_started', callId: 'c1', name: 'load_skill', arguments: '{"name":"testing"}' });
    expect(tracker.context().skills ?? []).toEqual([]);
    tracker.sink({ ...base, type: 'tool_call_finished', callId: 'c1', name: 'load_skill', content: 'ok', isError: false, durationMs: 1, filesChanged: [], commandsRun: [] });
    tracker.sink({ ...base, type: 'tool_call_started', callId: 'c2', name: 'load_skill', arguments: '{"name":"nope"}' });
    tracker.sink({ ...base, type: 'tool_call_finished', callId: 'c2', name: 'load_skill', content: 'unknown skill', isError: true, durationMs: 1, filesChanged: [], commandsRun: [] });
    tracker.sink({ ...base, type: 'tool_call_started', callId: 'c3', name: 'load_skill', arguments: 'not json' });
    tracker.sink({ ...base, type: 'tool_call_finished', callId: 'c3', name: 'load_skill', content: 'x', isError: false, durationMs: 1, filesChanged: [], commandsRun: [] });
    expect(tracker.context().skills).toEqual(['testing']);
  });

  it('records approvals with their decision', () => {
    const records: TraceRecord[] = [];
    const trace = new TraceRecorder({ write: (r) => records.push(r), redact: createRedactor() });
    trace.approval({ runId: 'r', step: 'r:m1', tool: 'write_file', required: true, status: 'approved', latencyMs: 2200 });
    expect(records[0]).toMatchObject({ 'agent.step.type': 'approval', 'approval.required': true, 'approval.status': 'approved', tool: 'write_file', latency_ms: 2200 });
  });

  it('a writer that throws never breaks the run', async () => {
    const trace = new TraceRecorder({ write: () => { throw new Error('disk full'); }, redact: createRedactor(), modelCalls: 'events' });
    const result = await runAgent({ task: 't', system: 's', model: new FakeModelClient([{ text: 'ok' }]), tools: new ToolRegistry([]), sinks: [trace.sink] });
    expect(result.status).toBe('completed');
  });
});
