import path from 'node:path';
import type { FileDiff } from './gitPort';
import { reviewableLines } from './parseDiff';
import type { CheckedComment, CodeReviewComment } from './reviewSchema';

export interface Anchored {
  comments: CheckedComment[];
  /** One sentence per comment that was moved to its file, shortened or dropped. */
  notes: string[];
}

/**
 * Checks every comment against the diff so none is shown on the wrong line:
 * - a path that is not among `files` (the diff, or the part of it the model was shown) is dropped, with a note;
 * - a line that is not an added or context line of the reviewed version (outside every hunk, on a
 *   deleted or binary file) moves the comment to the file level: `line: 0`, `fileLevel: true`,
 *   `movedFrom` the line it named, with a note;
 * - a range that runs past the diff is cut where the diff stops being contiguous;
 * - a suggestion survives only on the exact lines it was written for: a moved or cut comment carries
 *   it in its body instead, so "apply suggestion" can never replace the wrong lines.
 * `root` lets an absolute path inside the workspace count as its relative form.
 */
export function anchorComments(comments: readonly CodeReviewComment[], files: readonly FileDiff[], root?: string): Anchored {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const byOldPath = new Map(files.filter((f) => f.oldPath).map((f) => [f.oldPath as string, f]));
  const lineSets = new Map<string, Set<number>>();
  const linesOf = (f: FileDiff) => {
    let set = lineSets.get(f.path);
    if (!set) lineSets.set(f.path, (set = f.binary || f.status === 'deleted' ? new Set() : reviewableLines(f)));
    return set;
  };
  const out: CheckedComment[] = [];
  const notes: string[] = [];
  for (const c of comments) {
    const where = `${c.path}:${c.line} ("${c.title}")`;
    const wanted = normalizePath(c.path, root);
    const file = byPath.get(wanted) ?? byOldPath.get(wanted);
    if (!file) {
      notes.push(`Dropped the comment on ${where}: the file is not among the files shown for review.`);
      continue;
    }
    const base = { ...c, path: file.path };
    if (file.path !== wanted) {
      out.push(toFileLevel(base, c.line));
      notes.push(`Moved the comment on ${where} to the file level of ${file.path}: it named the file's old path, whose line numbers do not apply.`);
      continue;
    }
    if (c.line === 0) {
      out.push(toFileLevel(base, undefined));
      continue;
    }
    const lines = linesOf(file);
    if (!lines.has(c.line)) {
      out.push(toFileLevel(base, c.line));
      const why = file.binary ? 'the file is binary' : file.status === 'deleted' ? 'the file is deleted' : `line ${c.line} is not among the diff lines shown for review`;
      notes.push(`Moved the comment on ${where} to the file level: ${why}.`);
      continue;
    }
    out.push(fitRange(base, lines, notes, where));
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return { comments: out, notes };
}

function fitRange(c: CodeReviewComment, lines: Set<number>, notes: string[], where: string): CheckedComment {
  const { endLine, ...rest } = c;
  const single: CheckedComment = { ...rest, fileLevel: false };
  if (endLine === undefined || endLine === c.line) return single;
  if (endLine < c.line) {
    notes.push(`Ignored the end line ${endLine} of the comment on ${where}: it is before the start line.`);
    return withoutSuggestion(single, c.line, endLine);
  }
  let last = c.line;
  while (last < endLine && lines.has(last + 1)) last++;
  if (last === endLine) return { ...single, endLine };
  notes.push(`Shortened the comment on ${where} to end at line ${last}: line ${last + 1} is not among the diff lines shown for review.`);
  return withoutSuggestion(last > c.line ? { ...single, endLine: last } : single, c.line, endLine);
}

function toFileLevel(c: CodeReviewComment, movedFrom: number | undefined): CheckedComment {
  const { endLine: _end, ...rest } = c;
  const moved: CheckedComment = { ...rest, line: 0, fileLevel: true, ...(movedFrom !== undefined ? { movedFrom } : {}) };
  return movedFrom !== undefined ? withoutSuggestion(moved, movedFrom, _end) : moved;
}

/** Keeps the suggestion as text in the body, where nobody can apply it to lines it was not written for. */
function withoutSuggestion(c: CheckedComment, from: number, to?: number): CheckedComment {
  if (c.suggestion === undefined) return c;
  const { suggestion, ...rest } = c;
  const range = to !== undefined && to > from ? `lines ${from}-${to}` : `line ${from}`;
  return { ...rest, body: `${c.body}\n\nSuggested change (written for ${range}):\n${suggestion}` };
}

/** Accepts `./x`, `x` with backslashes, or an absolute path inside the workspace; anything else stays as given and will not match. */
export function normalizePath(p: string, root?: string): string {
  let s = p.trim().replace(/\\/g, '/');
  if (root && path.posix.isAbsolute(s)) {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (s.startsWith(`${r}/`)) s = s.slice(r.length + 1);
  }
  s = path.posix.normalize(s);
  return s.startsWith('./') ? s.slice(2) : s;
}
