import { mkdir, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PathGuard } from '../policy/pathGuard';
import type { ApplyOptions } from './apply';
import { writeFileAtomic } from './atomicWrite';
import { sha256 } from './textFormat';

/**
 * Checkpoints: before a run changes a file, its original bytes (or its absence) go to a content
 * store outside the workspace, keyed by run id; restoring puts every file back and deletes the
 * files (and folders) the run created.
 *
 * A content store, not a shadow git repository: the core may not spawn processes (so no `git`), it
 * must cover untracked and ignored files and workspaces that are not repositories at all, and it
 * only ever needs the files a run actually writes, which apply.ts reports through its hooks.
 *
 * Layout: `<storeDir>/<runId>/manifest.json` and `<storeDir>/<runId>/blobs/<sha256>`.
 */
export const CheckpointFileSchema = z.object({
  /** Workspace-relative posix path. */
  path: z.string(),
  existed: z.boolean(),
  /** sha256 of the original bytes; the blob's name. Absent when the file did not exist. */
  hash: z.string().optional(),
  mode: z.number().int().optional(),
  /** Workspace-relative folders the run created for this file, outermost first. */
  createdDirs: z.array(z.string()),
  /** sha256 of what the run last wrote, to notice a user's later edit before restoring over it. */
  lastWrittenHash: z.string().optional(),
});
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>;

