import { SessionConfigError } from './sessionConfigError';
import type { RunLimits } from '../agent/limits';
import type { SkillUse } from '../agent/runResult';
import { buildSystemPrompt } from '../agent/systemPrompt';
import { ChangeSet } from '../edits/changeSet';
import { createEditTools } from '../edits/editTools';
import type { ApplyPort, ChangeReviewer } from '../edits/proposals';
import type { ApplyOptions } from '../edits/apply';
import { PathGuard } from '../policy/pathGuard';
import { DEFAULT_PROFILE_NAME } from '../profiles/builtinProfiles';
import { findProfile, loadProfiles, type LoadedProfile, type ProfileProblem } from '../profiles/loadProfiles';
import { profileAllowsSkill, profileAllowsTool, type Profile } from '../profiles/profile';
import { detectProjectContext, renderProjectSummary, type ProjectContext } from '../project/projectContext';
import { ActiveSkills } from '../skills/activeSkills';
import { loadSkills } from '../skills/loadSkills';
import type { Skill } from '../skills/skill';
import { renderSkillsPrompt } from '../skills/renderSkillsPrompt';
import { selectSkills } from '../skills/selectSkills';
import type { AnyTool } from '../tools/defineTool';
import { createFindFilesTool } from '../tools/findFiles';
import { createGrepTool } from '../tools/grep';
import { createListDirTool } from '../tools/listDir';
import { createLoadSkillTool } from '../tools/loadSkill';
import { createReadFileTool } from '../tools/readFile';
import { ToolRegistry } from '../tools/registry';
import type { TextSearcher } from '../tools/search/textSearcher';
import type { FileLister } from '../tools/search/fileLister';
import type { Sandbox } from '../ports';
import { defaultAllowlist } from '../policy/command/allowlist';
import type { CommandPolicyConfig } from '../policy/command/policyTypes';
import { detectedCommands } from '../project/projectContext';
import { createRunCommandTool } from '../tools/runCommand';
import { createAskUserTool, unattendedAsker, type Asker } from '../tools/askUser';
import { refuseAll, withApproval, type Approver, type ApprovalOutcome } from '../policy/approvalsWrapper';
import { GrantStore } from '../policy/approvalsGrants';
import { ToolError, defineTool } from '../tools/defineTool';
import { RunCommandArgsSchema } from '../tools/runCommand';
import { createDecideCalls } from './decideCalls';
import { withToolApprovals } from '../mcp/mcpApprovals';
import type { Decision } from '../profiles/profile';
import { commandAllowlistFor } from '../policy/approvals';
import { grantsFor } from '../skills/skillGrants';
import { RunSecurity, type Taint } from '../policy/runSecurity';
import { observeResults } from './observeResults';
import { EDIT_TOOL_NAMES, TOOL } from '../../shared/toolNames';

export { SessionConfigError };

export interface PrepareRunOptions {
  root: string;
  task: string;
  /** The product's built-in `skills/` folder. */
  builtinSkillsDir: string;
  /** The built-in skills folder cannot change while this process runs (VS Code): parse it once. */
  builtinSkillsImmutable?: boolean;
  profileName?: string;
  /** The profile resolved already (assembleRun resolves it first, to choose the model): not loaded again. */
  resolvedProfile?: ResolvedProfile;
  /** An untrusted workspace: no tool that writes files is offered at all. */
  readOnly?: boolean;
  /** Grep's searcher (ripgrep from src/adapters/search); the JS searcher when absent. */
  searcher?: TextSearcher;
  /** find_files' lister (rg --files from src/adapters/search); the JS walker when absent. */
  lister?: FileLister;
  /** Reviews each proposed edit inside the tool call (the extension's diff view). */
  reviewer?: ChangeReviewer;
  /** Apply proposed edits without review: all of them (the CLI's --yes) or the paths a rule names (VS Code's settings); protected paths still wait. */
  autoApproveEdits?: boolean | ((path: string) => boolean);
  /** Writes decided edits the front end's way (the extension's WorkspaceEdit); the core's atomic writes when absent. */
  applyWith?: ApplyPort;
  /** Called around every write (the run's checkpoint records originals here, so the run can be undone). */
  applyHooks?: Pick<ApplyOptions, 'beforeWrite' | 'afterWrite'>;
  /** Extra tools from the front end (MCP tools), filtered by the profile and approved like the rest. */
  extraTools?: readonly AnyTool[];
  /** Approvals other configuration asks for, by exact tool name (mcp.json's `approval`); the profile's own overrides win. */
  toolApprovals?: Readonly<Record<string, Decision>>;
  /**
   * Where commands run. Absent: no run_command tool. `{disabled}`: the tool is there but answers with
   * the reason (Docker is down, an untrusted workspace), so the model can tell the person.
   */
  commands?: CommandSetup | { disabled: string };
  /** Asks a person about calls the approval rules mark `ask`. Default: refuse them, saying why. */
  approver?: Approver;
  /** Answers ask_user. Default: tells the model nobody can answer, so it states its assumption. */
  asker?: Asker;
  /** Standing "always allow" grants (this run, this workspace). */
  grants?: GrantStore;
  /**
   * Asked once per run with the workspace skills that grant tools or commands; answers the content
   * hashes a person trusts (approved now or before). Without it no workspace skill grants anything
   * (their instructions still load). Built-in skills always grant.
   */
  trustSkills?: (skills: readonly Skill[]) => Promise<ReadonlySet<string>>;
  /** Told about every approval decision, for events, journals and traces. */
  onApproval?: (outcome: ApprovalOutcome) => void;
  /** Told once when a tool result taints the run (instructions aimed at the agent, or credentials). */
  onTaint?: (taint: Taint) => void;
  /**
   * Wraps each tool's effect, inside the approval (team mode records it as a durable step, see
   * core/durable): what a person approves is decided before the step, and a replay never asks again.
   */
  recordEffects?: (tool: AnyTool) => AnyTool;
}

