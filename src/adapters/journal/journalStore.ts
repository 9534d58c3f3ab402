import { closeSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJournal, encodeLine, stampRecord } from '../../core/journal/journalCodec';
import type { Redactor } from '../../core/trace/redact';
import type { JournalRecord, JournalRecordInput, RunJournal } from '../../core/journal/journalRecord';
import { buildReplayState, replayStatus, type ReplayState } from '../../core/journal/replayState';
import { isRunLocked, lockRun, type RunLock, type RunLockOptions } from './runLock';

/** Test seams: called around each durable append, so a test can kill the process at an exact boundary. */
export interface JournalHooks {
  beforeAppend?(record: JournalRecord): void;
  afterAppend?(record: JournalRecord): void;
}

export interface JournalStoreOptions extends RunLockOptions {
  /** The folder that holds one `<runId>.jsonl` per run (the extension's global storage, or the CLI's runs folder). */
  dir: string;
  now?: () => Date;
  hooks?: JournalHooks;
  /** Secrets (the gateway key, .env values, key shapes) are replaced in every record before it is written. */
  redact?: Redactor;
}

export interface RunSummary {
  id: string;
  /** The result's status, `running` while a live process holds the run, `interrupted`, or `damaged`. */
  status: string;
  task: string;
  started: string;
  model: string;
  /** Why the journal cannot be read (status `damaged`). */
  problem?: string;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export class UnknownRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownRunError';
  }
}

/**
 * Append-only journals on disk, one file per run. Appends are synchronous and fsync'd: when `append`
 * returns, the record survives a crash, so the loop can rely on "journaled, then acted".
 */
export class JournalWriter implements RunJournal {
  private fd: number | undefined;
  constructor(
    readonly runId: string,
    readonly file: string,
    fd: number,
    private readonly lock: RunLock,
    private readonly now: () => Date,
    private readonly hooks: JournalHooks,
    private readonly redact?: Redactor,
  ) {
    this.fd = fd;
  }

  append(input: JournalRecordInput): void {
    if (this.fd === undefined) throw new Error(`the journal of run ${this.runId} is closed`);
    const lost = this.lock.compromised();
    if (lost) throw lost;
    const record = stampRecord(this.redact ? this.redact.strings(input) : input, this.now());
    this.hooks.beforeAppend?.(record);
    writeSync(this.fd, encodeLine(record));
    // fdatasync: the data and the file size reach the disk; timestamps need not.
    fdatasyncSync(this.fd);
    this.hooks.afterAppend?.(record);
  }

  async close(): Promise<void> {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    await this.lock.release();
  }
}

export class JournalStore {
  readonly dir: string;
  private readonly now: () => Date;

  constructor(private readonly options: JournalStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.now = options.now ?? (() => new Date());
  }

  pathFor(runId: string): string {
    if (!RUN_ID.test(runId)) throw new UnknownRunError(`"${runId}" is not a run id (letters, digits, '-', '_' and '.')`);
    return path.join(this.dir, `${runId}.jsonl`);
  }

  /**
   * Starts a new run's journal: creates the file (never over an existing one) and locks it. The loop
   * writes the start record itself (RunOptions.journal), so every record comes from one place.
   */
  async create(runId: string): Promise<JournalWriter> {
    const file = this.pathFor(runId);
    // A journal holds the whole conversation (code, command output): readable by its owner only.
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(file, 'wx', 0o600);
    try {
      const lock = await lockRun(file, runId, this.options);
      return new JournalWriter(runId, file, fd, lock, this.now, this.options.hooks ?? {}, this.options.redact);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * Opens a run to continue it: takes the lock first (a second resumer fails here with RunInUseError),
   * then reads the journal, cuts off a torn last line so new records start on a clean line, and records
   * the resume.
   */
  async openForResume(runId: string): Promise<{ writer: JournalWriter; state: ReplayState; tornTail: boolean }> {
    const file = this.pathFor(runId);
    const text = readJournalText(file, runId);
    const lock = await lockRun(file, runId, this.options);
    let fd: number | undefined;
    try {
      // Read again under the lock: the text read before may predate the previous owner's last appends.
      const decoded = decodeJournal(readJournalText(file, runId) ?? text, file);
      const state = buildReplayState(decoded.records, file);
      fd = openSync(file, 'r+');
      ftruncateSync(fd, decoded.validBytes);
      closeSync(fd);
      fd = openSync(file, 'a');
      const writer = new JournalWriter(runId, file, fd, lock, this.now, this.options.hooks ?? {}, this.options.redact);
      writer.append({ kind: 'run_resumed', pid: process.pid });
      return { writer, state, tornTail: decoded.tornTail };
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      await lock.release();
      throw e;
    }
  }

  /** Reads a run without locking it (for listings and inspection). */
  read(runId: string): { state: ReplayState; tornTail: boolean } {
    const file = this.pathFor(runId);
    const decoded = decodeJournal(readJournalText(file, runId), file);
    return { state: buildReplayState(decoded.records, file), tornTail: decoded.tornTail };
  }

  /** Every run in the folder, newest first. A journal that cannot be read is listed as `damaged`, not hidden. */
  async list(): Promise<RunSummary[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.jsonl'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: RunSummary[] = [];
    for (const name of names) {
      const id = name.slice(0, -'.jsonl'.length);
      const file = path.join(this.dir, name);
      try {
        const decoded = decodeJournal(await readFile(file, 'utf8'), file);
        const state = buildReplayState(decoded.records, file);
        const status = !state.ended && (await isRunLocked(file, this.options.staleMs)) ? 'running' : replayStatus(state);
        out.push({ id, status, task: state.start.task, started: state.start.time, model: state.start.model });
      } catch (e) {
        out.push({ id, status: 'damaged', task: '', started: '', model: '', problem: e instanceof Error ? e.message : String(e) });
      }
    }
    return out.sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0));
  }
}

function readJournalText(file: string, runId: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UnknownRunError(`no run ${runId} in ${path.dirname(file)}`);
    throw e;
  }
}