export const CheckpointManifestSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  root: z.string(),
  createdAt: z.string(),
  restoredAt: z.string().optional(),
  files: z.array(CheckpointFileSchema),
});
export type CheckpointManifest = z.infer<typeof CheckpointManifestSchema>;

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function runDir(storeDir: string, runId: string): string {
  // The run id names a folder: anything that could climb out of the store is refused.
  if (!RUN_ID.test(runId) || runId.includes('..')) throw new CheckpointError(`invalid run id ${JSON.stringify(runId)}`);
  return path.join(storeDir, runId);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

async function readManifest(dir: string, runId: string): Promise<CheckpointManifest> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CheckpointError(`no checkpoint for run ${runId}`);
    throw e;
  }
  const parsed = CheckpointManifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new CheckpointError(`the checkpoint manifest of run ${runId} is damaged: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Records originals for one run. Calls are serialised, so concurrent hooks cannot lose manifest entries. */
export class Checkpoint {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly manifest: CheckpointManifest,
  ) {}

  /** Opens (or creates) the checkpoint of `runId` in `storeDir`. */
  static async open(args: { storeDir: string; runId: string; root: string; now?: () => Date }): Promise<Checkpoint> {
    const dir = runDir(args.storeDir, args.runId);
    if (await exists(path.join(dir, 'manifest.json'))) {
      const manifest = await readManifest(dir, args.runId);
      // A resumed run continues its checkpoint; the same id for another workspace is a caller's mistake.
      if (manifest.root !== path.resolve(args.root)) throw new CheckpointError(`run ${args.runId} already has a checkpoint for another workspace (${manifest.root})`);
      return new Checkpoint(dir, manifest);
    }
    const manifest: CheckpointManifest = { version: 1, runId: args.runId, root: path.resolve(args.root), createdAt: (args.now?.() ?? new Date()).toISOString(), files: [] };
    return new Checkpoint(dir, manifest);
  }

  get runId(): string {
    return this.manifest.runId;
  }

  files(): CheckpointFile[] {
    return structuredClone(this.manifest.files);
  }

  /** Saves the original of `relative` (at `resolved`) unless this run already did: the first original is the one to restore. */
  record(relative: string, resolved: string): Promise<void> {
    return this.serial(async () => {
      if (this.manifest.files.some((f) => f.path === relative)) return;
      let bytes: Buffer | undefined;
      let mode: number | undefined;
      try {
        bytes = await readFile(resolved);
        mode = (await stat(resolved)).mode & 0o7777;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      const entry: CheckpointFile = { path: relative, existed: bytes !== undefined, createdDirs: await this.missingDirs(relative, resolved) };
      if (bytes !== undefined) {
        entry.hash = sha256(bytes);
        entry.mode = mode;
        const blob = path.join(this.dir, 'blobs', entry.hash);
        if (!(await exists(blob))) await writeFileAtomic(blob, bytes);
      }
      this.manifest.files.push(entry);
      await this.save();
    });
  }

  /** Notes what the run wrote, so a restore can tell the run's content from a user's later edit. */
  noteWritten(relative: string, content: string): Promise<void> {
    return this.serial(async () => {
      const f = this.manifest.files.find((x) => x.path === relative);
      if (!f) return;
      f.lastWrittenHash = sha256(content);
      await this.save();
    });
  }

  /** The hooks to pass to apply.ts. */
  hooks(): Pick<ApplyOptions, 'beforeWrite' | 'afterWrite'> {
    return { beforeWrite: (rel, resolved) => this.record(rel, resolved), afterWrite: (rel, content) => this.noteWritten(rel, content) };
  }

  private async missingDirs(relative: string, resolved: string): Promise<string[]> {
    const dirs: string[] = [];
    let relDir = path.posix.dirname(relative);
    let absDir = path.dirname(resolved);
    while (relDir !== '.' && relDir !== '/' && !(await exists(absDir))) {
      dirs.unshift(relDir);
      relDir = path.posix.dirname(relDir);
      absDir = path.dirname(absDir);
    }
    return dirs;
  }

  private async save(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, 'manifest.json'), JSON.stringify(this.manifest, null, 2) + '\n');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export interface RestoreReport {
  runId: string;
  /** Files put back to their original content. */
  restored: string[];
  /** Files the run created, now deleted. */
  deleted: string[];
  /** Files already in their original state. */
  unchanged: string[];
  /** Files changed after the run wrote them; nothing at all is restored while there are any, unless forced. */
  conflicts: Array<{ path: string; reason: string }>;
}

/**
 * Undoes every file change the run made. Refuses (and changes nothing) when a file was edited
 * after the run wrote it, unless `force`; a person's later work is not thrown away silently.
 * Paths go through the path guard of the recorded root, so a damaged manifest cannot reach outside it.
 */
export async function restoreCheckpoint(args: { storeDir: string; runId: string; force?: boolean; now?: () => Date }): Promise<RestoreReport> {
  const dir = runDir(args.storeDir, args.runId);
  const manifest = await readManifest(dir, args.runId);
  const guard = new PathGuard(manifest.root);
  const report: RestoreReport = { runId: args.runId, restored: [], deleted: [], unchanged: [], conflicts: [] };
  const plan: Array<{ file: CheckpointFile; resolved: string }> = [];

  for (const file of manifest.files) {
    const v = await guard.check(file.path, 'write');
    if (v.verdict === 'deny' || v.relative !== file.path) {
      report.conflicts.push({ path: file.path, reason: v.verdict === 'deny' ? v.reason : `now resolves to ${v.relative}` });
      continue;
    }
    let currentHash: string | undefined;
    try {
      currentHash = sha256(await readFile(v.resolved));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (currentHash === file.hash) {
      report.unchanged.push(file.path);
      continue;
    }
    const runContent = file.lastWrittenHash;
    if (!args.force && runContent !== undefined && currentHash !== runContent) {
      report.conflicts.push({ path: file.path, reason: currentHash === undefined ? 'deleted after the run wrote it' : 'changed after the run wrote it' });
      continue;
    }
    plan.push({ file, resolved: v.resolved });
  }
  if (report.conflicts.length > 0 && !args.force) return report;

  for (const { file, resolved } of plan) {
    if (file.existed && file.hash !== undefined) {
      const bytes = await readFile(path.join(dir, 'blobs', file.hash));
      if (sha256(bytes) !== file.hash) throw new CheckpointError(`the stored original of ${file.path} is damaged; nothing more was restored`);
      await writeFileAtomic(resolved, bytes, file.mode !== undefined ? { mode: file.mode } : {});
      report.restored.push(file.path);
    } else {
      await unlink(resolved).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      report.deleted.push(file.path);
      await removeCreatedDirs(guard, file.createdDirs);
    }
  }
  manifest.restoredAt = (args.now?.() ?? new Date()).toISOString();
  await writeFileAtomic(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return report;
}

/** Removes the folders the run created, deepest first, as long as they are empty (rmdir refuses otherwise). */
async function removeCreatedDirs(guard: PathGuard, dirs: readonly string[]): Promise<void> {
  for (const rel of [...dirs].reverse()) {
    const v = await guard.check(rel, 'write');
    if (v.verdict === 'deny') return;
    try {
      await rmdir(v.resolved);
    } catch {
      return;
    }
  }
}

/** The run ids that have a checkpoint in `storeDir`, newest first. */
export async function listCheckpoints(storeDir: string): Promise<CheckpointManifest[]> {
  let names: string[];
  try {
    names = await readdir(storeDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: CheckpointManifest[] = [];
  for (const name of names) {
    if (!RUN_ID.test(name)) continue;
    try {
      out.push(await readManifest(path.join(storeDir, name), name));
    } catch {
      // A folder without a readable manifest is not a checkpoint.
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