export interface CommandSetup {
  sandbox: Sandbox;
  /** Programs allowed besides the defaults for a fresh workspace (settings, the CLI's --allow). */
  allow?: readonly string[];
  /** Commands denied whatever allows them (agentHarness.commands.denied); the profile's `commands.denied` are added. */
  deny?: readonly string[];
  /** Folders with the shell grammar's .wasm files. */
  wasmDirs: readonly string[];
  localAutoAllow?: boolean;
  defaultTimeoutMs?: number;
  maxTimeoutMs?: number;
  onOutput?: (chunk: string, callId: string) => void;
}

/** Everything one run needs besides the model client, assembled the same way for the CLI and the extension. */
export interface PreparedRun {
  profile: Profile;
  profileSource: string;
  tools: ToolRegistry;
  systemPrompt: string;
  limits: Partial<RunLimits>;
  changeSet: ChangeSet;
  guard: PathGuard;
  activeSkills: ActiveSkills;
  /** The skills selected for the task, with why (more may be loaded during the run). */
  selectedSkills: SkillUse[];
  project: ProjectContext;
  /** The command policy in force (without per-call skill and profile entries); absent without commands. */
  commandPolicy?: CommandPolicyConfig;
  /** Broken skills and profiles, reported and skipped: `path: reason`. */
  problems: string[];
  /** The run's changed manifests and taint (they hold commands back for a person). */
  security: RunSecurity;
}

/** A profile found by name, with the problems of the profile files that were skipped. */
export interface ResolvedProfile {
  found: LoadedProfile;
  problems: readonly ProfileProblem[];
}

/** The named profile (default: coder), or a SessionConfigError that names the profiles there are. */
export async function resolveRunProfile(root: string, name: string | undefined): Promise<ResolvedProfile> {
  const profiles = await loadProfiles(root);
  const found = findProfile(profiles, name ?? DEFAULT_PROFILE_NAME);
  if ('error' in found) throw new SessionConfigError(found.error);
  return { found, problems: profiles.problems };
}

/**
 * Resolves the profile, loads and selects skills, detects the project, and builds the tool set and
 * the system prompt. The system prompt depends only on these inputs, so it is byte-stable for the run.
 */
