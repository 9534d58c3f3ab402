import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import { z } from 'zod';
import { splitLinesKeepEol } from './textFormat';

export const HunkStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export type HunkStatus = z.infer<typeof HunkStatusSchema>;

/**
 * One hunk of a file's proposal, as jsdiff's structuredPatch gives it, plus the reviewer's decision.
 * `oldStart`/`newStart` are 1-based and name the first line of the range even when it is empty
 * (an insertion goes before line `oldStart`).
 */
export const HunkSchema = z.object({
  index: z.number().int().nonnegative(),
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  /** Diff lines with their ' ', '-', '+' or '\' prefix, without line terminators. */
  lines: z.array(z.string()),
  status: HunkStatusSchema,
  reason: z.string().optional(),
});
export type Hunk = z.infer<typeof HunkSchema>;

/** Lines of context around each change. Changes closer than twice this merge into one hunk, so hunks never overlap. */
export const HUNK_CONTEXT = 3;

/**
 * Myers diff is O(N*D): a rewrite of a large file with changes everywhere takes tens of seconds
 * (36 s measured for 10,000 changed lines). Past this budget the diff gives up and the change is
 * shown as one hunk that replaces the whole file, which is what such a rewrite is anyway.
 */
export const DIFF_TIMEOUT_MS = 1000;

function patchOrWhole(oldName: string, newName: string, original: string, proposed: string): StructuredPatch {
  const patch = structuredPatch(oldName, newName, original, proposed, undefined, undefined, { context: HUNK_CONTEXT, timeout: DIFF_TIMEOUT_MS });
  if (patch) return patch;
  return { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks: [wholeFileHunk(original, proposed)] };
}

/** One hunk that removes every line of `original` and adds every line of `proposed`, in unified-diff form. */
function wholeFileHunk(original: string, proposed: string): StructuredPatch['hunks'][number] {
  const oldLines = splitLinesKeepEol(original);
  const newLines = splitLinesKeepEol(proposed);
  const render = (rows: string[], sign: string): string[] =>
    rows.flatMap((row) => (row.endsWith('\n') ? [sign + row.slice(0, -1)] : [sign + row, '\\ No newline at end of file']));
  return { oldStart: 1, oldLines: oldLines.length, newStart: 1, newLines: newLines.length, lines: [...render(oldLines, '-'), ...render(newLines, '+')] };
}

export function computeHunks(original: string | null, proposed: string): Hunk[] {
  // Creating an empty file changes no lines, yet it is a change a reviewer must be able to approve
  // or reject: it gets one empty hunk.
  if (original === null && proposed === '') return [{ index: 0, oldStart: 1, oldLines: 0, newStart: 1, newLines: 0, lines: [], status: 'pending' }];
  const patch = patchOrWhole('a', 'b', original ?? '', proposed);
  return patch.hunks.map((h, index) => ({
    index,
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
    status: 'pending',
  }));
}

/**
 * The content with only the chosen hunks applied to the original. The hunks partition both texts:
 * between two hunks the original and the proposal are the same lines, so the result is the
 * original's gaps with, for each hunk, either its old lines or its new lines. Lines are taken from
 * the two texts themselves (with their own terminators), never rebuilt from the diff text, so
 * CRLF, a BOM and a missing final newline come through byte for byte.
 */
export function applyHunks(original: string | null, proposed: string, hunks: readonly Hunk[], take: (hunk: Hunk) => boolean): string {
  const oldLines = splitLinesKeepEol(original ?? '');
  const newLines = splitLinesKeepEol(proposed);
  const out: string[] = [];
  let cursor = 0;
  for (const h of [...hunks].sort((a, b) => a.oldStart - b.oldStart)) {
    const oldFrom = Math.max(0, h.oldStart - 1);
    out.push(...oldLines.slice(cursor, oldFrom));
    if (take(h)) {
      const newFrom = Math.max(0, h.newStart - 1);
      out.push(...newLines.slice(newFrom, newFrom + h.newLines));
    } else {
      out.push(...oldLines.slice(oldFrom, oldFrom + h.oldLines));
    }
    cursor = oldFrom + h.oldLines;
  }
  out.push(...oldLines.slice(cursor));
  return out.join('');
}

/** A one-line header for a hunk, as in a unified diff: `@@ -12,4 +12,6 @@`. */
export function hunkHeader(h: Pick<Hunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines'>): string {
  const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
  const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
  return `@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`;
}

/**
 * A git-style unified diff of one file (`git apply` accepts it). `original` null means the file is
 * created. Returns '' when the two contents are equal.
 */
export function fileUnifiedDiff(path: string, original: string | null, next: string): string {
  if (original !== null && original === next) return '';
  const patch: StructuredPatch = { ...patchOrWhole(`a/${path}`, `b/${path}`, original ?? '', next), isGit: true };
  if (original === null) {
    patch.oldFileName = '/dev/null';
    patch.isCreate = true;
    patch.newMode = '100644';
  }
  return formatPatch(patch);
}
