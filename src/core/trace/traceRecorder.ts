import type { AgentEvent, EventSink } from '../agent/events';
import type { ModelCallRecord, RunLabel } from '../model/resilience/callRecord';
import type { Redactor } from './redact';
import type { TraceRecord, TraceWrite } from './traceRecord';
import { TOOL } from '../../shared/toolNames';

export interface TraceRecorderOptions {
  write: TraceWrite;
  redact: Redactor;
  /**
   * Where model-call records come from. With the resilience layer (the default) every attempt is
   * recorded through `onModelCall`, failed ones included; a bare client has only the loop's events.
   */
  modelCalls?: 'observer' | 'events';
  /** The sandbox session commands run in (container id or `local`), when known. */
  sandboxSession?: () => string | undefined;
  /** The run's kind and labels, put on every record. */
  label?: RunLabel;
}

export interface ApprovalTrace {
  runId: string;
  step?: string;
  tool: string;
  required: boolean;
  /** approved | rejected | auto_approved | timed_out ... */
  status: string;
  latencyMs: number;
}

export interface SandboxCommandTrace {
  runId: string;
  step?: string;
  command: string;
  sessionId?: string;
  latencyMs: number;
  exitCode?: number | null;
}

/**
 * Turns the loop's events and the resilience layer's model-call records into per-step trace records.
 * Every record goes through the one redactor before it is written.
 */
export class TraceRecorder {
  private profile: string | undefined;
  private started: { time: string; model: string; protocol: string } | undefined;
  private readonly modelLatency = new Map<string, number>();

  constructor(private readonly opts: TraceRecorderOptions) {}

  readonly sink: EventSink = (ev: AgentEvent) => {
    switch (ev.type) {
      case 'run_started':
        this.profile = ev.profile;
        this.started = { time: ev.time, model: ev.model, protocol: ev.protocol };
        break;
      case 'run_finished':
      case 'run_failed':
      case 'run_cancelled': {
        // The run as one record, written last: the parent span of its steps.
        const start = this.started?.time ?? ev.time;
        const u = ev.result.usage;
        this.emit({
          time: start,
          'agent.run_id': ev.runId,
          'agent.step.type': 'run',
          'agent.step.name': `run ${this.profile ?? 'agent'}`,
          ...(this.started ? { 'model.requested': this.started.model, provider: this.started.protocol } : {}),
          ...(ev.result.model ? { model: ev.result.model } : {}),
          ...tokens(u),
          latency_ms: Math.max(0, Date.parse(ev.time) - Date.parse(start)) || 0,
          ...(u.costUnknown ? {} : { cost_usd: u.costUsd }),
          outcome: ev.result.status === 'completed' ? 'ok' : ev.result.status,
          ...(ev.result.error ? { error: ev.result.error.slice(0, 500) } : ev.type === 'run_failed' ? { error: ev.message.slice(0, 500) } : {}),
        });
        break;
      }
      case 'model_call_finished':
        this.modelLatency.set(ev.step, ev.latencyMs);
        break;
      case 'usage':
        if (this.opts.modelCalls === 'events') {
          this.emit({
            time: startOf(ev.time, this.modelLatency.get(ev.step) ?? 0),
            'agent.run_id': ev.runId,
            'agent.step.id': ev.step,
            'agent.step.type': 'model_call',
            'agent.step.name': `chat ${ev.model}`,
            model: ev.model,
            ...tokens(ev.usage),
            latency_ms: this.modelLatency.get(ev.step) ?? 0,
            cost_usd: ev.costUsd,
            outcome: 'ok',
          });
          this.modelLatency.delete(ev.step);
        }
        break;
      case 'tool_call_finished': {
        this.emit({
          time: startOf(ev.time, ev.durationMs),
          'agent.run_id': ev.runId,
          'agent.step.id': ev.step,
          'agent.step.type': 'tool_call',
          'agent.step.name': ev.name,
          tool: ev.name,
          latency_ms: ev.durationMs,
          outcome: ev.isError ? 'error' : 'ok',
          ...(ev.isError ? { error: ev.content.slice(0, 500) } : {}),
        });
        const session = this.opts.sandboxSession?.();
        for (const command of ev.commandsRun) {
          this.sandboxCommand({ runId: ev.runId, step: ev.step, command, sessionId: session, latencyMs: ev.durationMs / ev.commandsRun.length });
        }
        break;
      }
      default:
        break;
    }
  };

  readonly onModelCall = (r: ModelCallRecord): void => {
    if (this.opts.modelCalls === 'events') return;
    this.emit({
      time: r.time,
      'agent.run_id': r.runId ?? 'unknown',
      ...(r.step !== undefined ? { 'agent.step.id': r.step } : {}),
      'agent.step.type': 'model_call',
      'agent.step.name': `chat ${r.answeredBy ?? r.model}`,
      model: r.answeredBy ?? r.model,
      ...(r.answeredBy !== undefined && r.answeredBy !== r.model ? { 'model.requested': r.model } : {}),
      provider: r.protocol,
      ...tokens(r.usage),
      latency_ms: r.latencyMs,
      cost_usd: r.costUsd,
      outcome: r.outcome,
      ...(r.error !== undefined ? { error: r.error } : {}),
    });
  };

  /** Called by the approval layer for each decision. */
  approval(a: ApprovalTrace): void {
    this.emit({
      time: new Date(Date.now() - a.latencyMs).toISOString(),
      'agent.run_id': a.runId,
      ...(a.step !== undefined ? { 'agent.step.id': a.step } : {}),
      'agent.step.type': 'approval',
      'agent.step.name': a.tool,
      tool: a.tool,
      'approval.required': a.required,
      'approval.status': a.status,
      latency_ms: a.latencyMs,
      outcome: 'ok',
    });
  }

  sandboxCommand(c: SandboxCommandTrace): void {
    this.emit({
      time: new Date(Date.now() - c.latencyMs).toISOString(),
      'agent.run_id': c.runId,
      ...(c.step !== undefined ? { 'agent.step.id': c.step } : {}),
      'agent.step.type': 'sandbox_command',
      'agent.step.name': c.command,
      tool: TOOL.runCommand,
      ...(c.sessionId !== undefined ? { 'sandbox.session_id': c.sessionId } : {}),
      latency_ms: c.latencyMs,
      outcome: c.exitCode === undefined || c.exitCode === 0 ? 'ok' : 'error',
    });
  }

  private emit(record: TraceRecord): void {
    const label = this.opts.label;
    const labelled = label ? { ...record, 'agent.kind': label.kind, ...(label.tags ? { 'agent.tags': { ...label.tags } } : {}) } : record;
    const withAgent = this.profile !== undefined && labelled['agent.name'] === undefined ? { ...labelled, 'agent.name': this.profile } : labelled;
    try {
      this.opts.write(this.opts.redact(withAgent));
    } catch {
      // A trace that cannot be written must not break the run.
    }
  }
}

/** Records carry the time a step started; events are stamped when it finished. */
function startOf(finishedIso: string, durationMs: number): string {
  const t = Date.parse(finishedIso);
  return Number.isNaN(t) ? finishedIso : new Date(t - durationMs).toISOString();
}

function tokens(u: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }) {
  return { 'tokens.input': u.inputTokens, 'tokens.output': u.outputTokens, 'tokens.cache_read': u.cacheReadTokens, 'tokens.cache_write': u.cacheWriteTokens };
}
