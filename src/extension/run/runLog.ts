import { costText } from '../../shared/cost';
import type { AgentEvent } from '../../core/agent/events';
import type { RunResult } from '../../core/agent/runResult';
import type { Message } from '../../core/model/messages';
import { TOOL } from '../../shared/toolNames';

/** The output channel's line for an event, or undefined for events the log does not show. The caller redacts it. */
export function runLogLine(e: AgentEvent): string | undefined {
  switch (e.type) {
    case 'tool_call_started':
      return `  → ${e.name} ${e.arguments.slice(0, 300)}`;
    case 'tool_call_finished':
      return `  ← ${e.name} ${e.isError ? 'error' : 'ok'} in ${Math.round(e.durationMs)} ms${e.name === TOOL.runCommand ? `\n${indent(e.content)}` : ''}`;
    case 'model_call_retried':
      return `  ↻ model call attempt ${e.attempt} to ${e.model}: ${e.reason}`;
    case 'run_finished':
    case 'run_cancelled':
    case 'run_failed':
      return `[${e.time}] run ${e.runId} ${e.result.status}${e.type === 'run_failed' ? `: ${e.message}` : ''} · ${e.result.model || 'no model'} · ${e.result.usage.totalTokens} tokens · ${costText(e.result.usage.costUsd, e.result.usage.costUnknown, 4)}`;
    default:
      return undefined;
  }
}

/** The run's turns as chat history: each assistant message and each tool result, in order. */
export function collectMessages(e: AgentEvent, into: Message[]): void {
  if (e.type === 'model_call_finished') into.push(e.message);
  else if (e.type === 'tool_call_finished') into.push({ role: 'tool', callId: e.callId, toolName: e.name, content: e.content, isError: e.isError });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** The result shown for a run that could not start (a bad setting, a run held by another window). */
export function emptyResult(error: string): RunResult {
  return {
    status: 'failed',
    output: '',
    filesChanged: [],
    commandsRun: [],
    skillsUsed: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costUsd: 0 },
    model: '',
    attempts: 0,
    error,
  };
}
