import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `content` to `target` so that a reader sees either the old file or the whole new one: the
 * bytes go to a temporary file in the same folder (same file system, so rename is atomic), are
 * flushed, take the old file's mode, and the temporary file is renamed over the target. Parent
 * folders are created for a new file. On any failure the temporary file is removed and the target
 * is untouched.
 */
export async function writeFileAtomic(target: string, content: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  let mode = options.mode;
  if (mode === undefined) {
    try {
      mode = (await stat(target)).mode & 0o7777;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    // A new file is created with 0666 less the umask, as any editor would create it.
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
