import type { SkillUse } from '../../core/agent/runResult';
import type { ChangeSet } from '../../core/edits/changeSet';
import type { BudgetChoice } from '../../core/model/budgetChoice';
import type { ModelFactory } from '../../core/model/modelFactory';
import type { ApprovalOutcome, Approver } from '../../core/policy/approvalsWrapper';
import type { GrantStore } from '../../core/policy/approvalsGrants';
import type { Sandbox } from '../../core/ports';
import { assembleRun, type AssembledRunOptions } from '../../core/session/assembleRun';
import type { Asker } from '../../core/tools/askUser';
import { asSettingsError } from '../gateway/gatewayHost';
import type { TextSearcher } from '../../core/tools/search/textSearcher';
import type { ExtensionSettings } from '../gateway/extensionSettings';
import type { Taint } from '../../core/policy/runSecurity';
import type { Skill } from '../../core/skills/skill';
import type { FileChange } from '../../core/edits/changeSet';
import type { ApplyPort, FileDecision } from '../../core/edits/proposals';
import type { AnyTool } from '../../core/tools/defineTool';
import type { Decision } from '../../core/profiles/profile';

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
  /** The window's gateway factory (GatewayHost.modelFactory). */
  openModel: ModelFactory;
  /** The model picked in the panel; else the profile's, else the settings'. */
  model?: string;
  budgets: BudgetChoice;
}

export interface RunSession {
  /** runAgent's options besides the run id, task, history, journal and signal; the panel's sinks go after `run.sinks`. */
  run: AssembledRunOptions;
  changeSet: ChangeSet;
  selectedSkills: SkillUse[];
  /** Things the person should know before the run (commands disabled, skipped skills, a cost limit that cannot apply). */
  notices: string[];
}

/**
 * The extension's ports for the core's one run assembly (assembleRun), without `vscode`: edits
 * reviewed in the diff view and applied through the editor, the panel's prompts, the window's
 * gateway, and nothing that writes when the workspace is not trusted.
 */
export async function buildRunSession(opts: RunSessionOptions): Promise<RunSession> {
  const commandsOff = !opts.trusted ? 'this workspace is not trusted' : !opts.sandbox.ok ? opts.sandbox.message : undefined;
  let assembled;
  try {
    assembled = await assembleRun(
      {
        root: opts.root,
        task: opts.task,
        profileName: opts.settings.profile,
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        budgets: opts.budgets,
        // The settings bound the profile's limits.
        limitCaps: { maxTurns: opts.settings['limits.maxTurns'], maxTokens: opts.settings['limits.maxTokens'] },
      },
      {
        openModel: opts.openModel,
        openCommands: async () =>
          commandsOff === undefined && opts.sandbox.ok
            ? { sandbox: opts.sandbox.sandbox, allow: opts.settings['commands.allowed'], deny: opts.settings['commands.denied'], wasmDirs: opts.wasmDirs, ...(opts.onCommandOutput ? { onOutput: opts.onCommandOutput } : {}) }
            : { disabled: commandsOff ?? 'commands are off' },
        builtinSkillsDir: opts.builtinSkillsDir,
        builtinSkillsImmutable: true,
        readOnly: !opts.trusted,
        searcher: opts.searcher,
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
      },
    );
  } catch (e) {
    throw asSettingsError(e);
  }
  const notices = assembled.notices.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}.`);
  for (const p of assembled.prepared.problems) notices.push(`Skipped ${p}`);
  if (opts.trusted && commandsOff !== undefined) notices.push(`Commands are off for this run: ${commandsOff}.`);
  if (!opts.trusted) notices.push('This workspace is not trusted: the agent can read and answer, but it cannot write files or run commands.');
  return { run: assembled.options, changeSet: assembled.prepared.changeSet, selectedSkills: assembled.prepared.selectedSkills, notices };
}
