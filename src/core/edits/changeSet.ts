import { z } from 'zod';
import { applyHunks, computeHunks, fileUnifiedDiff, HunkSchema, type Hunk } from './hunks';
import { sha256 } from './textFormat';

/**
 * The run's pending edits as plain data. Tools add proposals; a reviewer decides per file or per
 * hunk; apply.ts writes what was approved. Nothing in here touches the disk, so the extension can
 * render it, the CLI can print it, and a test can build one by hand.
 *
 * Invariants:
 * - One entry per workspace-relative posix path.
 * - `originalContent`/`originalHash` are what was on disk when the first proposal for the file was
 *   made (null when the file did not exist); the stale-write guard compares the disk to the hash.
 * - Further edits to a pending file stack on `proposedContent`; the hunks are recomputed against the
 *   original and every decision on the file goes back to pending (the old hunks no longer exist).
 * - Once a file is settled (applied, rejected or in conflict), a new proposal starts a fresh entry
 *   whose original is the disk content at that time.
 */
export const FileChangeStateSchema = z.enum(['pending', 'applied', 'rejected', 'conflict']);
export type FileChangeState = z.infer<typeof FileChangeStateSchema>;

export const FileChangeSchema = z.object({
  path: z.string(),
  originalContent: z.string().nullable(),
  originalHash: z.string().nullable(),
  proposedContent: z.string(),
  hunks: z.array(HunkSchema),
  state: FileChangeStateSchema,
  /** A protected path: a human must approve it even when edits are auto-approved. */
  needsHuman: z.boolean(),
  needsHumanReason: z.string().optional(),
  /** How many tool calls stacked on this proposal. */
  edits: z.number().int().positive(),
  /** Why the file was rejected as a whole, or why applying it conflicted. */
  note: z.string().optional(),
});
export type FileChange = z.infer<typeof FileChangeSchema>;

export const ChangeSetDataSchema = z.object({ files: z.array(FileChangeSchema) });
export type ChangeSetData = z.infer<typeof ChangeSetDataSchema>;

export interface Proposal {
  path: string;
  /** The disk content when the proposal is made, or null when the file does not exist. */
  current: string | null;
  proposed: string;
  needsHuman?: boolean;
  needsHumanReason?: string;
}

/** Lines added and removed by a proposal, over all its hunks. */
export function lineCounts(f: FileChange): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of f.hunks) {
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

export class ChangeSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeSetError';
  }
}

export class ChangeSet {
  private readonly files = new Map<string, FileChange>();

  static fromJSON(data: unknown): ChangeSet {
    const parsed = ChangeSetDataSchema.parse(data);
    const set = new ChangeSet();
    for (const f of parsed.files) set.files.set(f.path, f);
    return set;
  }

  toJSON(): ChangeSetData {
    return { files: this.list() };
  }

  /** Deep copies, so callers (a UI, a reviewer) cannot change the set behind its back. */
  list(): FileChange[] {
    return [...this.files.values()].map(clone);
  }

  pending(): FileChange[] {
    return this.list().filter((f) => f.state === 'pending');
  }

  get(path: string): FileChange | undefined {
    const f = this.files.get(path);
    return f ? clone(f) : undefined;
  }

  /** The content later edits of this file should build on: the pending proposal, else undefined. */
  pendingContent(path: string): string | undefined {
    const f = this.files.get(path);
    return f?.state === 'pending' ? f.proposedContent : undefined;
  }

  propose(p: Proposal): FileChange {
    const existing = this.files.get(p.path);
    const stacked = existing?.state === 'pending';
    const original = stacked ? existing.originalContent : p.current;
    const entry: FileChange = {
      path: p.path,
      originalContent: original,
      originalHash: stacked ? existing.originalHash : original === null ? null : sha256(original),
      proposedContent: p.proposed,
      hunks: computeHunks(original, p.proposed),
      state: 'pending',
      needsHuman: (stacked && existing.needsHuman) || p.needsHuman === true,
      edits: stacked ? existing.edits + 1 : 1,
    };
    const reason = p.needsHumanReason ?? (stacked ? existing.needsHumanReason : undefined);
    if (entry.needsHuman && reason !== undefined) entry.needsHumanReason = reason;
    this.files.set(p.path, entry);
    return clone(entry);
  }

  approveFile(path: string): void {
    for (const h of this.pendingEntry(path).hunks) setStatus(h, 'approved');
  }

  rejectFile(path: string, reason?: string): void {
    const f = this.pendingEntry(path);
    for (const h of f.hunks) setStatus(h, 'rejected', reason);
    if (reason !== undefined) f.note = reason;
  }

  setHunk(path: string, index: number, status: 'approved' | 'rejected', reason?: string): void {
    const f = this.pendingEntry(path);
    const h = f.hunks[index];
    if (!h) throw new ChangeSetError(`${path} has no hunk ${index} (it has ${f.hunks.length})`);
    setStatus(h, status, reason);
  }

  /** True when every hunk of the pending file has a decision. */
  isDecided(path: string): boolean {
    return this.pendingEntry(path).hunks.every((h) => h.status !== 'pending');
  }

  /**
   * What to write for the file: the original with the approved hunks applied, or null when the
   * file should not exist (a new file with nothing approved). Undecided hunks count as not approved.
   */
  contentToWrite(path: string): string | null {
    const f = this.entry(path);
    const approved = f.hunks.filter((h) => h.status === 'approved');
    if (f.originalContent === null && approved.length === 0) return null;
    if (approved.length === f.hunks.length) return f.proposedContent;
    return applyHunks(f.originalContent, f.proposedContent, f.hunks, (h) => h.status === 'approved');
  }

  /** Settles a file after apply.ts has acted on it. */
  settle(path: string, state: Exclude<FileChangeState, 'pending'>, note?: string): void {
    const f = this.entry(path);
    f.state = state;
    if (note !== undefined) f.note = note;
  }

  /** The whole set as one git-style patch, files sorted by path; `approved` shows only what will be written. */
  unifiedDiff(options: { which?: 'proposed' | 'approved'; states?: readonly FileChangeState[]; paths?: readonly string[] } = {}): string {
    const states = options.states ?? ['pending'];
    return [...this.files.values()]
      .filter((f) => states.includes(f.state) && (!options.paths || options.paths.includes(f.path)))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => {
        const next = options.which === 'approved' ? this.contentToWrite(f.path) : f.proposedContent;
        return next === null ? '' : fileUnifiedDiff(f.path, f.originalContent, next);
      })
      .filter((d) => d !== '')
      .join('\n');
  }

  private entry(path: string): FileChange {
    const f = this.files.get(path);
    if (!f) throw new ChangeSetError(`no proposed change for ${path}`);
    return f;
  }

  private pendingEntry(path: string): FileChange {
    const f = this.entry(path);
    if (f.state !== 'pending') throw new ChangeSetError(`the change to ${path} is already ${f.state}`);
    return f;
  }
}

function setStatus(h: Hunk, status: Hunk['status'], reason?: string): void {
  h.status = status;
  if (reason !== undefined && reason !== '') h.reason = reason;
  else delete h.reason;
}

function clone(f: FileChange): FileChange {
  return structuredClone(f);
}
