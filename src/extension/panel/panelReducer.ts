import type { AgentEvent } from '../../core/agent/events';
import type { Usage, UsageTotals } from '../../core/model/usage';
import {
  emptyUsageView,
  type ApprovalItem,
  type Blocker,
  type ConversationItem,
  type ConversationSummary,
  type PanelState,
  type PendingChange,
  type PickerView,
  type QuestionItem,
  type ResumableRun,
  type ReviewSummaryItem,
  type UsageSummaryView,
  type UsageView,
} from '../../shared/panelState';

/**
 * The side panel's state as a pure reducer over the loop's events and the host's own actions, so the
 * same sequence always gives the same panel, and it can be tested without VS Code.
 */
export type HostAction =
  | { type: 'user_message'; id: string; text: string }
  | { type: 'approval_requested'; item: Omit<ApprovalItem, 'kind' | 'state' | 'remembered'> }
  | { type: 'approval_resolved'; id: string; approved: boolean; reason?: string; remember?: 'run' | 'workspace' }
  | { type: 'tool_output'; runId: string; callId: string; chunk: string }
  | { type: 'question_asked'; item: Omit<QuestionItem, 'kind' | 'state' | 'answer'> }
  | { type: 'question_answered'; id: string; answer?: string }
  | { type: 'notice'; id: string; level: 'info' | 'warning' | 'error'; text: string }
  /** A finished code review's summary card (the review command builds it with reviewSummaryItem). */
  | { type: 'review_summary'; item: ReviewSummaryItem }
  | { type: 'blockers'; blockers: Blocker[] }
  | { type: 'environment'; demo: boolean; model?: string }
  | { type: 'stopping' }
  | { type: 'new_chat'; conversationId: string }
  /** Unfinished journaled runs of this workspace, offered for resumption. */
  | { type: 'resumable'; runs: ResumableRun[] }
  /** The usage ledger's today / this week summary. */
  | { type: 'usage_summary'; summary: UsageSummaryView }
  /** Usage outside a run in the panel (a code review, an eval): it counts in the session's usage. */
  | { type: 'session_usage'; usage: UsageTotals }
  /** The proposed edits waiting in the diff view changed (opened, decided, or the run ended). */
  | { type: 'pending_changes'; files: PendingChange[] }
  /** The history list changed (a conversation saved, deleted, or listed at start). */
  | { type: 'conversations'; list: ConversationSummary[] }
  /** A saved conversation is shown (its items; the model-facing history is the host's). */
  | { type: 'open_conversation'; id: string; items: ConversationItem[] }
  /** The header's model and profile pickers. */
  | { type: 'picker'; picker: PickerView }
  /** After a window reload: a run that was in flight is gone; its open prompts can no longer be answered. */
  | { type: 'restored' };

export type PanelAction = AgentEvent | HostAction;

const MAX_ITEMS = 500;
/** Live command output kept per card; the model gets the full (capped) result separately. */
const MAX_OUTPUT_CHARS = 20_000;

