import type { PathGuard } from '../policy/pathGuard';
import { commandAllowlistFor, decideApproval, type CommandCheck, type PathCheck } from '../policy/approvals';
import type { GrantStore } from '../policy/approvalsGrants';
import type { DecideFn } from '../policy/approvalsWrapper';
import { checkCommand } from '../policy/command/checkCommand';
import type { CommandPolicyConfig } from '../policy/command/policyTypes';
import type { Profile } from '../profiles/profile';
import type { ActiveSkills } from '../skills/activeSkills';
import { grantsFor } from '../skills/skillGrants';
import type { RunSecurity } from '../policy/runSecurity';
import type { Skill } from '../skills/skill';

export interface DecideCallsOptions {
  profile: Profile;
  guard: PathGuard;
  activeSkills: ActiveSkills;
  /** The command policy without the profile's and the active skills' entries, which are added per call. */
  commandPolicy?: CommandPolicyConfig;
  grants?: GrantStore;
  /** Whether a workspace skill's grants apply (a person approved its content). */
  isTrustedSkill?: (skill: Skill) => boolean;
  /** The run's manifests and taint, which hold commands back for a person. */
  security?: RunSecurity;
}

/**
 * The decide function the approval wrapper calls for every tool call: it gathers the path guard's and
 * the command policy's verdicts for what the call touches, and hands them with the profile, the active
 * skills' grants and the standing grants to the one approval policy (decideApproval).
 */
export function createDecideCalls(opts: DecideCallsOptions): DecideFn {
  return async (tool, args) => {
    const skillGrants = grantsFor(opts.activeSkills, { isTrusted: opts.isTrustedSkill });
    const a = (args ?? {}) as Record<string, unknown>;
    const paths: PathCheck[] = [];
    if (typeof a.path === 'string' && (tool.kind === 'read' || tool.kind === 'write')) {
      const access = tool.kind === 'write' ? 'write' : 'read';
      const v = await opts.guard.check(a.path, access);
      paths.push({ path: v.relative || a.path, verdict: v.verdict, reason: v.reason, risk: access === 'write' ? 'protected' : 'secret' });
    }
    if (tool.kind === 'command' && typeof a.cwd === 'string') {
      const v = await opts.guard.check(a.cwd, 'read');
      if (v.verdict === 'deny') paths.push({ path: a.cwd, verdict: 'deny', reason: `the working directory ${v.reason}` });
    }
    let command: CommandCheck | undefined;
    if (tool.kind === 'command' && typeof a.command === 'string' && opts.commandPolicy) {
      const allow = [...opts.commandPolicy.allow, ...commandAllowlistFor(opts.profile, skillGrants)];
      const v = await checkCommand(a.command, { ...opts.commandPolicy, allow });
      command = { commandLine: a.command, verdict: v.verdict, reasons: v.reasons, risks: v.risks, segments: v.segments };
    }
    const holds = command && opts.security ? opts.security.holds(command) : [];
    return decideApproval({ tool, args, profile: opts.profile, paths, command, skillGrants, grants: opts.grants, holds });
  };
}
