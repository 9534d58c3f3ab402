import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/edits/atomicWrite';

/** What the host keeps of the chat between sessions: the panel state and the model-facing history. */
export interface StoredPanel {
  state?: unknown;
  history?: unknown;
  /** The run Undo Last Run restores. */
  lastRunId?: unknown;
}

/** The one place a Memento-like store is needed, so tests can pass a Map. */
export interface KeyValue {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const FILE = 'panel.json';
const KEY = 'agentHarness.panel.v1';

/**
 * Keeps the conversation in the workspace's extension storage folder as one JSON file, written
 * atomically. A file on the extension host's disk is durable the moment it is renamed into place;
 * workspaceState is only flushed by the workbench later, and a window reload right after a run
 * was seen to lose the last exchange in code-server. Without a storage folder (no workspace open)
 * it falls back to workspaceState. The caller validates what it loads: a damaged file is ignored.
 */
export class PanelStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string | undefined,
    private readonly memento: KeyValue,
  ) {}

  load(): StoredPanel {
    if (this.dir) {
      try {
        return JSON.parse(readFileSync(path.join(this.dir, FILE), 'utf8')) as StoredPanel;
      } catch {
        return {};
      }
    }
    return this.memento.get<StoredPanel>(KEY) ?? {};
  }

  /** Saves in order; a later save never lands before an earlier one. */
  save(data: StoredPanel): Promise<void> {
    const dir = this.dir;
    const text = JSON.stringify(data);
    this.writing = this.writing
      .then(async () => {
        if (!dir) return void (await this.memento.update(KEY, data));
        mkdirSync(dir, { recursive: true });
        await writeFileAtomic(path.join(dir, FILE), text);
      })
      .catch(() => undefined);
    return this.writing;
  }
}