export function reducePanel(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'user_message':
      return push({ ...state, status: 'running', runUsage: emptyUsageView(), skills: [] }, { kind: 'user', id: action.id, text: action.text });
    case 'run_started':
      return { ...state, status: 'running', model: action.model, skills: action.skills.map((s) => ({ ...s })), runUsage: emptyUsageView() };
    case 'model_call_started':
      return state;
    case 'text_delta': {
      const id = `text:${action.step}`;
      const existing = state.items.find((i) => i.id === id);
      if (existing?.kind === 'assistant') return update(state, id, (i) => (i.kind === 'assistant' ? { ...i, text: i.text + action.text } : i));
      return push(state, { kind: 'assistant', id, text: action.text, streaming: true });
    }
    case 'model_call_retried':
      // The retried call streams again from the start; what was shown for it is dropped, and a note
      // says why it is being asked again (and of which model, when a fallback takes over).
      return push({ ...state, items: state.items.filter((i) => i.id !== `text:${action.step}`) }, { kind: 'notice', id: `retry:${action.step}:${action.attempt}`, level: 'info', text: retryNote(action) });
    case 'model_call_finished': {
      const id = `text:${action.step}`;
      // The header names the model that answered, which is a fallback when the primary could not.
      const answered = action.model ? { ...state, model: action.model } : state;
      return update(answered, id, (i) => (i.kind === 'assistant' ? { ...i, streaming: false } : i));
    }
    case 'usage':
      return {
        ...state,
        runUsage: usageView(action.runUsage, action.runCostUsd, action.runCostUnknown),
        sessionUsage: addView(state.sessionUsage, usageView(action.usage, action.costUsd, action.costKnown === false)),
        ...(action.contextTokens !== undefined && action.contextWindow !== undefined ? { context: { tokens: action.contextTokens, window: action.contextWindow } } : {}),
      };
    case 'context_compacted':
      return push(
        {
          ...state,
          runUsage: usageView(action.runUsage, action.runCostUsd),
          sessionUsage: addView(state.sessionUsage, usageView(action.usage, action.costUsd)),
          context: { tokens: action.tokensAfter, window: action.contextWindow },
        },
        { kind: 'notice', id: `compact:${action.step}`, level: 'info', text: `Older turns were summarised to free context (${action.tokensBefore} → ${action.tokensAfter} tokens).` },
      );
    case 'tool_call_proposed':
      return push(state, { kind: 'tool', id: toolId(action.runId, action.call.id), name: action.call.name, args: action.call.arguments, status: 'proposed' });
    case 'tool_call_started': {
      const id = toolId(action.runId, action.callId);
      const next = state.items.some((i) => i.id === id) ? state : push(state, { kind: 'tool', id, name: action.name, args: action.arguments, status: 'running' });
      return update(next, id, (i) => (i.kind === 'tool' ? { ...i, status: 'running' } : i));
    }
    case 'tool_call_finished':
      return update(state, toolId(action.runId, action.callId), (i) =>
        i.kind === 'tool' ? { ...i, status: action.isError ? 'error' : 'done', result: action.content, durationMs: action.durationMs } : i,
      );
    case 'run_finished':
    case 'run_failed':
    case 'run_cancelled': {
      const r = action.result;
      const ended = expireOpenPrompts({ ...state, status: 'idle', pending: [], skills: r.skillsUsed.map((s) => ({ ...s })) });
      const streamingDone = { ...ended, items: ended.items.map((i) => (i.kind === 'assistant' && i.streaming ? { ...i, streaming: false } : i)) };
      return push(streamingDone, {
        kind: 'summary',
        id: `summary:${action.runId}`,
        status: r.status,
        filesChanged: [...r.filesChanged],
        usage: usageView(r.usage, r.usage.costUsd, r.usage.costUnknown),
        ...(r.model ? { model: r.model } : {}),
        ...(action.type === 'run_failed' ? { error: action.message } : r.error !== undefined ? { error: r.error } : {}),
      });
    }
    case 'approval_requested':
      return push({ ...state, status: 'waiting' }, { kind: 'approval', ...action.item, state: 'waiting' });
    case 'approval_resolved': {
      const next = update(state, action.id, (i) =>
        i.kind === 'approval'
          ? { ...i, state: action.approved ? 'approved' : 'rejected', ...(action.reason ? { reason: action.reason } : {}), ...(action.remember ? { remembered: action.remember } : {}) }
          : i,
      );
      return settleStatus(next);
    }
    case 'question_asked':
      return push({ ...state, status: 'waiting' }, { kind: 'question', ...action.item, state: 'waiting' });
    case 'question_answered': {
      const next = update(state, action.id, (i) =>
        i.kind === 'question' ? { ...i, state: action.answer !== undefined ? 'answered' : 'expired', ...(action.answer !== undefined ? { answer: action.answer } : {}) } : i,
      );
      return settleStatus(next);
    }
    case 'pending_changes':
      return settleStatus({ ...state, pending: action.files.map((f) => ({ ...f })) });
    case 'tool_output':
      return update(state, toolId(action.runId, action.callId), (i) => (i.kind === 'tool' ? { ...i, output: tail((i.output ?? '') + action.chunk, MAX_OUTPUT_CHARS) } : i));
    case 'notice':
      return push(state, { kind: 'notice', id: action.id, level: action.level, text: action.text });
    case 'review_summary':
      return push(state, { ...action.item, skipped: action.item.skipped.map((x) => ({ ...x })), notes: [...action.item.notes] });
    case 'blockers':
      return { ...state, blockers: action.blockers };
    case 'environment':
      return { ...state, demo: action.demo, ...(action.model !== undefined ? { model: action.model } : {}) };
    case 'stopping':
      return state.status === 'idle' ? state : { ...state, status: 'stopping' };
    case 'resumable':
      return { ...state, resumable: action.runs.map((r) => ({ ...r })) };
    case 'usage_summary':
      return { ...state, usageSummary: action.summary };
    case 'session_usage':
      return { ...state, sessionUsage: addView(state.sessionUsage, usageView(action.usage, action.usage.costUsd, action.usage.costUnknown)) };
    case 'new_chat':
      return { ...state, items: [], skills: [], runUsage: emptyUsageView(), context: undefined, conversationId: action.conversationId };
    case 'open_conversation':
      return { ...state, items: action.items.slice(-MAX_ITEMS), skills: [], runUsage: emptyUsageView(), context: undefined, conversationId: action.id };
    case 'picker':
      return { ...state, picker: { ...action.picker, models: [...action.picker.models], profiles: action.picker.profiles.map((p) => ({ ...p })) } };
    case 'conversations':
      return { ...state, conversations: action.list.map((c) => ({ ...c })) };
    case 'restored': {
      if (state.status === 'idle') return { ...state, pending: [] };
      const ended = expireOpenPrompts({ ...state, status: 'idle', pending: [] });
      return push(ended, {
        kind: 'notice',
        id: `restored:${state.items.length}`,
        level: 'warning',
        text: 'The window was reloaded while a run was in progress; that run was stopped. Its completed steps are journaled: resume it from Unfinished runs at the top of the panel to go on without paying for them again.',
      });
    }
  }
}