export async function prepareRun(opts: PrepareRunOptions): Promise<PreparedRun> {
  const { found, problems: profileProblems } = opts.resolvedProfile ?? (await resolveRunProfile(opts.root, opts.profileName));
  const profile = withToolApprovals(found.profile, opts.toolApprovals ?? {});

  const [loaded, project] = await Promise.all([loadSkills({ builtinDir: opts.builtinSkillsDir, workspaceRoot: opts.root, builtinImmutable: opts.builtinSkillsImmutable === true }), detectProjectContext(opts.root)]);
  const catalog = loaded.skills.filter((s) => profileAllowsSkill(profile, s.name));
  const selected = selectSkills(catalog, opts.task);
  const activeSkills = new ActiveSkills(catalog, selected);
  const granting = catalog.filter((s) => s.origin === 'workspace' && (s.tools.length > 0 || s.commands.length > 0));
  const trustedHashes = granting.length > 0 && opts.trustSkills ? await opts.trustSkills(granting) : new Set<string>();
  const isTrustedSkill = (s: Skill) => s.origin === 'built-in' || trustedHashes.has(s.contentHash);

  const guard = new PathGuard(opts.root);
  const changeSet = new ChangeSet();
  const commandPolicy = opts.commands && 'sandbox' in opts.commands ? commandPolicyFor(opts.commands, project, profile) : undefined;
  const all: AnyTool[] = [
    createReadFileTool({ guard, root: opts.root }),
    createListDirTool({ guard, root: opts.root }),
    createFindFilesTool({ guard, root: opts.root, lister: opts.lister }),
    createGrepTool({ guard, root: opts.root, searcher: opts.searcher }),
    ...createEditTools({
      root: opts.root,
      guard,
      changeSet,
      reviewer: opts.reviewer,
      autoApprove: typeof opts.autoApproveEdits === 'function' ? opts.autoApproveEdits : opts.autoApproveEdits ? () => true : undefined,
      applyHooks: opts.applyHooks,
      ...(opts.applyWith ? { applyWith: opts.applyWith } : {}),
    }),
    ...(catalog.length > 0 ? [createLoadSkillTool(activeSkills)] : []),
    ...commandTools(opts.commands, commandPolicy && livePolicy(commandPolicy, profile, activeSkills, isTrustedSkill)),
    createAskUserTool(opts.asker ?? unattendedAsker()),
    ...(opts.extraTools ?? []),
  ];
  // Every tool goes through the one approval policy; a skill may grant a tool the profile leaves out.
  const security = new RunSecurity(opts.onTaint);
  const decide = createDecideCalls({ profile, guard, activeSkills, commandPolicy, grants: opts.grants, isTrustedSkill, security });
  const approver = opts.approver ?? refuseAll();
  const grants = opts.grants ?? new GrantStore();
  const skillTools = new Set(catalog.flatMap((s) => s.tools));
  const tools = new ToolRegistry(
    all
      .filter((t) => profileAllowsTool(profile, t.name) || skillTools.has(t.name))
      .filter((t) => !opts.readOnly || !(EDIT_TOOL_NAMES as readonly string[]).includes(t.name))
      .map((t) => withApproval(observeResults(opts.recordEffects ? opts.recordEffects(t) : t, security), decide, approver, { grants, onOutcome: opts.onApproval })),
  );

  const systemPrompt = buildSystemPrompt({
    profilePrompt: profile.systemPrompt,
    projectSummary: renderProjectSummary(project),
    skillsSection: catalog.length > 0 ? renderSkillsPrompt(catalog, selected) : undefined,
  });
  const { maxTurns, maxToolCalls, maxTokens } = profile.limits;
  return {
    profile,
    profileSource: found.source,
    tools,
    systemPrompt,
    limits: { ...(maxTurns ? { maxTurns } : {}), ...(maxToolCalls ? { maxToolCalls } : {}), ...(maxTokens ? { maxTokens } : {}) },
    changeSet,
    guard,
    activeSkills,
    selectedSkills: activeSkills.list(),
    project,
    commandPolicy,
    problems: [...loaded.problems.map((p) => `${p.path}: ${p.message}`), ...profileProblems.map((p) => `${p.path}: ${p.message}`)],
    security,
  };
}

function commandPolicyFor(setup: CommandSetup, project: ProjectContext, profile: Profile): CommandPolicyConfig {
  return {
    mode: setup.sandbox.mode,
    allow: [...defaultAllowlist(detectedCommands(project)), ...(setup.allow ?? [])],
    deny: [...new Set([...(setup.deny ?? []), ...profile.commands.denied])],
    localAutoAllow: setup.localAutoAllow,
    wasmDirs: setup.wasmDirs,
  };
}

/**
 * The policy run_command checks against, with the profile's and the active skills' entries read at
 * call time, so its own verdict (and the reason it reports) matches what the approval rules decided.
 */
function livePolicy(base: CommandPolicyConfig, profile: Profile, active: ActiveSkills, isTrusted: (s: Skill) => boolean): CommandPolicyConfig {
  return {
    ...base,
    get allow() {
      return [...base.allow, ...commandAllowlistFor(profile, grantsFor(active, { isTrusted }))];
    },
  };
}

function commandTools(setup: PrepareRunOptions['commands'], policy: CommandPolicyConfig | undefined): AnyTool[] {
  if (!setup) return [];
  if ('disabled' in setup) {
    const why = setup.disabled;
    return [
      defineTool({
        name: TOOL.runCommand,
        description: `Commands are disabled for this run: ${why}`,
        kind: 'command',
        schema: RunCommandArgsSchema,
        run: async () => {
          throw new ToolError(`Commands are disabled for this run: ${why}. Tell the user what you would have run.`);
        },
      }),
    ];
  }
  return [
    createRunCommandTool({
      policy: policy!,
      sandbox: setup.sandbox,
      // The approval wrapper has already asked about this exact command when the policy said ask.
      approve: async () => ({ approved: true }),
      defaultTimeoutMs: setup.defaultTimeoutMs ?? 120_000,
      maxTimeoutMs: setup.maxTimeoutMs ?? 600_000,
      onOutput: setup.onOutput,
    }),
  ];
}
