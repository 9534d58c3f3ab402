import type { PanelState, ToolItem, UsageView } from '../shared/panelState';
import { costText } from '../shared/cost';
import { TOOL } from '../shared/toolNames';

/**
 * What the panel displays, computed from the state as plain strings and numbers, so the wording and
 * the arithmetic are tested in plain Node and the DOM code only places them.
 */

export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

export function formatCost(usd: number, unknown = false): string {
  return costText(usd, unknown);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export interface UsageRow {
  label: string;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  cost: string;
  total: number;
}

export function usageRow(label: string, u: UsageView): UsageRow {
  return {
    label,
    input: formatTokens(u.input),
    output: formatTokens(u.output),
    cacheRead: formatTokens(u.cacheRead),
    cacheWrite: formatTokens(u.cacheWrite),
    cost: formatCost(u.costUsd, u.costUnknown),
    total: u.input + u.output + u.cacheRead + u.cacheWrite,
  };
}

export interface ContextMeterView {
  /** Of the context window, attachments and typed text included; undefined before the window is known. */
  percent: number | undefined;
  label: string;
  level: 'ok' | 'high' | 'full';
}

/**
 * The context meter: what the conversation holds now plus what the message being written would add
 * (its attachments and text), so a person sees before sending that an attachment will not fit.
 */
export function contextMeter(state: PanelState, pendingTokens = 0): ContextMeterView | undefined {
  const adds = pendingTokens > 0 ? ` + ${formatTokens(pendingTokens)} in this message` : '';
  if (!state.context) return pendingTokens > 0 ? { percent: undefined, label: `This message adds about ${formatTokens(pendingTokens)} tokens`, level: 'ok' } : undefined;
  const ratio = (state.context.tokens + pendingTokens) / state.context.window;
  const percent = Math.max(0, Math.min(100, Math.round(ratio * 100)));
  return {
    percent,
    label: `Context ${formatTokens(state.context.tokens)}${adds} / ${formatTokens(state.context.window)} (${percent}%)`,
    level: ratio >= 0.9 ? 'full' : ratio >= 0.7 ? 'high' : 'ok',
  };
}

export interface ToolCardView {
  title: string;
  args: string;
  result: string;
  status: string;
  duration: string;
  isError: boolean;
  /** For commands: the exit line and the last lines of output, shown without opening the card. */
  commandOutput?: string;
}

const TOOL_VERBS: Record<string, string> = {
  read_file: 'Read',
  list_dir: 'Listed',
  grep: 'Searched',
  find_files: 'Found files',
  write_file: 'Write',
  edit_file: 'Edit',
  run_command: 'Run',
  ask_user: 'Asked you',
  load_skill: 'Loaded skill',
};

/** The card's one-line title says what the call does with what: "Read src/app.ts", "Run npm test". */
export function toolCardView(item: ToolItem): ToolCardView {
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(item.args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } catch {
    /* malformed arguments are shown raw */
  }
  const subject = firstString(args, ['path', 'command', 'pattern', 'name', 'question']);
  const verb = TOOL_VERBS[item.name] ?? item.name;
  return {
    title: subject !== undefined ? `${verb} ${clip(subject, 80)}` : verb,
    args: prettyArgs(item.args),
    result: item.result !== undefined ? summarizeResult(item.result) : '',
    status: item.status === 'done' ? 'done' : item.status === 'error' ? 'failed' : item.status === 'running' ? 'running…' : 'queued',
    duration: item.durationMs !== undefined ? formatDuration(item.durationMs) : '',
    isError: item.status === 'error',
    ...(item.name === TOOL.runCommand && item.result !== undefined ? { commandOutput: commandOutputOf(item.result) } : {}),
  };
}

/** The exit line and the tail of the output section of a run_command result. */
export function commandOutputOf(result: string, maxLines = 12): string {
  const exit = /^exit code: .*$/m.exec(result)?.[0];
  const at = result.indexOf('\noutput:\n');
  const out = at >= 0 ? result.slice(at + '\noutput:\n'.length).replace(/\s+$/, '') : /^\(no output\)$/m.test(result) ? '(no output)' : '';
  const lines = out.split('\n');
  const shown = lines.length > maxLines ? ['…', ...lines.slice(-maxLines)] : lines;
  return [exit, ...shown].filter((l) => l !== undefined && l !== '').join('\n');
}

/** The first lines of a result, cut: the card is a summary; the full text went to the model. */
export function summarizeResult(text: string, maxLines = 6, maxChars = 600): string {
  const lines = text.split('\n');
  let out = lines.slice(0, maxLines).join('\n');
  if (out.length > maxChars) out = `${out.slice(0, maxChars)}…`;
  const rest = lines.length - maxLines;
  return rest > 0 ? `${out}\n… ${rest} more line${rest === 1 ? '' : 's'}` : out;
}

function prettyArgs(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

function firstString(args: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = args[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function statusLabel(state: PanelState): string {
  switch (state.status) {
    case 'running':
      return 'Working…';
    case 'waiting':
      return 'Waiting for you';
    case 'stopping':
      return 'Stopping…';
    default:
      return 'Ready';
  }
}
