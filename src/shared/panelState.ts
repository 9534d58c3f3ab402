import { z } from 'zod';

/**
 * What the side panel shows, as plain data. The extension host owns it (and keeps it in workspaceState
 * so the conversation survives hiding the panel and reloading the window); the webview only renders it.
 */

export const UsageViewSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** A call had no known price: the cost shows as unknown (or as a lower bound), never $0. */
  costUnknown: z.boolean().optional(),
});
export type UsageView = z.infer<typeof UsageViewSchema>;

export const ToolCardStatusSchema = z.enum(['proposed', 'running', 'done', 'error']);
export type ToolCardStatus = z.infer<typeof ToolCardStatusSchema>;

export const UserItemSchema = z.object({ kind: z.literal('user'), id: z.string(), text: z.string() });
export const AssistantItemSchema = z.object({ kind: z.literal('assistant'), id: z.string(), text: z.string(), streaming: z.boolean() });
export const ToolItemSchema = z.object({
  kind: z.literal('tool'),
  id: z.string(),
  name: z.string(),
  /** The raw JSON arguments as the model sent them. */
  args: z.string(),
  status: ToolCardStatusSchema,
  result: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  /** Live output of a command, appended as it arrives. */
  output: z.string().optional(),
});
export const ApprovalItemSchema = z.object({
  kind: z.literal('approval'),
  id: z.string(),
  /** What is asked about: a command line, or a tool call described in one line. */
  title: z.string(),
  command: z.string().optional(),
  reasons: z.array(z.string()),
  /** Where a command would run ("container …" or "local: this machine"). */
  where: z.string().optional(),
  state: z.enum(['waiting', 'approved', 'rejected', 'expired']),
  reason: z.string().optional(),
  /** Scopes an "always allow" may use for this call (none for calls that must be asked each time). */
  grantScopes: z.array(z.enum(['run', 'workspace'])).default([]),
  remembered: z.enum(['run', 'workspace']).optional(),
});
export const QuestionItemSchema = z.object({
  kind: z.literal('question'),
  id: z.string(),
  question: z.string(),
  options: z.array(z.string()),
  state: z.enum(['waiting', 'answered', 'expired']),
  answer: z.string().optional(),
});
export const NoticeItemSchema = z.object({
  kind: z.literal('notice'),
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  text: z.string(),
});
export const RunSummaryItemSchema = z.object({
  kind: z.literal('summary'),
  id: z.string(),
  status: z.string(),
  filesChanged: z.array(z.string()),
  usage: UsageViewSchema,
  error: z.string().optional(),
  /** The model that answered last (with fallbacks, not always the configured one). */
  model: z.string().optional(),
});

/** A finished code review of the current diff: the comments themselves are in the editor and the Problems view. */
export const ReviewSummaryItemSchema = z.object({
  kind: z.literal('review'),
  id: z.string(),
  /** What was reviewed, in words ("uncommitted changes against HEAD (3f2a1c9)"). */
  description: z.string(),
  summary: z.string(),
  recommendation: z.enum(['approve', 'request_changes', 'comment']),
  counts: z.object({ error: z.number().int().nonnegative(), warning: z.number().int().nonnegative(), info: z.number().int().nonnegative() }),
  fileLevel: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
  usage: UsageViewSchema,
  model: z.string(),
});
export type ReviewSummaryItem = z.infer<typeof ReviewSummaryItemSchema>;

export const ConversationItemSchema = z.discriminatedUnion('kind', [
  UserItemSchema,
  AssistantItemSchema,
  ToolItemSchema,
  ApprovalItemSchema,
  QuestionItemSchema,
  NoticeItemSchema,
  RunSummaryItemSchema,
  ReviewSummaryItemSchema,
]);
export type ConversationItem = z.infer<typeof ConversationItemSchema>;
export type ToolItem = z.infer<typeof ToolItemSchema>;
export type ApprovalItem = z.infer<typeof ApprovalItemSchema>;
export type QuestionItem = z.infer<typeof QuestionItemSchema>;

