import { rm } from 'node:fs/promises';
import { firstSorted, JsFileLister, type FileList, type FileListRequest, type FileLister } from '../../core/tools/search/fileLister';
import { createGlobFilter } from '../../core/tools/search/textSearcher';
import { buildFilesArgs, rgPathToRelative, writeAncestorIgnoreFile, writeGlobPruneFile } from './ripgrepArgs';
import { runRipgrep } from './ripgrepProcess';

/**
 * Lists files with `rg --files --null`, by the same walking rules as the JS lister (see
 * ripgrepArgs.ts); the glob is applied to rg's output with the JS matcher so both agree exactly.
 * Falls back to the JS lister when rg cannot run.
 */
export class RipgrepFileLister implements FileLister {
  readonly engine = 'ripgrep';
  private readonly fallback: FileLister;

  constructor(
    readonly rgPath: string,
    options: { fallback?: FileLister } = {},
  ) {
    this.fallback = options.fallback ?? new JsFileLister();
  }

  async listFiles(req: FileListRequest, limit?: number): Promise<FileList> {
    if (req.signal?.aborted) throw req.signal.reason;
    const filter = createGlobFilter(req.glob);
    const found: string[] = [];
    let pending = '';
    const take = (raw: string): void => {
      const rel = rgPathToRelative(raw, req.root);
      if (!filter || filter(rel)) found.push(rel);
    };
    const [ignoreFile, pruneFile] = await Promise.all([writeAncestorIgnoreFile(req), writeGlobPruneFile(req)]);
    let code: number | null;
    try {
      const run = await runRipgrep(this.rgPath, buildFilesArgs(req, ignoreFile, pruneFile), {
        cwd: req.root,
        signal: req.signal,
        onChunk: (chunk) => {
          pending += chunk;
          const parts = pending.split('\0');
          pending = parts.pop() ?? '';
          for (const raw of parts) take(raw);
        },
      });
      code = run.code;
    } finally {
      await Promise.all([ignoreFile, pruneFile].map((f) => (f ? rm(f, { force: true }) : undefined)));
    }
    if (pending !== '') take(pending);
    // rg --files exits 1 when it lists nothing, 2 on an error (with output, a partial one).
    if (code === 0 || code === 1 || (code === 2 && found.length > 0)) return firstSorted(found, limit);
    return this.fallback.listFiles(req, limit);
  }
}
