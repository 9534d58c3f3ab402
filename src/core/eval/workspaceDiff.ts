import { createHash } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * The files of a workspace by content hash, to tell which files an eval attempt changed. The
 * harness's own folder (`.agent-harness`: spilled outputs, state) is not part of the workspace's
 * content; symbolic links are compared by where they point, never followed.
 */
export type Snapshot = Map<string, string>;

const SKIP = new Set(['.agent-harness']);

export async function snapshot(root: string): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (rel === '' && SKIP.has(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) await walk(abs, r);
      else if (e.isSymbolicLink()) out.set(r, `link:${await readlink(abs)}`);
      else if (e.isFile()) out.set(r, createHash('sha256').update(await readFile(abs)).digest('hex'));
    }
  };
  await walk(root, '');
  return out;
}

/** Files added, removed or modified between two snapshots, sorted. */
export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  const out = new Set<string>();
  for (const [f, h] of after) if (before.get(f) !== h) out.add(f);
  for (const f of before.keys()) if (!after.has(f)) out.add(f);
  return [...out].sort();
}
