import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BreakerStateFileSchema, type BreakerSnapshot, type BreakerStateStore } from '../../../core/model/resilience/circuitBreaker';

/**
 * Breaker state in a small JSON file, so an open breaker stays open across a window reload or the
 * next CLI run. A missing or unreadable file means "all closed": the breaker only saves time, and a
 * corrupt state file must never stop model calls.
 */
export class FileBreakerStore implements BreakerStateStore {
  constructor(readonly path: string) {}

  async load(): Promise<Record<string, BreakerSnapshot>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = BreakerStateFileSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.breakers : {};
    } catch {
      return {};
    }
  }

  /** Written to a temporary file and renamed, so a reader never sees half a file. */
  async save(breakers: Record<string, BreakerSnapshot>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${randomUUID()}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ version: 1, breakers }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
