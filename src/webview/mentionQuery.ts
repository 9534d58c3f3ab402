/**
 * Where the `@` picker is in the composer's text, as plain functions of the text and the caret so the
 * rules are tested in Node: an `@` at the start or after whitespace opens it, the characters typed
 * after it (no whitespace) are the query, and choosing a row removes the `@query` from the text.
 */
export interface MentionAt {
  /** Index of the `@`. */
  start: number;
  query: string;
}

export function mentionAt(text: string, caret: number): MentionAt | undefined {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!m) return undefined;
  return { start: before.length - m[2]!.length - 1, query: m[2]! };
}

/** The text without the `@query` the picker was opened for, and where the caret goes. */
export function removeMention(text: string, at: MentionAt, caret: number): { text: string; caret: number } {
  const end = Math.max(caret, at.start + 1 + at.query.length);
  return { text: text.slice(0, at.start) + text.slice(end), caret: at.start };
}
