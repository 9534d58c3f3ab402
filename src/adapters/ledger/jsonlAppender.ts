import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How long records gather before one write; a crash loses at most this much of the ledger. */
const BATCH_MS = 25;

/**
 * Appends JSON lines to files without blocking the caller: records are queued and written in order,
 * one append per file every BATCH_MS at most (a write per record cost a model call 0.3 ms in the
 * gateway benchmark, mostly thread-pool and promise traffic). Each line is written whole in a single O_APPEND write, so two processes
 * appending to the same ledger interleave lines, never bytes within a line.
 * Write failures are kept in `lastError` and never thrown into a run.
 */
export class JsonlAppender {
  private queue = new Map<string, string[]>();
  private writing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly made = new Set<string>();
  lastError: unknown;

  append(path: string, record: unknown): void {
    const line = `${JSON.stringify(record)}\n`;
    const lines = this.queue.get(path);
    if (lines) lines.push(line);
    else this.queue.set(path, [line]);
    this.timer ??= setTimeout(() => this.startDrain(), BATCH_MS);
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    if (this.timer) this.startDrain();
    await this.writing;
  }

  private startDrain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.drain());
  }

  private async drain(): Promise<void> {
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
