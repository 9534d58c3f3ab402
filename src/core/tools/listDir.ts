import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, defineTool } from './defineTool';
import { IgnoreChain, isSkippedEntry } from './search/ignoreRules';
import { isPathIgnored } from './search/walk';
import { TOOL } from '../../shared/toolNames';

export const ListDirArgsSchema = z.object({
  path: z.string().describe('Folder relative to the workspace root ("." for the root).'),
});
export type ListDirArgs = z.infer<typeof ListDirArgsSchema>;

export interface ListDirToolOptions {
  guard: PathGuard;
  root: string;
  /** How many entries are listed; the rest are counted. Default 500. */
  maxEntries?: number;
}

export const DEFAULT_LIST_MAX_ENTRIES = 500;

export function createListDirTool(opts: ListDirToolOptions) {
  const maxEntries = opts.maxEntries ?? DEFAULT_LIST_MAX_ENTRIES;
  return defineTool({
    name: TOOL.listDir,
    description:
      'List one folder: sub-folders end with "/", files show their size, symbolic links are marked "->". ' +
      'Skips .git, node_modules, virtualenvs, dist, build and whatever .gitignore ignores, and says how many entries it skipped.',
    kind: 'read',
    schema: ListDirArgsSchema,
    async run(args) {
      const where = args.path.trim() === '' ? '.' : args.path;
      const verdict = await opts.guard.check(where, 'read');
      if (verdict.verdict === 'deny') throw new ToolError(`Cannot list ${where}: ${verdict.reason}.`);
      let info;
      try {
        info = await stat(verdict.resolved);
      } catch {
        throw new ToolError(`Cannot list ${where}: it does not exist.`);
      }
      if (!info.isDirectory()) throw new ToolError(`${verdict.relative} is a file, not a folder; use read_file to read it.`);

      const root = await opts.guard.realRoot();
      // A folder named explicitly is listed in full even when it is itself ignored.
      const ignoredItself = await isPathIgnored(root, verdict.resolved, true);
      const chain = ignoredItself ? IgnoreChain.empty() : await IgnoreChain.forDirectory(verdict.resolved, root);
      const entries = await readdir(verdict.resolved, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

      const lines: string[] = [];
      let skipped = 0;
      for (const entry of entries) {
        const abs = path.join(verdict.resolved, entry.name);
        const isDir = entry.isDirectory();
        if (!ignoredItself && (isSkippedEntry(entry.name, isDir) || chain.ignores(abs, isDir))) {
          skipped++;
          continue;
        }
        lines.push(await describeEntry(entry.name, abs, isDir, entry.isSymbolicLink()));
      }
      const header = `${verdict.relative === '.' ? '(workspace root)' : `${verdict.relative}/`}`;
      const shown = lines.slice(0, maxEntries);
      const out = [header, ...shown.map((l) => `  ${l}`)];
      if (lines.length === 0) out.push('  (empty)');
      if (lines.length > shown.length) out.push(`[Showing ${shown.length} of ${lines.length} entries; ${lines.length - shown.length} more not shown. Use find_files to narrow down.]`);
      if (skipped > 0) out.push(`[${skipped} ${skipped === 1 ? 'entry' : 'entries'} skipped: ignored by .gitignore or a skipped folder such as node_modules.]`);
      if (ignoredItself) out.push(`[${verdict.relative} is normally skipped; listed in full because you named it.]`);
      return out.join('\n');
    },
  });
}

async function describeEntry(name: string, abs: string, isDir: boolean, isLink: boolean): Promise<string> {
  if (isLink) return `${name} -> (symbolic link)`;
  if (isDir) return `${name}/`;
  try {
    return `${name}  (${formatSize((await stat(abs)).size)})`;
  } catch {
    return name;
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
