import type { EventSink } from '../agent/events';
import type { RunLimits } from '../agent/limits';
import type { SkillUse } from '../agent/runResult';
import { resolveBudgets, type BudgetChoice } from '../model/budgetChoice';
import type { ModelClient } from '../model/modelClient';
import type { ToolCall } from '../model/messages';
import { EDIT_TOOL_NAMES, TOOL } from '../../shared/toolNames';
import type { ModelFactory, OpenedModel } from '../model/modelFactory';
import type { RunLabel } from '../model/resilience/callRecord';
import type { Profile } from '../profiles/profile';
import type { ToolRegistry } from '../tools/registry';
import { prepareRun, resolveRunProfile, type PreparedRun, type PrepareRunOptions, type ResolvedProfile } from './prepareRun';

/** What the person chose for this run, from a front end's settings, pickers or flags. */
export interface RunChoice {
  root: string;
  task: string;
  /** Default: coder. */
  profileName?: string;
  /** A model picked for this run (the panel's picker, --model); else the profile's, else the gateway's configured one. */
  model?: string;
  budgets: BudgetChoice;
  /** Upper bounds on the profile's limits (the settings' maxTurns and maxTokens). */
  limitCaps?: Partial<RunLimits>;
  /** Limits that replace the profile's (--max-turns, an eval case's turns). */
  limitOverrides?: Partial<RunLimits>;
  /** Work that is not a task run (an eval attempt, a team run). */
  label?: RunLabel;
}

/** The front end's ports: everything prepareRun takes besides the choice, and the gateway. */
export interface RunPorts extends Omit<PrepareRunOptions, 'root' | 'task' | 'profileName' | 'resolvedProfile' | 'commands'> {
  /** The one gateway factory (src/adapters/gateway/gatewayFactory.ts behind a front end's configuration). */
  openModel: ModelFactory;
  /**
   * Where commands run, opened after the model: a configuration mistake stops the run before a
   * container starts. Absent: no run_command tool.
   */
  openCommands?: (profile: Profile) => Promise<PrepareRunOptions['commands']>;
}

/** runAgent's options for this run, except what belongs to one attempt (run id, history, journal, signal). */
export interface AssembledRunOptions {
  system: string;
  model: ModelClient;
  tools: ToolRegistry;
  profile: string;
  skills: { list(): SkillUse[] };
  limits: Partial<RunLimits>;
  /** The gateway's sinks (ledger context, trace); a front end appends its own after them. */
  sinks: EventSink[];
  cache: true;
  spill: { root: string };
  /** On resume, the journaled calls whose in-memory effect is rebuilt (see replayRebuild). */
  rebuildOnReplay: (call: ToolCall) => boolean;
}

export interface AssembledRun {
  options: AssembledRunOptions;
  prepared: PreparedRun;
  /** The model's name as the gateway was asked for it (absent: the gateway's configured model). */
  modelName?: string;
  /** The gateway's notices (a default cost limit that cannot apply); skipped skill and profile files are in `prepared.problems`. */
  notices: string[];
}

/**
 * The one assembly of a run, for every entry point (the panel, the CLI's run and resume, evals, team
 * workers): the profile, then a governed model for the chosen model and budgets, then the commands'
 * sandbox, then tools, skills and the system prompt (prepareRun).
 */
export async function assembleRun(choice: RunChoice, ports: RunPorts): Promise<AssembledRun> {
  const resolved = await resolveRunProfile(choice.root, choice.profileName);
  const { profile } = resolved.found;
  const modelName = choice.model ?? profile.model;
  const opened = await openModelFor(ports.openModel, { ...choice, ...(modelName !== undefined ? { model: modelName } : {}) }, resolved);
  const { openModel: _factory, openCommands, ...prepare } = ports;
  const commands = openCommands ? await openCommands(profile) : undefined;
  const prepared = await prepareRun({ ...prepare, root: choice.root, task: choice.task, resolvedProfile: resolved, ...(commands ? { commands } : {}) });
  return {
    options: {
      system: prepared.systemPrompt,
      model: opened.model,
      tools: prepared.tools,
      profile: profile.name,
      skills: prepared.activeSkills,
      limits: runLimits(prepared.limits, choice),
      sinks: [...opened.sinks],
      cache: true,
      spill: { root: choice.root },
      rebuildOnReplay: replayRebuild({ editsWrittenInCall: ports.reviewer !== undefined || ports.autoApproveEdits === true }),
    },
    prepared,
    ...(modelName !== undefined ? { modelName } : {}),
    notices: opened.notices,
  };
}

/**
 * A governed model for work outside a task run (a code review) or inside one: the budgets from the
 * choice and the profile (resolveBudgets), the model as chosen. The profile's own model is the
 * caller's to prefer (assembleRun does).
 */
export function openModelFor(openModel: ModelFactory, choice: Pick<RunChoice, 'model' | 'budgets' | 'label'>, profile: ResolvedProfile | { profile: Profile; builtIn: boolean }): Promise<OpenedModel> {
  const p = 'found' in profile ? { profile: profile.found.profile, builtIn: profile.found.source === 'built-in' } : profile;
  const { budgets, defaultRunCostUsd } = resolveBudgets(choice.budgets, { maxCostUsd: p.profile.limits.maxCostUsd, builtIn: p.builtIn });
  return openModel({
    ...(choice.model !== undefined ? { model: choice.model } : {}),
    budgets,
    ...(defaultRunCostUsd !== undefined ? { defaultRunCostUsd } : {}),
    // A labelled call outside a loop run (a review's last call) still names its profile in the ledger.
    ...(choice.label ? { label: { profile: p.profile.name, ...choice.label } } : {}),
  });
}

/**
 * The one rule for what a resumed run rebuilds: loaded skills live only in memory, so their calls run
 * again; edit proposals too when edits wait until the end of the run (the CLI without --yes). Edits
 * written inside the call (a review in the diff view, or approved by a tier) are on disk already and
 * are not proposed again. What the model sees still comes from the journal.
 */
export function replayRebuild(opts: { editsWrittenInCall: boolean }): (call: ToolCall) => boolean {
  const names: readonly string[] = opts.editsWrittenInCall ? [TOOL.loadSkill] : [TOOL.loadSkill, ...EDIT_TOOL_NAMES];
  return (call) => names.includes(call.name);
}

function runLimits(profile: Partial<RunLimits>, choice: RunChoice): Partial<RunLimits> {
  const limits: Partial<RunLimits> = { ...profile };
  for (const [key, cap] of Object.entries(choice.limitCaps ?? {}) as [keyof RunLimits, number | undefined][]) {
    if (cap !== undefined) limits[key] = Math.min(limits[key] ?? Infinity, cap);
  }
  return { ...limits, ...choice.limitOverrides };
}
