import { z } from 'zod';
import type { AgentEvent, EventSink } from '../agent/events';
import type { CallContext, RunLabel } from '../model/resilience/callRecord';
import { TOOL } from '../../shared/toolNames';

const LoadSkillArgsSchema = z.object({ name: z.string().min(1) });

/**
 * Knows which run and step a model call belongs to, from the loop's own events: the loop emits
 * `model_call_started` (with the step id) synchronously before it calls the model, so the resilience
 * layer can ask for the context when an attempt starts without the ModelClient port carrying it.
 * One tracker per run (or per sequence of runs): concurrent runs on one tracker would mix steps.
 */
export class RunContextTracker {
  private ctx: CallContext;
  private readonly loading = new Map<string, string>();

  constructor(private readonly label?: RunLabel) {
    this.ctx = this.labelled({});
  }

  private labelled(ctx: CallContext): CallContext {
    if (!this.label) return ctx;
    return { ...(this.label.profile ? { profile: this.label.profile } : {}), ...ctx, kind: this.label.kind, ...(this.label.tags ? { tags: this.label.tags } : {}) };
  }

  readonly sink: EventSink = (ev: AgentEvent) => {
    if (ev.type === 'run_started') this.ctx = this.labelled({ runId: ev.runId, profile: ev.profile, skills: ev.skills.map((s) => s.name) });
    else if (ev.type === 'model_call_started') this.ctx = { ...this.ctx, runId: ev.runId, step: ev.step };
    else if (ev.type === 'tool_call_started' && ev.name === TOOL.loadSkill) {
      // A skill loaded mid-run is active for the calls after it; its name is in the call's arguments.
      const args = parseArgs(ev.arguments);
      if (args) this.loading.set(ev.callId, args.name);
    } else if (ev.type === 'tool_call_finished' && ev.name === TOOL.loadSkill) {
      const name = this.loading.get(ev.callId);
      this.loading.delete(ev.callId);
      if (name && !ev.isError) this.addSkill(name);
    }
  };

  /** Skills activated after the start (load_skill) are added here by whoever activates them. */
  addSkill(name: string): void {
    const skills = this.ctx.skills ?? [];
    if (!skills.includes(name)) this.ctx = { ...this.ctx, skills: [...skills, name] };
  }

  readonly context = (): CallContext => this.ctx;
}

function parseArgs(text: string): { name: string } | undefined {
  try {
    const parsed = LoadSkillArgsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
