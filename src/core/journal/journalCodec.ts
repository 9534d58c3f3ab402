import { createHash } from 'node:crypto';
import { z } from 'zod';
import { JOURNAL_VERSION, JournalRecordSchema, type JournalRecord, type JournalRecordInput } from './journalRecord';

/**
 * One journal line is `JSON.stringify({...record, sum})`, where `sum` is the first 16 hex digits of the
 * sha256 of `JSON.stringify(record)`. JSON.parse keeps key order, so the reader re-serialises the record
 * without `sum` and gets the exact bytes that were hashed.
 */
export class JournalDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalDamagedError';
  }
}

export function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function stampRecord(record: JournalRecordInput, now: Date): JournalRecord {
  return { v: JOURNAL_VERSION, time: now.toISOString(), ...record } as JournalRecord;
}

export function encodeLine(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"sum":"${checksum(json)}"}\n`;
}

export interface DecodedJournal {
  records: JournalRecord[];
  /** The last line was cut short (or damaged) by a crash and was ignored. */
  tornTail: boolean;
  /** Bytes of the text that hold whole, valid lines: a writer truncates the file to this before appending. */
  validBytes: number;
}

type LineResult = { ok: true; record: JournalRecord } | { ok: false; why: string };

/**
 * Reads a whole journal. Only the last line may be damaged (a crash mid-write); it is ignored and
 * reported as `tornTail`. A damaged line anywhere else means the file was changed after the fact, and
 * replaying around it could repeat or skip work, so that is an error naming the line.
 */
export function decodeJournal(text: string, source: string): DecodedJournal {
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  let validBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const terminated = i < lines.length - 1;
    if (line === '' && !terminated) break;
    const parsed = terminated ? decodeLine(line) : ({ ok: false, why: 'the line is not terminated' } as const);
    const isLast = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
    if (!parsed.ok) {
      if (isLast) return { records, tornTail: true, validBytes };
      throw new JournalDamagedError(`the run journal ${source} is damaged at line ${i + 1}: ${parsed.why}`);
    }
    records.push(parsed.record);
    validBytes += Buffer.byteLength(line) + 1;
  }
  return { records, tornTail: false, validBytes };
}

function decodeLine(line: string): LineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, why: 'not valid JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, why: 'not a JSON object' };
  const { sum, ...rest } = raw as Record<string, unknown>;
  if (typeof sum !== 'string' || checksum(JSON.stringify(rest)) !== sum) return { ok: false, why: 'checksum mismatch' };
  const version = rest.v;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, why: 'no format version' };
  if (version > JOURNAL_VERSION) {
    throw new JournalDamagedError(`the run journal was written by a newer agent-harness (format v${version}; this one reads up to v${JOURNAL_VERSION}); update agent-harness to resume it`);
  }
  const upgraded = upgrade(rest, version);
  const res = JournalRecordSchema.safeParse(upgraded);
  return res.success ? { ok: true, record: res.data } : { ok: false, why: `not a valid v${version} record (${z.prettifyError(res.error)})` };
}

/**
 * Brings a record of an older format version to the current one. v1 is the first version; when v2
 * arrives, the v1 -> v2 step goes here and the v1 fixture keeps proving it.
 */
function upgrade(record: Record<string, unknown>, _version: number): Record<string, unknown> {
  return record;
}
