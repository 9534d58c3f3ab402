import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';

/**
 * One writer per run: a lock (proper-lockfile's atomic mkdir, kept fresh by touching it) next to the
 * journal. A process that dies without unlocking leaves a lock that goes stale after `staleMs`; a
 * resumer waits up to `waitMs` for that, so resuming right after a crash works, while a live owner
 * keeps its lock fresh and the second resumer gets a clear message.
 */
export interface RunLockOptions {
  staleMs?: number;
  waitMs?: number;
}

export const DEFAULT_STALE_MS = 5_000;

export class RunInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunInUseError';
  }
}

export interface RunLock {
  /** Set when another process took the lock over (ours went stale): the holder must stop writing. */
  readonly compromised: () => Error | undefined;
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export async function lockRun(journalPath: string, runId: string, options: RunLockOptions = {}): Promise<RunLock> {
  const stale = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2_000);
  const waitMs = options.waitMs ?? stale + 2_000;
  const lockPath = lockPathFor(journalPath);
  // A lock left by a process of this machine that no longer exists is taken over now, not after it goes stale.
  const previous = readOwner(lockPath);
  if (previous && previous.host === hostname() && !processAlive(previous.pid)) {
    rmSync(lockPath, { recursive: true, force: true });
    rmSync(ownerPath(lockPath), { force: true });
  }
  let lost: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(journalPath, {
      lockfilePath: lockPath,
      stale,
      realpath: false,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 } : 0,
      onCompromised: (e) => {
        lost = new Error(`lost the lock on run ${runId} (${e.message}); stopped writing to its journal`);
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw new RunInUseError(inUseMessage(runId, readOwner(lockPath)));
    throw e;
  }
  const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(ownerPath(lockPath), JSON.stringify(owner));
  return {
    compromised: () => lost,
    release: async () => {
      rmSync(ownerPath(lockPath), { force: true });
      await release().catch(() => undefined);
    },
  };
}

/**
 * True when a live process holds the run: its lock exists and is fresh, and, when the holder is a
 * process on this machine, that process still exists. A run whose process was killed (kill -9, a
 * closed terminal) is free at once, not only when its lock goes stale seconds later.
 */
export async function isRunLocked(journalPath: string, staleMs = DEFAULT_STALE_MS): Promise<boolean> {
  const lockPath = lockPathFor(journalPath);
  const fresh = await lockfile.check(journalPath, { lockfilePath: lockPath, stale: Math.max(staleMs, 2_000), realpath: false }).catch(() => false);
  if (!fresh) return false;
  const owner = readOwner(lockPath);
  if (owner && owner.host === hostname() && !processAlive(owner.pid)) return false;
  return true;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockPathFor(journalPath: string): string {
  return journalPath.replace(/\.jsonl$/, '') + '.lock';
}

/** Beside the lock, not inside it: proper-lockfile removes its directory with rmdir, which needs it empty. */
function ownerPath(lockPath: string): string {
  return `${lockPath}.owner.json`;
}

function readOwner(lockPath: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(ownerPath(lockPath), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function inUseMessage(runId: string, owner: Owner | undefined): string {
  const who = owner ? ` (process ${owner.pid} on ${owner.host}, since ${owner.since})` : '';
  return `run ${runId} is already being continued by another process${who}; wait for it to finish or stop it, then resume again`;
}
