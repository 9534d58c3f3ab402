import type { CheckedComment } from './reviewSchema';

/**
 * Where an editor shows a checked comment: zero-based, inclusive line numbers (VS Code's `Range`
 * convention), or undefined for a file-level comment, which belongs on the file, not on line 1.
 */
export interface EditorLines {
  startLine: number;
  endLine: number;
}

export function editorLines(c: CheckedComment): EditorLines | undefined {
  if (c.fileLevel || c.line < 1) return undefined;
  return { startLine: c.line - 1, endLine: (c.endLine ?? c.line) - 1 };
}

export type SuggestionResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * The file's new content with the suggestion in place of lines `line`..`endLine`: the text an edit
 * proposal carries to the reviewable-diff path. Only line comments can carry a suggestion (the
 * anchoring moves others into the body). The file's line ending is kept, and a file that has changed
 * so much that the lines no longer exist is refused instead of being patched somewhere else.
 */
export function applySuggestion(fileText: string, c: CheckedComment): SuggestionResult {
  if (c.suggestion === undefined) return { ok: false, reason: 'the comment has no suggestion' };
  const lines = editorLines(c);
  if (!lines) return { ok: false, reason: 'a file-level comment cannot be applied to lines' };
  const eol = fileText.includes('\r\n') ? '\r\n' : '\n';
  const endsWithEol = fileText.endsWith(eol);
  const body = endsWithEol ? fileText.slice(0, -eol.length) : fileText;
  const all = body === '' ? [] : body.split(eol);
  if (lines.endLine >= all.length) return { ok: false, reason: `the file has ${all.length} lines now, fewer than line ${lines.endLine + 1} the comment was made on` };
  const replacement = c.suggestion.replace(/\r?\n$/, '').split(/\r?\n/);
  const next = [...all.slice(0, lines.startLine), ...replacement, ...all.slice(lines.endLine + 1)];
  return { ok: true, text: next.join(eol) + (endsWithEol ? eol : '') };
}
