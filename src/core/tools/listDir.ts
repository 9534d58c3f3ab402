import { statSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, defineTool } from './defineTool';
import { IgnoreChain, isSkippedEntry } from './search/ignoreRules';
import { firstSortedBy } from './search/fileLister';
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

      // The folder is read while its .gitignore rules load.
      const listing = readdir(verdict.resolved, { withFileTypes: true });
      listing.catch(() => undefined);
      const root = await opts.guard.realRoot();
      // A folder named explicitly is listed in full even when it is itself ignored.
      const ignoredItself = await isPathIgnored(root, verdict.resolved, true);
      const chain = ignoredItself ? IgnoreChain.empty() : await IgnoreChain.forDirectory(verdict.resolved, root);
      const entries = await listing;

      // Filter, then put in order and stat only the entries shown: a 20k-entry folder costs 500 stats, not 20k.
      const kept: Dirent[] = [];
      let skipped = 0;
      const ignores = chain.childMatcher(verdict.resolved);
      for (const entry of entries) {
        const isDir = entry.isDirectory();
        if (!ignoredItself && (isSkippedEntry(entry.name, isDir) || ignores(entry.name, isDir))) skipped++;
        else kept.push(entry);
      }
      const shownEntries = firstSortedBy(kept, (e) => e.name, maxEntries).items;
      const shown = shownEntries.map((e) => describeEntry(e.name, path.join(verdict.resolved, e.name), e.isDirectory(), e.isSymbolicLink()));
      const header = `${verdict.relative === '.' ? '(workspace root)' : `${verdict.relative}/`}`;
      const out = [header, ...shown.map((l) => `  ${l}`)];
      if (kept.length === 0) out.push('  (empty)');
      if (kept.length > shown.length) out.push(`[Showing ${shown.length} of ${kept.length} entries; ${kept.length - shown.length} more not shown. Use find_files to narrow down.]`);
      if (skipped > 0) out.push(`[${skipped} ${skipped === 1 ? 'entry' : 'entries'} skipped: ignored by .gitignore or a skipped folder such as node_modules.]`);
      if (ignoredItself) out.push(`[${verdict.relative} is normally skipped; listed in full because you named it.]`);
      return out.join('\n');
    },
  });
}

/**
 * One line of the listing. The size comes from a synchronous stat: for the at most `maxEntries` shown,
 * a few microseconds each, where 500 trips through the thread pool cost ~25 ms.
 */
function describeEntry(name: string, abs: string, isDir: boolean, isLink: boolean): string {
  if (isLink) return `${name} -> (symbolic link)`;
  if (isDir) return `${name}/`;
  const size = statSync(abs, { throwIfNoEntry: false })?.size;
  return size === undefined ? name : `${name}  (${formatSize(size)})`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
