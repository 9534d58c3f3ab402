import type { RunLimits } from '../core/agent/limits';
import type { SkillUse } from '../core/agent/runResult';
import type { ChangeSet } from '../core/edits/changeSet';
import type { ApprovalOutcome, Approver } from '../core/policy/approvalsWrapper';
import type { GrantStore } from '../core/policy/approvalsGrants';
import type { Sandbox } from '../core/ports';
import { prepareRun } from '../core/session/prepareRun';
import type { Asker } from '../core/tools/askUser';
import { ToolRegistry } from '../core/tools/registry';
import type { TextSearcher } from '../core/tools/search/textSearcher';
import type { ExtensionSettings } from './extensionSettings';
import type { Taint } from '../core/policy/runSecurity';
import type { Skill } from '../core/skills/skill';
import type { FileChange } from '../core/edits/changeSet';
import type { ApplyPort, FileDecision } from '../core/edits/review';
import type { AnyTool } from '../core/tools/defineTool';
import type { Decision } from '../core/profiles/profile';
import { EDIT_TOOL_NAMES } from '../shared/toolNames';

/** Tools that change the workspace; an untrusted workspace does not get them at all. */
export const EDIT_TOOLS = EDIT_TOOL_NAMES;

export interface RunSessionOptions {
  root: string;
  task: string;
  settings: ExtensionSettings;
  trusted: boolean;
  builtinSkillsDir: string;
  wasmDirs: readonly string[];
  searcher?: TextSearcher;
  /** The sandbox for run_command, or why commands are off (no Docker, untrusted, …). */
  sandbox: { ok: true; sandbox: Sandbox } | { ok: false; message: string };
  /** The diff view: shows one proposed file and resolves with the person's decisions ([] when the run stops). */
  reviewFile(file: FileChange, signal: AbortSignal | undefined): Promise<FileDecision[]>;
  /** Writes decided files through the editor (a WorkspaceEdit, so its Undo works). */
  applyWith: ApplyPort;
  /** Asks the person about calls the approval rules mark `ask` (commands, protected files). */
  approver: Approver;
  asker: Asker;
  grants?: GrantStore;
  onApproval?: (outcome: ApprovalOutcome) => void;
  /** Streamed command output, for the panel's card and the output channel. */
  onCommandOutput?: (chunk: string, callId: string) => void;
  /** Told once when a tool result taints the run. */
  onTaint?: (taint: Taint) => void;
  /** Asks the person to trust workspace skills that grant tools or commands (only in a trusted workspace). */
  trustSkills?: (skills: readonly Skill[]) => Promise<ReadonlySet<string>>;
  /** Matches the workspace-relative paths whose edits apply without review (agentHarness.approvals.autoApproveEdits). */
  autoApprove?: (path: string) => boolean;
  /** MCP tools from the workspace's mcp.json, approved like the rest. */
  extraTools?: readonly AnyTool[];
  /** Approvals mcp.json configures per tool. */
  toolApprovals?: Readonly<Record<string, Decision>>;
}

export interface RunSession {
  tools: ToolRegistry;
  systemPrompt: string;
  profileName: string;
  limits: Partial<RunLimits>;
  /** The profile's cost budget per run, if it sets one (a run budget of the gateway). */
  maxCostUsd?: number;
  /** The profile is a built-in one: its cost limit is a default, dropped (with a notice) for a model without a price. */
  profileIsBuiltIn: boolean;
  changeSet: ChangeSet;
  skillsUsed: () => SkillUse[];
  selectedSkills: SkillUse[];
  /** Things the person should know before the run (commands disabled, skipped skills). */
  notices: string[];
}

/**
 * The extension's composition root for one run, without `vscode`: the core's shared run preparation
 * (profile, skills, project, tools, approval rules, command policy and sandbox), then the extension's
 * own wiring: edits reviewed in the diff view and applied through the editor, and nothing that writes
 * when the workspace is not trusted.
 */
export async function buildRunSession(opts: RunSessionOptions): Promise<RunSession> {
  const notices: string[] = [];
  const commandsOff = !opts.trusted ? 'this workspace is not trusted' : !opts.sandbox.ok ? opts.sandbox.message : undefined;
  const prepared = await prepareRun({
    root: opts.root,
    task: opts.task,
    builtinSkillsDir: opts.builtinSkillsDir,
    builtinSkillsImmutable: true,
    profileName: opts.settings.profile,
    searcher: opts.searcher,
    commands:
      commandsOff === undefined && opts.sandbox.ok
        ? { sandbox: opts.sandbox.sandbox, allow: opts.settings['commands.allowed'], deny: opts.settings['commands.denied'], wasmDirs: opts.wasmDirs, ...(opts.onCommandOutput ? { onOutput: opts.onCommandOutput } : {}) }
        : { disabled: commandsOff ?? 'commands are off' },
    approver: opts.approver,
    asker: opts.asker,
    grants: opts.grants,
    ...(opts.trusted && opts.trustSkills ? { trustSkills: opts.trustSkills } : {}),
    onApproval: opts.onApproval,
    ...(opts.onTaint ? { onTaint: opts.onTaint } : {}),
    ...(opts.extraTools ? { extraTools: opts.extraTools } : {}),
    ...(opts.toolApprovals ? { toolApprovals: opts.toolApprovals } : {}),
    // The core's review port, implemented with the diff view; paths the settings auto-approve skip it.
    reviewer: async ({ files, signal }) => {
      const decisions: FileDecision[] = [];
      for (const f of files) decisions.push(...(await opts.reviewFile(f, signal)));
      return decisions;
    },
    applyWith: opts.applyWith,
    ...(opts.autoApprove ? { autoApproveEdits: opts.autoApprove } : {}),
  });
  for (const p of prepared.problems) notices.push(`Skipped ${p}`);
  if (opts.trusted && commandsOff !== undefined) notices.push(`Commands are off for this run: ${commandsOff}.`);
  if (!opts.trusted) notices.push('This workspace is not trusted: the agent can read and answer, but it cannot write files or run commands.');

  const { changeSet } = prepared;
  const tools = prepared.tools.list().filter((t) => opts.trusted || !(EDIT_TOOLS as readonly string[]).includes(t.name));

  const limits: Partial<RunLimits> = {
    ...prepared.limits,
    maxTurns: Math.min(prepared.limits.maxTurns ?? Infinity, opts.settings['limits.maxTurns']),
    maxTokens: Math.min(prepared.limits.maxTokens ?? Infinity, opts.settings['limits.maxTokens']),
  };
  return {
    tools: new ToolRegistry(tools),
    systemPrompt: prepared.systemPrompt,
    profileName: prepared.profile.name,
    limits,
    ...(prepared.profile.limits?.maxCostUsd !== undefined ? { maxCostUsd: prepared.profile.limits.maxCostUsd } : {}),
    profileIsBuiltIn: prepared.profileSource === 'built-in',
    changeSet,
    skillsUsed: () => prepared.activeSkills.list(),
    selectedSkills: prepared.selectedSkills,
    notices,
  };
}
