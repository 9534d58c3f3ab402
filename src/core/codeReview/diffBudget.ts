import type { FileDiff } from './gitPort';
import { numberHunk } from './parseDiff';
import type { SkippedFile } from './reviewSchema';

/** About four characters a token, the same estimate the rate limiter and budgets use before a call. */
const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface DiffBudget {
  /** Estimated tokens of diff text per review call. */
  chunkTokens: number;
  /** Review calls at most; files that do not fit in them are skipped and named. */
  maxChunks: number;
}

export const DEFAULT_DIFF_BUDGET: DiffBudget = { chunkTokens: 40_000, maxChunks: 4 };

export interface RenderedFile {
  file: FileDiff;
  text: string;
  tokens: number;
}

export interface DiffPlan {
  /** Each chunk is reviewed by one model call (plus its exploration); files keep their path order. */
  chunks: RenderedFile[][];
  skipped: SkippedFile[];
}

/**
 * Splits the diff per file into chunks that fit the budget. A file is never cut in half: a file too
 * large for one call is skipped whole, since reviewing half a change invites wrong comments about
 * the other half. Binary files are listed by name and never inlined.
 */
export function planDiff(files: readonly FileDiff[], budget: DiffBudget = DEFAULT_DIFF_BUDGET): DiffPlan {
  const chunks: RenderedFile[][] = [];
  const skipped: SkippedFile[] = [];
  let current: RenderedFile[] = [];
  let used = 0;
  for (const file of files) {
    if (file.binary) {
      skipped.push({ path: file.path, reason: 'binary file: listed, not inlined' });
      continue;
    }
    if (file.omitted) {
      skipped.push({ path: file.path, reason: file.omitted });
      continue;
    }
    const text = renderFileDiff(file);
    const tokens = estimateTokens(text);
    if (tokens > budget.chunkTokens) {
      skipped.push({ path: file.path, reason: `too large to review: about ${tokens} tokens of diff, over the budget of ${budget.chunkTokens} per review call` });
      continue;
    }
    if (used + tokens > budget.chunkTokens && current.length > 0) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    if (chunks.length >= budget.maxChunks) {
      skipped.push({ path: file.path, reason: `over the review's budget of ${budget.maxChunks} call(s) of ${budget.chunkTokens} tokens of diff` });
      continue;
    }
    current.push({ file, text, tokens });
    used += tokens;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, skipped };
}

/**
 * One file's diff as the model reads it. Every added and context line carries its line number in the
 * new version, because models count lines in a raw unified diff badly and the comment's `line` must
 * be exact; removed lines carry none, since they do not exist in the reviewed version.
 */
export function renderFileDiff(file: FileDiff): string {
  const out = [`### ${file.path} (${describeFile(file)})`];
  if (file.binary) {
    out.push('(binary file, not shown)');
    return `${out.join('\n')}\n`;
  }
  if (file.hunks.length === 0) out.push(file.status === 'added' ? '(empty file)' : '(no content change)');
  for (const hunk of file.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    const numbered = numberHunk(hunk);
    const width = String(Math.max(1, ...numbered.map((l) => l.newLine ?? 0))).length;
    for (const l of numbered) {
      const num = l.newLine === undefined ? ''.padStart(width) : String(l.newLine).padStart(width);
      const mark = l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' ';
      out.push(`${num} ${mark} ${l.text}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function describeFile(file: FileDiff): string {
  const parts: string[] = [file.status];
  if (file.oldPath) parts.push(`from ${file.oldPath}`);
  if (file.untracked) parts.push('untracked');
  if (file.binary) parts.push('binary');
  return parts.join(', ');
}
