import { z } from 'zod';

/**
 * What to review. `uncommitted` is everything not yet committed (staged, unstaged and untracked files)
 * against HEAD; `staged` is the index against HEAD; `branch` is the working tree (with untracked
 * files) against the merge-base of HEAD and `base`, so a branch's commits and any uncommitted work on
 * top are reviewed together and every line number matches the file on disk, which is where editor
 * comments land.
 */
export const DiffSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('uncommitted') }),
  z.object({ kind: z.literal('staged') }),
  z.object({ kind: z.literal('branch'), base: z.string().min(1) }),
]);
export type DiffSelection = z.infer<typeof DiffSelectionSchema>;

export const DiffHunkSchema = z.object({
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  /** Unified-diff lines with their prefix: ' ' context, '+' added, '-' removed, '\' a "no newline" marker. */
  lines: z.array(z.string()),
});
export type DiffHunk = z.infer<typeof DiffHunkSchema>;

export const FileStatusSchema = z.enum(['modified', 'added', 'deleted', 'renamed', 'copied']);
export type FileStatus = z.infer<typeof FileStatusSchema>;

export const FileDiffSchema = z.object({
  /** Posix path relative to the workspace root: the new path, or the old one for a deleted file. */
  path: z.string(),
  /** The path before a rename or copy. */
  oldPath: z.string().optional(),
  status: FileStatusSchema,
  /** Binary files are listed, never inlined: they have no hunks. */
  binary: z.boolean(),
  /** A new file git does not track yet. */
  untracked: z.boolean(),
  hunks: z.array(DiffHunkSchema),
  /** Set when the adapter did not read the content at all (an untracked file too large to diff), and why. */
  omitted: z.string().optional(),
});
export type FileDiff = z.infer<typeof FileDiffSchema>;

export const ReviewDiffSchema = z.object({
  selection: DiffSelectionSchema,
  /** One line for people: "uncommitted changes against HEAD (3f2a1c9)". */
  description: z.string(),
  /** The commit the diff is taken against; absent in a repository without commits. */
  baseCommit: z.string().optional(),
  files: z.array(FileDiffSchema),
  /** Things the diff left out, said in words (e.g. too many untracked files). */
  notes: z.array(z.string()),
});
export type ReviewDiff = z.infer<typeof ReviewDiffSchema>;

/** The port the review runbook reads the diff through; src/adapters/git/gitCli.ts runs the git CLI. */
export interface GitPort {
  diff(selection: DiffSelection): Promise<ReviewDiff>;
}

export type GitErrorKind = 'not_a_repository' | 'unknown_ref' | 'git_missing' | 'git_failed';

/** A problem a person fixes (wrong folder, misspelled base ref, no git installed); front ends show the message as is. */
export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}
