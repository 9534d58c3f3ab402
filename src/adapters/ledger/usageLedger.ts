import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelCallRecordSchema, type ModelCallRecord } from '../../core/model/resilience/callRecord';
import type { Redactor } from '../../core/trace/redact';
import { JsonlAppender } from './jsonlAppender';

/**
 * The usage ledger: every model call attempt as one JSON line, in one file per month
 * (`usage-2026-11.jsonl`) so reading "since last week" opens one or two files. It lives in the
 * extension's global storage, or in a folder the CLI prints. Rows are redacted before they are written.
 */
export const LedgerRowSchema = ModelCallRecordSchema;
export type LedgerRow = ModelCallRecord;

const FILE = /^usage-(\d{4})-(\d{2})\.jsonl$/;

export interface LedgerReadResult {
  rows: LedgerRow[];
  /** Lines that were not valid rows (a crash mid-write, a hand edit); skipped, and counted so reports can say so. */
  skipped: number;
}

export class UsageLedger {
  private readonly appender = new JsonlAppender();

  constructor(
    readonly dir: string,
    private readonly redact: Redactor,
  ) {}

  /** Use as the resilience layer's `onCall` observer. */
  readonly append = (record: ModelCallRecord): void => {
    this.appender.append(join(this.dir, fileFor(record.time)), this.redact(record));
  };

  flush(): Promise<void> {
    return this.appender.flush();
  }

  get lastError(): unknown {
    return this.appender.lastError;
  }

  async read(opts: { since?: Date } = {}): Promise<LedgerReadResult> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { rows: [], skipped: 0 };
    }
    const sinceMonth = opts.since ? monthKey(opts.since) : '';
    const files = names.filter((n) => FILE.test(n) && n.slice(6, 13) >= sinceMonth).sort();
    const rows: LedgerRow[] = [];
    let skipped = 0;
    const sinceMs = opts.since?.getTime() ?? -Infinity;
    for (const name of files) {
      const text = await readFile(join(this.dir, name), 'utf8');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const row = parseLedgerLine(line);
        if (!row) skipped++;
        else if (Date.parse(row.time) >= sinceMs) rows.push(row);
      }
    }
    return { rows, skipped };
  }
}

/** One ledger line as a row, or undefined for a line that is not one (a crash mid-write, a hand edit). */
export function parseLedgerLine(line: string): LedgerRow | undefined {
  try {
    const parsed = LedgerRowSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function fileFor(iso: string): string {
  return `usage-${monthKey(new Date(iso))}.jsonl`;
}

/** The UTC month a ledger file holds: `2026-12`. */
export function monthKey(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
