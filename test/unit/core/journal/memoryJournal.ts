import { encodeLine, stampRecord } from '../../../../src/core/journal/journalCodec';
import type { JournalRecord, JournalRecordInput, RunJournal } from '../../../../src/core/journal/journalRecord';

/** A journal in memory, encoded exactly as on disk, so tests can cut it at any record and replay. */
export class MemoryJournal implements RunJournal {
  readonly records: JournalRecord[] = [];
  constructor(private readonly clock: () => Date = () => new Date('2026-11-21T05:00:00.000Z')) {}

  append(input: JournalRecordInput): void {
    this.records.push(stampRecord(input, this.clock()));
  }

  text(): string {
    return this.records.map(encodeLine).join('');
  }
}
