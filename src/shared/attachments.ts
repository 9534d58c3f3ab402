import { z } from 'zod';

/**
 * Context the person attaches to a message in the composer (`@` opens the picker): what it refers to
 * (a MentionRef, chosen in the webview) and, once the host has resolved it, the chip the composer
 * shows. The content itself stays on the host; the webview only holds ids, labels and token counts.
 */
const relPath = z.string().min(1).max(4096);

export const MentionRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: relPath }),
  z.object({ kind: z.literal('folder'), path: relPath }),
  /** The active editor's selection, captured when it is attached. */
  z.object({ kind: z.literal('selection') }),
  /** The problems VS Code reports for one file, or for the whole workspace without a path. */
  z.object({ kind: z.literal('problems'), path: relPath.optional() }),
  /** The output of the last command the agent ran in this window. */
  z.object({ kind: z.literal('lastCommand') }),
  /** The uncommitted changes (git diff against HEAD, untracked files included). */
  z.object({ kind: z.literal('changes') }),
]);
export type MentionRef = z.infer<typeof MentionRefSchema>;

/** One row of the `@` picker. */
export const MentionItemSchema = z.object({ ref: MentionRefSchema, label: z.string().max(500), detail: z.string().max(500).optional() });
export type MentionItem = z.infer<typeof MentionItemSchema>;

/** A resolved attachment as the composer shows it: removable, counted in the context meter. */
export const AttachmentChipSchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.enum(['file', 'folder', 'selection', 'problems', 'lastCommand', 'changes']),
  label: z.string().max(500),
  /** Estimated tokens it adds to the message. */
  tokens: z.number().int().nonnegative(),
  detail: z.string().max(500).optional(),
});
export type AttachmentChip = z.infer<typeof AttachmentChipSchema>;
