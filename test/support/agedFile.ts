import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `file` (and its folders) and dates it `days` before `now`, for retention and clean-up tests. */
export async function agedFile(file: string, days: number, opts: { text?: string; now?: Date } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, opts.text ?? '{}\n');
  const t = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000);
  await utimes(file, t, t);
}
