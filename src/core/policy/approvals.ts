import type { ToolKind } from '../tools/defineTool';
import { matchesCommandPattern } from '../profiles/commandPattern';
import { profileAllowsTool, toolApprovalOverride, type Decision, type Profile } from '../profiles/profile';
import type { SkillGrants } from '../skills/skillGrants';
import { approvalKey, commandSubjectKey, type GrantScope, type GrantStore, type GrantSubject } from './approvalsGrants';

/** A path guard verdict for one path the call touches (see pathGuard.ts). */
export interface PathCheck {
  /** Workspace-relative path as shown to the person. */
  path: string;
  verdict: Decision;
  reason: string;
}

/** The command policy's verdict for the command a call would run (see policy/command/policyTypes.ts). */
export interface CommandCheck {
  commandLine: string;
  verdict: Decision;
  reasons: readonly string[];
  segments: readonly { argv: readonly string[]; joiner?: string; verdict: Decision; reason: string }[];
  /**
   * False only when the policy is sure an `ask` is not about running code (an unknown but inert
   * program, for example). Undefined counts as true: an "always allow" must never cover code execution.
   */
  codeExecution?: boolean;
}

export interface ApprovalInput {
  tool: { name: string; kind: ToolKind; destructive?: boolean };
  /** The validated arguments of the call. */
  args: unknown;
  profile: Profile;
  paths?: readonly PathCheck[];
  /** Required for tools of kind `command`; missing means ask, never allow. */
  command?: CommandCheck;
  /** Grants from the skills active right now. */
  skillGrants?: SkillGrants;
  /** The user's standing "always allow" grants. */
  grants?: GrantStore;
  /** Hash of the content the person will be shown beyond the arguments (new file text, a diff). */
  contentHash?: string;
}

export interface ApprovalDecision {
  decision: Decision;
  /** Why, one sentence per cause: shown to the person when asking and to the model when denied. */
  reasons: string[];
  /** Binds an approval to exactly this tool, arguments and content (see approvalKey). */
  key: string;
  /** The scopes an "always allow" may use for this call; empty when only this one call can be approved. */
  grantScopes: GrantScope[];
  /** What an "always allow" would cover, when grantScopes is not empty. */
  grantSubject?: GrantSubject;
}

const ALL_SCOPES: GrantScope[] = ['run', 'workspace'];

/**
 * The one place that decides allow, ask or deny for a tool call. In order:
 * 1. deny when the profile does not enable the tool (and no active skill grants it), when the profile
 *    denies the tool or its kind, or when the path guard or the command policy denies;
 * 2. ask, and never covered by a standing grant: a tool flagged destructive, a protected path, a command
 *    the policy marked `ask` for code execution (or any command `ask` in local mode), a command tool
 *    called without a policy verdict;
 * 3. ask, coverable by a standing grant: the profile's approval point for the tool or its kind, and
 *    command-policy asks that are not about running code;
 * 4. otherwise allow, saying what allowed it (the profile, a skill, the command policy).
 */
export function decideApproval(input: ApprovalInput): ApprovalDecision {
  const { tool, profile } = input;
  const key = approvalKey(tool.name, input.args, input.contentHash);
  const deny = (reasons: string[]): ApprovalDecision => ({ decision: 'deny', reasons, key, grantScopes: [] });
  const who = `profile '${profile.name}'`;

  const skillToolGrant = profileAllowsTool(profile, tool.name) ? undefined : input.skillGrants?.explanation(tool.name);
  if (!profileAllowsTool(profile, tool.name) && skillToolGrant === undefined) {
    return deny([`tool ${tool.name} is not enabled in ${who}`]);
  }
  const override = toolApprovalOverride(profile, tool.name);
  const point: Decision = override ?? profile.approvals[tool.kind];
  if (point === 'deny') {
    return deny([override ? `${who} denies tool ${tool.name}` : `${who} does not allow ${tool.kind} tools (${tool.name})`]);
  }
  const deniedPaths = (input.paths ?? []).filter((p) => p.verdict === 'deny');
  if (deniedPaths.length > 0) return deny(deniedPaths.map((p) => `${p.path}: ${p.reason}`));
  if (input.command?.verdict === 'deny') return deny(policyReasons(input.command));

  const hardAsks: string[] = [];
  const softAsks: string[] = [];
  if (tool.destructive) hardAsks.push(`${tool.name} is flagged destructive, so every call needs approval`);
  for (const p of input.paths ?? []) if (p.verdict === 'ask') hardAsks.push(`${p.path}: ${p.reason}`);
  if (tool.kind === 'command' && input.command === undefined) hardAsks.push('the command policy gave no verdict for this call');
  if (input.command?.verdict === 'ask') {
    const reasons = policyReasons(input.command);
    const grantable = input.command.codeExecution === false && profile.sandbox !== 'local';
    (grantable ? softAsks : hardAsks).push(...reasons);
  }
  if (point === 'ask') softAsks.push(override ? `${who} asks before ${tool.name}` : `${who} asks before ${tool.kind} tools`);

  const subject: GrantSubject = input.command ? { tool: tool.name, command: commandSubjectKey(input.command.segments) } : { tool: tool.name };
  if (hardAsks.length > 0) return { decision: 'ask', reasons: [...hardAsks, ...softAsks], key, grantScopes: [] };
  if (softAsks.length > 0) {
    const grant = input.grants?.match(subject);
    if (grant) return { decision: 'allow', reasons: [`allowed by your "always allow" grant for this ${grant.scope}`], key, grantScopes: [] };
    return { decision: 'ask', reasons: softAsks, key, grantScopes: ALL_SCOPES, grantSubject: subject };
  }
  return { decision: 'allow', reasons: allowReasons(input, override, skillToolGrant), key, grantScopes: [] };
}

function policyReasons(command: CommandCheck): string[] {
  return command.reasons.length > 0 ? [...command.reasons] : [`the command policy says ${command.verdict} for: ${command.commandLine}`];
}

function allowReasons(input: ApprovalInput, override: Decision | undefined, skillToolGrant: string | undefined): string[] {
  const who = `profile '${input.profile.name}'`;
  const reasons: string[] = [];
  if (skillToolGrant) reasons.push(`${input.tool.name}: ${skillToolGrant}`);
  else if (override === 'allow') reasons.push(`${who} allows ${input.tool.name}`);
  else reasons.push(`${who} allows ${input.tool.kind} tools`);
  if (input.command) {
    // Name the skill behind a command the profile's own allowlist would not have covered.
    for (const seg of input.command.segments) {
      const bySkill = input.skillGrants?.explanation(seg.argv);
      const byProfile = input.profile.commandAllowlist.some((p) => matchesCommandPattern(p, seg.argv));
      if (bySkill && !byProfile) reasons.push(`${seg.argv.join(' ')}: ${bySkill}`);
    }
    reasons.push(...policyReasons(input.command));
  }
  return reasons;
}

/**
 * The allowlist to give the command policy for the next call: the profile's entries plus the commands
 * of the skills active right now. The policy still applies its argument rules to every entry, which is
 * why grants extend its allowlist instead of overriding its verdict here.
 */
export function commandAllowlistFor(profile: Profile, skillGrants?: SkillGrants): string[] {
  return [...new Set([...profile.commandAllowlist, ...(skillGrants?.commands ?? [])])];
}
