import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway workspace for the file-tree tools, with a link that leads out of it. */
export interface ToolWorkspace {
  /** The temporary folder (its real path) that holds the workspace and the folder outside it; remove it afterwards. */
  base: string;
  /** `<base>/ws`, the workspace root. */
  root: string;
  /** Writes a file (and its folders) under the workspace root. */
  put(rel: string, content?: string): Promise<void>;
}

/** Creates `<base>/ws` and `<base>/outside`, with `ws/outLink` a symbolic link to the folder outside. */
export async function makeToolWorkspace(prefix: string): Promise<ToolWorkspace> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), prefix)));
  const root = path.join(base, 'ws');
  await mkdir(path.join(base, 'outside'), { recursive: true });
  await mkdir(root, { recursive: true });
  await symlink(path.join(base, 'outside'), path.join(root, 'outLink'));
  return {
    base,
    root,
    async put(rel: string, content = 'x\n'): Promise<void> {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), content);
    },
  };
}
