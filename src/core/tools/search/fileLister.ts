import { createGlobFilter } from './globFilter';
import { walkFiles } from './walk';

/** Which part of the workspace a listing or a search walks; the rules are in ignoreRules.ts. */
export interface FileListRequest {
  /** Absolute, real workspace root; result paths are relative to it. */
  root: string;
  /** Absolute folder (or, for a search, file) inside root where the walk starts. */
  start: string;
  /** Optional glob on workspace-relative paths (see createGlobFilter). */
  glob?: string;
  /** False when the model named an ignored folder explicitly: walk it without .gitignore. */
  respectGitignore: boolean;
  signal?: AbortSignal;
}

/**
 * The port find_files lists through: the JS walker below, or `rg --files` in the adapters, which is
 * an order of magnitude faster on big trees. Both return the same sorted posix paths.
 */
export interface FileLister {
  readonly engine: string;
  listFiles(request: FileListRequest): Promise<string[]>;
}

export function sortPaths(paths: string[]): string[] {
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export class JsFileLister implements FileLister {
  readonly engine = 'js';

  async listFiles(req: FileListRequest): Promise<string[]> {
    const filter = createGlobFilter(req.glob);
    const found: string[] = [];
    for await (const file of walkFiles({ root: req.root, start: req.start, signal: req.signal, respectGitignore: req.respectGitignore })) {
      if (!filter || filter(file.rel)) found.push(file.rel);
    }
    return sortPaths(found);
  }
}