/** Why the agent cannot (fully) work here; the panel explains it and offers the fix. */
export const BlockerSchema = z.object({
  kind: z.enum(['no-gateway', 'no-workspace', 'untrusted']),
  message: z.string(),
});
export type Blocker = z.infer<typeof BlockerSchema>;

export const RunStatusViewSchema = z.enum(['idle', 'running', 'waiting', 'stopping']);
export type RunStatusView = z.infer<typeof RunStatusViewSchema>;

/** One line of the ledger summary: model calls, tokens and cost. */
export const UsageTotalsViewSchema = z.object({
  key: z.string(),
  calls: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  tokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  costUnknown: z.boolean().optional(),
});
export type UsageTotalsView = z.infer<typeof UsageTotalsViewSchema>;

/** The usage ledger summed for the panel: today, the last 7 days, and the week by model and by day. */
export const UsageSummaryViewSchema = z.object({
  today: UsageTotalsViewSchema,
  week: UsageTotalsViewSchema,
  byModel: z.array(UsageTotalsViewSchema),
  byDay: z.array(UsageTotalsViewSchema),
});
export type UsageSummaryView = z.infer<typeof UsageSummaryViewSchema>;

/** A journaled run of this workspace that stopped before it finished and can be continued. */
export const ResumableRunSchema = z.object({
  id: z.string(),
  task: z.string(),
  status: z.string(),
  started: z.string(),
  model: z.string(),
});
export type ResumableRun = z.infer<typeof ResumableRunSchema>;

/** A proposed file change open in the diff view, waiting for the person's decision. */
export const PendingChangeSchema = z.object({
  key: z.string(),
  path: z.string(),
  newFile: z.boolean(),
  conflict: z.boolean().optional(),
});
export type PendingChange = z.infer<typeof PendingChangeSchema>;

/** One saved conversation of this workspace, as the history list shows it. */
export const ConversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  created: z.string(),
  updated: z.string(),
  /** Messages the person sent. */
  messages: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  costUnknown: z.boolean().optional(),
  tokens: z.number().nonnegative(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

/** The panel header's model and profile pickers: what is chosen and what can be. */
export const PickerViewSchema = z.object({
  model: z.string(),
  models: z.array(z.string()),
  profile: z.string(),
  profiles: z.array(z.object({ name: z.string(), description: z.string() })),
});
export type PickerView = z.infer<typeof PickerViewSchema>;

export const PanelStateSchema = z.object({
  version: z.literal(1),
  status: RunStatusViewSchema,
  /** The offline demo (scripted model server): the UI labels everything as a demo. */
  demo: z.boolean(),
  model: z.string().optional(),
  blockers: z.array(BlockerSchema),
  items: z.array(ConversationItemSchema),
  skills: z.array(z.object({ name: z.string(), reason: z.string() })),
  runUsage: UsageViewSchema,
  sessionUsage: UsageViewSchema,
  context: z.object({ tokens: z.number().nonnegative(), window: z.number().positive() }).optional(),
  /** Unfinished runs offered for resumption (never persisted: re-listed from the journals). */
  resumable: z.array(ResumableRunSchema).default([]),
  usageSummary: UsageSummaryViewSchema.optional(),
  /** Proposed edits waiting in the diff view (never persisted: the diff view ends with the window). */
  pending: z.array(PendingChangeSchema).default([]),
  /** The conversation shown, saved in the history under this id. */
  conversationId: z.string().optional(),
  /** This workspace's saved conversations, most recent first (never persisted: re-listed from the store). */
  conversations: z.array(ConversationSummarySchema).default([]),
  picker: PickerViewSchema.optional(),
});
export type PanelState = z.infer<typeof PanelStateSchema>;

export function emptyUsageView(): UsageView {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 };
}

export function initialPanelState(): PanelState {
  return { version: 1, status: 'idle', demo: false, blockers: [], items: [], skills: [], runUsage: emptyUsageView(), sessionUsage: emptyUsageView(), resumable: [], pending: [], conversations: [] };
}
