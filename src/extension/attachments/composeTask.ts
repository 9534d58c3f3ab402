import type { AttachmentChip } from '../../shared/attachments';

/** An attachment the host has resolved: its chip, and the text it adds to the message. */
export interface ResolvedAttachment {
  chip: AttachmentChip;
  /** What the model reads: a heading line, then the content. */
  title: string;
  content: string;
  /** Code fence language for the content ('' for none). */
  language: string;
}

/** One attachment adds at most this much text (a file's first 100 KB, like read_file's cap per call). */
export const MAX_ATTACHMENT_CHARS = 100_000;
/** All attachments of one message together. */
export const MAX_ATTACHED_CHARS = 400_000;

/** About four characters a token, the estimate the context meter and the budgets use before a call. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Cuts text to a cap and says so in the text, so the model knows it did not see everything. */
export function capText(text: string, max = MAX_ATTACHMENT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}\n… (cut at ${max} characters of ${text.length})` : text;
}

/** A fence longer than any run of backticks in the content, so the content cannot close it. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The task the model gets for a message with attachments: the person's words first, then each
 * attachment under its own heading in a fence it cannot break out of. The conversation shows the
 * words and the attachments' names, not their content.
 */
export function composeTask(text: string, attachments: readonly ResolvedAttachment[]): { task: string; display: string } {
  if (attachments.length === 0) return { task: text, display: text };
  let budget = MAX_ATTACHED_CHARS;
  const parts: string[] = [];
  const left: string[] = [];
  for (const a of attachments) {
    if (budget <= 0) {
      left.push(a.chip.label);
      continue;
    }
    const content = capText(a.content, Math.min(MAX_ATTACHMENT_CHARS, budget));
    budget -= content.length;
    const fence = fenceFor(content);
    parts.push(`### ${a.title}\n${fence}${a.language}\n${content}\n${fence}`);
  }
  const note = left.length > 0 ? `\n\n(Not attached, over the ${MAX_ATTACHED_CHARS}-character limit for one message: ${left.join(', ')}.)` : '';
  return {
    task: `${text}\n\nAttached context (chosen by the user):\n\n${parts.join('\n\n')}${note}`,
    display: `${text}\n[attached: ${attachments.map((a) => a.chip.label).join(', ')}]`,
  };
}
