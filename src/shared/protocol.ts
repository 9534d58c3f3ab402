import { z } from 'zod';
import { AttachmentChipSchema, MentionItemSchema, MentionRefSchema } from './attachments';
import { PanelPatchSchema } from './panelPatch';
import { PanelStateSchema } from './panelState';

/**
 * The one host <-> webview protocol. Each direction is a zod discriminated union, and each side
 * validates what it receives: a message that does not match is dropped, never half-handled, because
 * a webview is a less trusted place than the extension host.
 */

/** Host -> webview. The host sends whole states (coalesced), so a webview that reloads needs nothing else. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: PanelStateSchema, rev: z.number().int().nonnegative().optional() }),
  /** What changed since the last state or patch (panelPatch.ts). */
  PanelPatchSchema,
  /** Put text into the input box (Ask About Selection pre-fills the question). */
  z.object({ type: z.literal('prefill'), text: z.string().max(100_000) }),
  /** Move keyboard focus: the composer (Focus Chat Input) or the first waiting card's primary button. */
  z.object({ type: z.literal('focus'), target: z.enum(['input', 'waiting']) }),
  /** The `@` picker's rows for the query the webview sent. */
  z.object({ type: z.literal('mentions'), query: z.string().max(500), items: z.array(MentionItemSchema).max(200) }),
  /** A resolved attachment to show as a chip (from the picker, or Add Selection to Chat). */
  z.object({ type: z.literal('attached'), chip: AttachmentChipSchema }),
  /** Show the history list (Agent Harness: Show Chat History). */
  z.object({ type: z.literal('showHistory') }),
  /** An attachment that could not be added, and why. */
  z.object({ type: z.literal('attachFailed'), message: z.string().max(2000) }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const id = z.string().min(1).max(200);

/** Webview -> host: user intents only. The host decides whether each is allowed now. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The webview missed a patch: send the whole state again. */
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('send'), text: z.string().trim().min(1).max(100_000), attachments: z.array(id).max(50).default([]) }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('approve'), id, remember: z.enum(['run', 'workspace']).optional() }),
  z.object({ type: z.literal('reject'), id, reason: z.string().max(2000).optional() }),
  z.object({ type: z.literal('answer'), id, answer: z.string().max(10_000) }),
  z.object({ type: z.literal('setGatewayKey') }),
  z.object({ type: z.literal('openSettings') }),
  z.object({ type: z.literal('manageTrust') }),
  /** The panel's "Review diff" button: runs Agent Harness: Review Current Diff. */
  z.object({ type: z.literal('reviewDiff') }),
  /** Continue or forget an unfinished run the panel offers (PanelState.resumable). */
  z.object({ type: z.literal('resumeRun'), id }),
  z.object({ type: z.literal('dismissRun'), id }),
  /** The waiting card of proposed edits: open a diff (the first without a key), or decide all of them. */
  z.object({ type: z.literal('showPending'), key: id.optional() }),
  z.object({ type: z.literal('decidePending'), approve: z.boolean() }),
  /** The `@` picker: rows for a query, resolve a chosen row into an attachment, drop one. */
  z.object({ type: z.literal('mentionQuery'), query: z.string().max(500) }),
  z.object({ type: z.literal('attach'), ref: MentionRefSchema }),
  z.object({ type: z.literal('detach'), id }),
  /** The history list: list again (it opened; another window may have saved), show a saved conversation (it continues from there), or delete one. */
  /** The header's pickers: the model and the profile for this workspace's runs, until chosen again. */
  z.object({ type: z.literal('chooseModel'), model: z.string().trim().min(1).max(300) }),
  z.object({ type: z.literal('chooseProfile'), profile: z.string().trim().min(1).max(100) }),
  z.object({ type: z.literal('listConversations') }),
  z.object({ type: z.literal('openConversation'), id }),
  z.object({ type: z.literal('deleteConversation'), id }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** The message, or undefined when it does not match the protocol. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const r = WebviewMessageSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  const r = HostMessageSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}
