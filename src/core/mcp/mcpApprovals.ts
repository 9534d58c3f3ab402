import { toolApprovalOverride, type Decision, type Profile } from '../profiles/profile';
import type { McpServerConfig } from './mcpConfig';

/**
 * The decision mcp.json asks for one of a server's tools: its per-tool entry, else the server's
 * `approval`, else none (the profile's point for `external` tools applies, `ask` by default).
 */
export function configuredDecision(config: McpServerConfig, originalToolName: string): Decision | undefined {
  return Object.hasOwn(config.tools, originalToolName) ? config.tools[originalToolName] : config.approval;
}

/**
 * A profile with mcp.json's approvals added as exact per-tool overrides, for the one approval policy
 * (decideApproval) to apply like any other. The profile stays in charge: its own override for a tool
 * (exact or `prefix*`) wins, and a profile that denies external tools is not loosened by a server's
 * `allow` or `ask`. Floors still hold: a tool flagged destructive asks every time.
 */
export function withToolApprovals(profile: Profile, approvals: Readonly<Record<string, Decision>>): Profile {
  const added: Record<string, Decision> = {};
  for (const [name, decision] of Object.entries(approvals)) {
    if (toolApprovalOverride(profile, name) !== undefined) continue;
    if (profile.approvals.external === 'deny' && decision !== 'deny') continue;
    added[name] = decision;
  }
  if (Object.keys(added).length === 0) return profile;
  return { ...profile, approvals: { ...profile.approvals, tools: { ...profile.approvals.tools, ...added } } };
}
