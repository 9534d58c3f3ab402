import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeLine, JournalDamagedError, stampRecord } from '../../../../src/core/journal/journalCodec';
import { buildReplayState, replayStatus } from '../../../../src/core/journal/replayState';

const start = stampRecord(
  {
    kind: 'run_started',
    runId: 'r1',
    task: 'fix the bug',
    profile: 'coder',
    model: 'gpt-4o',
    protocol: 'openai',
    systemHash: 'abc',
    history: [],
    limits: { maxTurns: 5, maxToolCalls: 5, maxTokens: 1000 },
    tools: ['read_file'],
    skills: [],
    resume: { root: '/w' },
  },
  new Date('2026-01-01T00:00:00Z'),
);
const call = stampRecord(
  {
    kind: 'model_call',
    step: 'r1:m0',
    response: { message: { role: 'assistant', text: 'hi', toolCalls: [] }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 }, model: 'gpt-4o' },
    costUsd: 0.1,
    attempts: 1,
  },
  new Date('2026-01-01T00:00:01Z'),
);

describe('journal lines', () => {
  it('round-trips records with a version and a checksum on every line', () => {
    const text = encodeLine(start) + encodeLine(call);
    for (const line of text.trimEnd().split('\n')) expect(JSON.parse(line)).toMatchObject({ v: 1, sum: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const decoded = decodeJournal(text, 'j');
    expect(decoded.records).toEqual([start, call]);
    expect(decoded.tornTail).toBe(false);
    expect(decoded.validBytes).toBe(Buffer.byteLength(text));
  });

  it('ignores a torn last line, whether cut short or with a bad checksum', () => {
    const whole = encodeLine(start);
    const second = encodeLine(call);
    const cut = whole + second.slice(0, 40);
    const d1 = decodeJournal(cut, 'j');
    expect(d1.records).toEqual([start]);
    expect(d1.tornTail).toBe(true);
    expect(d1.validBytes).toBe(Buffer.byteLength(whole));
    const flipped = whole + second.replace('"hi"', '"ho"');
    const d2 = decodeJournal(flipped, 'j');
    expect(d2.records).toEqual([start]);
    expect(d2.tornTail).toBe(true);
  });

  it('refuses a damaged line that is not the last one, naming the line', () => {
    const text = encodeLine(start) + encodeLine(call).replace('"hi"', '"ho"') + encodeLine(call);
    expect(() => decodeJournal(text, 'run.jsonl')).toThrow(JournalDamagedError);
    expect(() => decodeJournal(text, 'run.jsonl')).toThrow(/run\.jsonl is damaged at line 2: checksum mismatch/);
  });

  it('refuses a journal from a newer format version with a clear message', () => {
    const future = { ...start, v: 2 };
    const json = JSON.stringify(future);
    const line = `${json.slice(0, -1)},"sum":"${createHash('sha256').update(json).digest('hex').slice(0, 16)}"}\n`;
    expect(() => decodeJournal(line, 'j')).toThrow(/newer agent-harness \(format v2/);
  });

  it('still reads the v1 fixture and rebuilds its replay state', () => {
    const file = path.join(__dirname, '../../../fixtures/journal/v1-interrupted.jsonl');
    const decoded = decodeJournal(readFileSync(file, 'utf8'), file);
    expect(decoded.records.every((r) => r.v === 1)).toBe(true);
    const state = buildReplayState(decoded.records, file);
    expect(state.start.task).toBe('Add a unit test for parseDate and make it pass');
    expect(state.modelCalls.size).toBe(2);
    expect(state.toolResults.size).toBe(1);
    expect([...state.toolIntents.keys()]).toEqual(['call_read', 'call_write']);
    expect(state.approvals.get('call_write')?.asked?.summary).toMatch(/test\/parseDate\.test\.ts/);
    expect(replayStatus(state)).toBe('interrupted');
  });
});
