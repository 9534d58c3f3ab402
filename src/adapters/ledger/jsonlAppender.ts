import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Appends JSON lines to files without blocking the caller: records are queued and written in order,
 * one append per burst. Each line is written whole in a single O_APPEND write, so two processes
 * appending to the same ledger interleave lines, never bytes within a line.
 * Write failures are kept in `lastError` and never thrown into a run.
 */
export class JsonlAppender {
  private queue = new Map<string, string[]>();
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private readonly made = new Set<string>();
  lastError: unknown;

  append(path: string, record: unknown): void {
    const line = `${JSON.stringify(record)}\n`;
    const lines = this.queue.get(path);
    if (lines) lines.push(line);
    else this.queue.set(path, [line]);
    if (!this.scheduled) {
      this.scheduled = true;
      this.writing = this.writing.then(() => this.drain());
    }
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = new Map();
    for (const [path, lines] of batch) {
      try {
        if (!this.made.has(path)) {
          await mkdir(dirname(path), { recursive: true });
          this.made.add(path);
        }
        await appendFile(path, lines.join(''), { mode: 0o600 });
      } catch (e) {
        this.lastError = e;
      }
    }
  }
}
