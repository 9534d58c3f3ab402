import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchWorkerEngine, recoverExecutors, stopWorkerEngine } from '../adapters/team/teamEngine';
import { TeamLedger } from '../adapters/team/teamLedger';
import { TeamStore } from '../adapters/team/teamStore';
import type { TeamDatabase } from '../adapters/team/teamDatabase';
import { executeTeamRun, workDirPrefix, type WorkerSettings } from './teamRun';

/** A worker silent this long is taken for dead and its runs are recovered (well within the 30 s promise). */
export const STALE_AFTER_MS = 10_000;
const HEARTBEAT_MS = 2_000;
const SWEEP_MS = 3_000;

export interface WorkerOptions extends Omit<WorkerSettings, 'store' | 'ledger' | 'track'> {
  db: TeamDatabase;
  concurrency: number;
  /** How long SIGTERM waits for running runs before handing them back (default 30 s). */
  drainMs?: number;
  /** Resolves when the worker should stop (SIGTERM, SIGINT). */
  stopped: Promise<void>;
}

/**
 * A stateless team worker: it registers, heartbeats, runs what DBOS dequeues for it (at most
 * `concurrency` at once), and recovers the runs of workers that stopped heartbeating (killed, crashed)
 * or handed their runs back. On stop it drains: no new runs, running ones get `drainMs` to finish,
 * the rest stay pending for another worker. Returns when it has stopped.
 */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const store = new TeamStore(o.db);
  const ledger = new TeamLedger(o.db);
  const running = new Map<string, AbortController>();
  await store.registerWorker({ id: o.workerId, host: os.hostname(), pid: process.pid, concurrency: o.concurrency });
  await removeLeftovers(o.workerId, o.log);
  const settings: WorkerSettings = { ...o, store, ledger, track: (id, c) => (c ? running.set(id, c) : running.delete(id)) };
  await launchWorkerEngine({ databaseUrl: o.db.url, executorId: o.workerId, concurrency: o.concurrency, execute: (def, engine) => executeTeamRun(def, engine, settings) });
  o.log(`worker ${o.workerId} ready (concurrency ${o.concurrency}, pid ${process.pid})`);

  const heartbeat = setInterval(() => void store.heartbeat(o.workerId).catch((e: unknown) => o.log(`heartbeat failed: ${(e as Error).message}`)), HEARTBEAT_MS);
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      const lost = await store.claimLostWorkers(STALE_AFTER_MS, o.workerId);
      if (lost.length > 0) {
        const n = await recoverExecutors(lost);
        o.log(`recovered ${n} run${n === 1 ? '' : 's'} of ${lost.join(', ')}`);
      }
    })()
      .catch((e: unknown) => o.log(`recovery sweep failed: ${(e as Error).message}`))
      .finally(() => (sweeping = false));
  }, SWEEP_MS);

  await o.stopped;
  o.log(`worker ${o.workerId} draining (${running.size} run${running.size === 1 ? '' : 's'} in progress)`);
  clearInterval(sweep);
  await store.setWorkerState(o.workerId, 'draining');
  await stopWorkerEngine(o.drainMs ?? 30_000);
  clearInterval(heartbeat);
  // Whatever did not finish (waiting for a person, or slow) is handed back, not ended: it stays pending
  // under this worker's id, and a live worker re-queues it once this one is marked stopped. The caller
  // exits the process right after, so the run never goes on in two places.
  await store.setWorkerState(o.workerId, 'stopped');
  o.log(`worker ${o.workerId} stopped${running.size > 0 ? `; ${running.size} run${running.size === 1 ? '' : 's'} handed back` : ''}`);
}

/** Run directories a killed earlier process of this worker left behind (it could not remove them). */
async function removeLeftovers(workerId: string, log: (line: string) => void): Promise<void> {
  const prefix = workDirPrefix(workerId);
  const stale = (await readdir(os.tmpdir()).catch(() => [] as string[])).filter((d) => d.startsWith(prefix));
  for (const d of stale) await rm(path.join(os.tmpdir(), d), { recursive: true, force: true }).catch(() => undefined);
  if (stale.length > 0) log(`removed ${stale.length} workspace${stale.length === 1 ? '' : 's'} left by an earlier run of this worker`);
}
