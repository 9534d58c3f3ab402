import { costText } from '../shared/cost';
import type { AgentEvent, EventSink } from '../core/agent/events';

const MAX_ARGS = 160;

/** Human-readable progress on stderr: streamed text, one line per tool call, usage at the end. */
export function progressSink(write: (text: string) => void): EventSink {
  let midLine = false;
  const line = (s: string) => {
    if (midLine) write('\n');
    midLine = false;
    write(`${s}\n`);
  };
  return (ev: AgentEvent) => {
    switch (ev.type) {
      case 'run_started':
        line(`agent-harness: run ${ev.runId.slice(0, 8)} with ${ev.model} (${ev.protocol}), profile ${ev.profile}`);
        for (const s of ev.skills) line(`  skill ${s.name}: ${s.reason}`);
        break;
      case 'text_delta':
        write(ev.text);
        midLine = !ev.text.endsWith('\n');
        break;
      case 'tool_call_started':
        line(`→ ${ev.name} ${truncate(ev.arguments, MAX_ARGS)}`);
        break;
      case 'tool_call_finished':
        line(`${ev.isError ? '✗' : '←'} ${ev.name} (${Math.round(ev.durationMs)} ms) ${truncate(firstLine(ev.content), MAX_ARGS)}`);
        break;
      case 'model_call_retried':
        line(`agent-harness: retry ${ev.attempt} with ${ev.model}: ${ev.reason}`);
        break;
      case 'context_compacted':
        line(`agent-harness: compacted the context (${ev.tokensBefore} → ${ev.tokensAfter} tokens)`);
        break;
      case 'run_failed':
        line(`agent-harness: ${ev.message}`);
        break;
      case 'run_finished':
      case 'run_cancelled': {
        const u = ev.result.usage;
        line(
          `agent-harness: ${ev.result.status}${ev.result.error ? ` (${ev.result.error})` : ''}; tokens in ${u.inputTokens}, out ${u.outputTokens}, cache read ${u.cacheReadTokens}, cache write ${u.cacheWriteTokens}; cost ${costText(u.costUsd, u.costUnknown, 4)}`,
        );
        break;
      }
      default:
        break;
    }
  };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : `${s.slice(0, i)} …`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
