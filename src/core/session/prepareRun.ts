import type { RunLimits } from '../agent/limits';
import type { SkillUse } from '../agent/runResult';
import { buildSystemPrompt } from '../agent/systemPrompt';
import { ChangeSet } from '../edits/changeSet';
import { createEditTools } from '../edits/editTools';
import type { ChangeReviewer } from '../edits/review';
import { PathGuard } from '../policy/pathGuard';
import { DEFAULT_PROFILE_NAME } from '../profiles/builtinProfiles';
import { findProfile, loadProfiles } from '../profiles/loadProfiles';
import { profileAllowsSkill, profileAllowsTool, type Profile } from '../profiles/profile';
import { detectProjectContext, renderProjectSummary, type ProjectContext } from '../project/projectContext';
import { ActiveSkills } from '../skills/activeSkills';
import { loadSkills } from '../skills/loadSkills';
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

/** Thrown for a configuration mistake a person must fix (an unknown profile); front ends show the message as is. */
export class SessionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionConfigError';
  }
}

export interface PrepareRunOptions {
  root: string;
  task: string;
  /** The product's built-in `skills/` folder. */
  builtinSkillsDir: string;
  profileName?: string;
  /** Grep's searcher (ripgrep from src/adapters/search); the JS searcher when absent. */
  searcher?: TextSearcher;
  /** Reviews each proposed edit inside the tool call (the extension's diff view). */
  reviewer?: ChangeReviewer;
  /** Apply proposed edits without review (the CLI's --yes); protected paths still wait. */
  autoApproveEdits?: boolean;
  /** Extra tools from the front end (run_command, ask_user, MCP tools), filtered by the profile like the rest. */
  extraTools?: readonly AnyTool[];
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
  /** Broken skills and profiles, reported and skipped: `path: reason`. */
  problems: string[];
}

/**
 * Resolves the profile, loads and selects skills, detects the project, and builds the tool set and
 * the system prompt. The system prompt depends only on these inputs, so it is byte-stable for the run.
 */
export async function prepareRun(opts: PrepareRunOptions): Promise<PreparedRun> {
  const profiles = await loadProfiles(opts.root);
  const found = findProfile(profiles, opts.profileName ?? DEFAULT_PROFILE_NAME);
  if ('error' in found) throw new SessionConfigError(found.error);
  const profile = found.profile;

  const [loaded, project] = await Promise.all([loadSkills({ builtinDir: opts.builtinSkillsDir, workspaceRoot: opts.root }), detectProjectContext(opts.root)]);
  const catalog = loaded.skills.filter((s) => profileAllowsSkill(profile, s.name));
  const selected = selectSkills(catalog, opts.task);
  const activeSkills = new ActiveSkills(catalog, selected);

  const guard = new PathGuard(opts.root);
  const changeSet = new ChangeSet();
  const all: AnyTool[] = [
    createReadFileTool({ guard, root: opts.root }),
    createListDirTool({ guard, root: opts.root }),
    createFindFilesTool({ guard, root: opts.root }),
    createGrepTool({ guard, root: opts.root, searcher: opts.searcher }),
    ...createEditTools({ root: opts.root, guard, changeSet, reviewer: opts.reviewer, autoApprove: opts.autoApproveEdits ? () => true : undefined }),
    ...(catalog.length > 0 ? [createLoadSkillTool(activeSkills)] : []),
    ...(opts.extraTools ?? []),
  ];
  const tools = new ToolRegistry(all.filter((t) => profileAllowsTool(profile, t.name)));

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
    problems: [...loaded.problems.map((p) => `${p.path}: ${p.message}`), ...profiles.problems.map((p) => `${p.path}: ${p.message}`)],
  };
}
