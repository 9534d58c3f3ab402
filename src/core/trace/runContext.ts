import type { AgentEvent, EventSink } from '../agent/events';
import type { CallContext } from '../model/resilience/callRecord';

/**
 * Knows which run and step a model call belongs to, from the loop's own events: the loop emits
 * `model_call_started` (with the step id) synchronously before it calls the model, so the resilience
 * layer can ask for the context when an attempt starts without the ModelClient port carrying it.
 * One tracker per run (or per sequence of runs): concurrent runs on one tracker would mix steps.
 */
export class RunContextTracker {
  private ctx: CallContext = {};

  readonly sink: EventSink = (ev: AgentEvent) => {
    if (ev.type === 'run_started') this.ctx = { runId: ev.runId, profile: ev.profile, skills: ev.skills.map((s) => s.name) };
    else if (ev.type === 'model_call_started') this.ctx = { ...this.ctx, runId: ev.runId, step: ev.step };
  };

  /** Skills activated after the start (load_skill) are added here by whoever activates them. */
  addSkill(name: string): void {
    const skills = this.ctx.skills ?? [];
    if (!skills.includes(name)) this.ctx = { ...this.ctx, skills: [...skills, name] };
  }

  readonly context = (): CallContext => this.ctx;
}
