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

/** What a listing found: the first paths in sorted order (all of them without a limit), and how many there are. */
export interface FileList {
  paths: string[];
  total: number;
}

/**
 * The port find_files lists through: the JS walker below, or `rg --files` in the adapters, which is
 * an order of magnitude faster on big trees. Both return the same sorted posix paths.
 */
export interface FileLister {
  readonly engine: string;
  /** Every matching file, or only the first `limit` in sorted order (the total still counts all). */
  listFiles(request: FileListRequest, limit?: number): Promise<FileList>;
}

/** Sorted by UTF-16 code units, as `<` compares strings (the default sort, native and much faster than a comparator). */
export function sortPaths(paths: string[]): string[] {
  return paths.sort();
}

/**
 * The first `limit` paths in sorted order, and the total. Many more paths than shown (30,000 `*.js`
 * files for 200 lines) are not sorted at all: each is compared with the largest kept so far, and
 * only the few that beat it are inserted.
 */
export function firstSorted(paths: string[], limit = Infinity): FileList {
  const { items, total } = firstSortedBy(paths, (p) => p, limit);
  return { paths: items, total };
}

/** `firstSorted` for items sorted by a string key (UTF-16 code units, as `<`). */
export function firstSortedBy<T>(all: T[], key: (item: T) => string, limit = Infinity): { items: T[]; total: number } {
  const total = all.length;
  const byKey = (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  if (total <= limit * 4) return { items: all.sort(byKey).slice(0, limit), total };
  const kept = all.slice(0, limit).sort(byKey);
  const keys = kept.map(key);
  for (let i = limit; i < total; i++) {
    const item = all[i]!;
    const k = key(item);
    if (k >= keys[limit - 1]!) continue;
    let lo = 0;
    let hi = limit - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    kept.pop();
    keys.pop();
    kept.splice(lo, 0, item);
    keys.splice(lo, 0, k);
  }
  return { items: kept, total };
}

export class JsFileLister implements FileLister {
  readonly engine = 'js';

  async listFiles(req: FileListRequest, limit?: number): Promise<FileList> {
    const filter = createGlobFilter(req.glob);
    const found: string[] = [];
    for await (const file of walkFiles({ root: req.root, start: req.start, signal: req.signal, respectGitignore: req.respectGitignore })) {
      if (!filter || filter(file.rel)) found.push(file.rel);
    }
    return firstSorted(found, limit);
  }
}