function retryNote(e: { attempt: number; reason: string; delayMs: number; model: string }): string {
  // `attempt` is the attempt about to be made and `model` the model it goes to (a fallback after a switch).
  const wait = e.delayMs >= 1000 ? `, in ${Math.round(e.delayMs / 1000)} s` : '';
  return `Model call attempt ${e.attempt} goes to ${e.model}${wait}: ${e.reason}.`;
}

export function usageView(u: Usage, costUsd: number, costUnknown?: boolean): UsageView {
  return { input: u.inputTokens, output: u.outputTokens, cacheRead: u.cacheReadTokens, cacheWrite: u.cacheWriteTokens, costUsd, ...(costUnknown ? { costUnknown: true } : {}) };
}

function addView(a: UsageView, b: UsageView): UsageView {
  const unknown = a.costUnknown === true || b.costUnknown === true;
  return { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite, costUsd: a.costUsd + b.costUsd, ...(unknown ? { costUnknown: true } : {}) };
}

/** Tool call ids come from the provider and are only unique within a run. */
export function toolId(runId: string, callId: string): string {
  return `tool:${runId}:${callId}`;
}

function tail(text: string, max: number): string {
  return text.length > max ? `…${text.slice(text.length - max)}` : text;
}

function push(state: PanelState, item: ConversationItem): PanelState {
  const items = [...state.items.filter((i) => i.id !== item.id), item];
  return { ...state, items: items.length > MAX_ITEMS ? items.slice(items.length - MAX_ITEMS) : items };
}

function update(state: PanelState, id: string, f: (i: ConversationItem) => ConversationItem): PanelState {
  return { ...state, items: state.items.map((i) => (i.id === id ? f(i) : i)) };
}

/** Something in the panel waits for the person: an approval, a question, or a proposed edit in the diff view. */
export function waitingCount(state: PanelState): number {
  return state.items.filter((i) => (i.kind === 'approval' || i.kind === 'question') && i.state === 'waiting').length + state.pending.length;
}

/** A run that waits for the person says so; when nothing waits any more it is running again (an idle or stopping panel stays so). */
function settleStatus(state: PanelState): PanelState {
  if (state.status === 'idle' || state.status === 'stopping') return state;
  return { ...state, status: waitingCount(state) > 0 ? 'waiting' : 'running' };
}

function expireOpenPrompts(state: PanelState): PanelState {
  return {
    ...state,
    items: state.items.map((i) =>
      (i.kind === 'approval' || i.kind === 'question') && i.state === 'waiting' ? { ...i, state: 'expired' as const } : i.kind === 'tool' && (i.status === 'running' || i.status === 'proposed') ? { ...i, status: 'error' as const, result: i.result ?? 'not finished' } : i,
    ),
  };
}
