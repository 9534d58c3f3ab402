import { join } from 'node:path';
import type { TraceRecord } from '../../core/trace/traceRecord';
import { JsonlAppender } from '../ledger/jsonlAppender';

/** Per-run trace files: `<dir>/<run id>.jsonl`, one record a line, in the order the steps happened. */
export class JsonlTraceWriter {
  private readonly appender = new JsonlAppender();
  constructor(readonly dir: string) {}

  readonly write = (record: TraceRecord): void => {
    this.appender.append(this.pathFor(record['agent.run_id']), record);
  };

  pathFor(runId: string): string {
    // Run ids are UUIDs; anything else is made safe for a file name rather than trusted.
    return join(this.dir, `${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);
  }

  flush(): Promise<void> {
    return this.appender.flush();
  }
}
