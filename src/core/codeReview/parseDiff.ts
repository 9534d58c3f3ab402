import { parsePatch } from 'diff';
import type { DiffHunk, FileDiff, FileStatus } from './gitPort';

/** The prefixes the git adapter asks for explicitly, so a user's diff.noprefix or mnemonicPrefix setting cannot change them. */
export const SRC_PREFIX = 'a/';
export const DST_PREFIX = 'b/';

/**
 * Parses `git diff` output (with the prefixes above) into per-file hunks. The parser is jsdiff's,
 * which understands git's extended headers (renames, copies, new and deleted files, binary files);
 * nothing here matches diff text with patterns of its own.
 */
export function parseGitDiff(text: string, options: { untracked?: boolean } = {}): FileDiff[] {
  if (text.trim() === '') return [];
  return parsePatch(text).map((p) => {
    const oldName = stripPrefix(p.oldFileName, SRC_PREFIX);
    const newName = stripPrefix(p.newFileName, DST_PREFIX);
    const status: FileStatus = p.isCreate ? 'added' : p.isDelete ? 'deleted' : p.isRename ? 'renamed' : p.isCopy ? 'copied' : 'modified';
    const path = status === 'deleted' ? oldName : newName;
    if (!path) throw new Error('git diff output has a file without a name');
    const file: FileDiff = {
      path,
      status,
      binary: p.isBinary === true,
      untracked: options.untracked === true,
      hunks: p.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] })),
    };
    if ((status === 'renamed' || status === 'copied') && oldName && oldName !== path) file.oldPath = oldName;
    return file;
  });
}

function stripPrefix(name: string | undefined, prefix: string): string | undefined {
  if (name === undefined || name === '/dev/null') return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** One line of a hunk with its line numbers on each side (absent on the side it does not exist on). */
export interface NumberedLine {
  kind: 'context' | 'added' | 'removed';
  text: string;
  oldLine?: number;
  newLine?: number;
}

/** Walks a hunk's lines, numbering them; "\ No newline at end of file" markers are skipped. */
export function numberHunk(hunk: DiffHunk): NumberedLine[] {
  const out: NumberedLine[] = [];
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  for (const line of hunk.lines) {
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '+') out.push({ kind: 'added', text, newLine: newLine++ });
    else if (mark === '-') out.push({ kind: 'removed', text, oldLine: oldLine++ });
    else if (mark === ' ' || mark === undefined) out.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
  }
  return out;
}

/** The line numbers of the reviewed (new) version that appear in the diff: added and context lines. */
export function reviewableLines(file: FileDiff): Set<number> {
  const lines = new Set<number>();
  for (const hunk of file.hunks) {
    for (const l of numberHunk(hunk)) if (l.newLine !== undefined) lines.add(l.newLine);
  }
  return lines;
}
