import { Fzf } from 'fzf';
import type { MentionItem } from '../../shared/attachments';

/** Rows the picker shows at most for one query. */
export const MENTION_LIMIT = 50;

interface Entry {
  path: string;
  folder: boolean;
}

/**
 * The workspace's files and folders for the `@` picker, matched fuzzily (fzf's algorithm, the one
 * people know from their terminal and from Copilot's and Cline's pickers) on the whole relative path.
 * Built once per file listing; a query is a few milliseconds on a 100k-file tree.
 */
export class MentionIndex {
  private readonly entries: Entry[];
  private finder: Fzf<Entry[]> | undefined;

  constructor(files: readonly string[]) {
    const folders = new Set<string>();
    for (const f of files) {
      for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) folders.add(f.slice(0, i));
    }
    this.entries = [...[...folders].sort().map((path) => ({ path, folder: true })), ...files.map((path) => ({ path, folder: false }))];
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The fixed rows (selection, problems, …) whose label matches, then files and folders. An empty
   * query lists the fixed rows, the open editors' files, then the first files in order.
   */
  search(query: string, fixed: readonly MentionItem[], recent: readonly string[] = [], limit = MENTION_LIMIT): MentionItem[] {
    const q = query.trim();
    const fixedRows = q === '' ? [...fixed] : fixed.filter((f) => matchesWords(`${f.label} ${f.detail ?? ''}`, q));
    const room = Math.max(0, limit - fixedRows.length);
    if (q === '') {
      const known = new Set(this.entries.filter((e) => !e.folder).map((e) => e.path));
      const open = recent.filter((p) => known.has(p));
      const openSet = new Set(open);
      const rest = this.entries.filter((e) => !e.folder && !openSet.has(e.path)).map((e) => e.path);
      return [...fixedRows, ...[...open, ...rest].slice(0, room).map((p) => row({ path: p, folder: false }))];
    }
    this.finder ??= new Fzf(this.entries, { selector: (e) => e.path, limit: MENTION_LIMIT, casing: 'smart-case' });
    return [...fixedRows, ...this.finder.find(q).slice(0, room).map((r) => row(r.item))];
  }
}

function row(e: Entry): MentionItem {
  const slash = e.path.lastIndexOf('/');
  const name = e.path.slice(slash + 1);
  const dir = slash > 0 ? e.path.slice(0, slash) : '';
  return e.folder ? { ref: { kind: 'folder', path: e.path }, label: `${name}/`, ...(dir ? { detail: dir } : {}) } : { ref: { kind: 'file', path: e.path }, label: name, ...(dir ? { detail: dir } : {}) };
}

function matchesWords(text: string, query: string): boolean {
  const t = text.toLowerCase();
  return query.toLowerCase().split(/\s+/).every((w) => t.includes(w));
}
