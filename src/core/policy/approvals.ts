import type { ToolKind } from '../tools/defineTool';
import { matchesCommandPattern } from '../profiles/commandPattern';
import { profileAllowsTool, toolApprovalOverride, type Decision, type Profile } from '../profiles/profile';
import type { SkillGrants } from '../skills/skillGrants';
import { approvalKey, commandSubjectKey, type GrantScope, type GrantStore, type GrantSubject } from './approvalsGrants';
import { PERSON_ONLY_KINDS, type AskKind } from './askKinds';
import type { Risk } from './command/policyTypes';

/** A path guard verdict for one path the call touches (see pathGuard.ts). */
export interface PathCheck {
  /** Workspace-relative path as shown to the person. */
  path: string;
  verdict: Decision;
  reason: string;
  /** For an ask: a protected write or a credentials read. */
  risk?: 'protected' | 'secret';
}

/** The command policy's verdict for the command a call would run (see policy/command/policyTypes.ts). */
export interface CommandCheck {
  commandLine: string;
  verdict: Decision;
  reasons: readonly string[];
  segments: readonly { argv: readonly string[]; joiner?: string; verdict: Decision; reason: string; risks?: readonly Risk[]; capability?: 'code' | 'network' }[];
  /** The kinds of risk behind an ask or deny (absent: code, so nothing is auto-approved by mistake). */
  risks?: readonly Risk[];
}

/** Something beyond the policy holds a call back for a person: a manifest the run changed, a tainted run. */
export interface Hold {
  reason: string;
  kind: AskKind;
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
  /** Holds from the run's state (runSecurity.ts); each makes the call ask, for a person only. */
  holds?: readonly Hold[];
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
  /** For an ask: the kinds of risk behind it (auto-approval tiers decide by these). */
  kinds?: AskKind[];
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

  // Hard asks: no standing grant covers them. Soft asks: an "always allow" may.
  const hardAsks: string[] = [];
  const softAsks: string[] = [];
  const kinds = new Set<AskKind>();
  const hard = (reason: string, kind: AskKind) => (hardAsks.push(reason), kinds.add(kind));
  const soft = (reason: string, kind: AskKind) => (softAsks.push(reason), kinds.add(kind));
  if (tool.destructive) hard(`${tool.name} is flagged destructive, so every call needs approval`, 'destructive');
  for (const p of input.paths ?? []) if (p.verdict === 'ask') hard(`${p.path}: ${p.reason}`, p.risk ?? 'protected');
  if (tool.kind === 'command' && input.command === undefined) hard('the command policy gave no verdict for this call', 'code');
  if (input.command?.verdict === 'ask') {
    const reasons = policyReasons(input.command);
    const risks: readonly AskKind[] = input.command.risks && input.command.risks.length > 0 ? input.command.risks : ['code'];
    // An "always allow" never covers what only a person may approve, nor anything in local mode.
    const grantable = !risks.some((r) => PERSON_ONLY_KINDS.has(r)) && profile.sandbox !== 'local' && !risks.includes('local');
    for (const r of risks) kinds.add(r);
    (grantable ? softAsks : hardAsks).push(...reasons);
  }
  for (const h of input.holds ?? []) hard(h.reason, h.kind);
  if (point === 'ask') soft(override ? `${who} asks before ${tool.name}` : `${who} asks before ${tool.kind} tools`, tool.kind === 'write' ? 'write' : tool.kind === 'command' ? 'unlisted' : 'tool');

  const subject: GrantSubject = input.command ? { tool: tool.name, command: commandSubjectKey(input.command.segments) } : { tool: tool.name };
  const askKinds = [...kinds].sort();
  if (hardAsks.length > 0) return { decision: 'ask', reasons: [...hardAsks, ...softAsks], key, grantScopes: [], kinds: askKinds };
  if (softAsks.length > 0) {
    const grant = input.grants?.match(subject);
    if (grant) return { decision: 'allow', reasons: [`allowed by your "always allow" grant for this ${grant.scope}`], key, grantScopes: [] };
    return { decision: 'ask', reasons: softAsks, key, grantScopes: ALL_SCOPES, grantSubject: subject, kinds: askKinds };
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
