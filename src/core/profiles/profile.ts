import { z } from 'zod';
import { denyEntryProblem } from '../policy/command/denyRules';
import { CommandPatternSchema } from './commandPattern';

export const DecisionSchema = z.enum(['allow', 'ask', 'deny']);
/** What the approval rules decide for one tool call. */
export type Decision = z.infer<typeof DecisionSchema>;

const ToolNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,128}\*?$/, 'a tool name is letters, digits, "_", "." or "-", optionally ending in "*" to match a prefix (e.g. "github.*")');

/**
 * Where the agent pauses for a person, per tool kind, with per-tool overrides. These are the profile's
 * wishes; the approval rules apply them on top of fixed floors (a destructive tool, a protected path and
 * a command the policy marked `ask` always ask; a `deny` from the path guard or command policy always denies).
 */
export const ApprovalPointsSchema = z.strictObject({
  /** Reading files and searching. */
  read: DecisionSchema.default('allow'),
  /** Proposing file edits. Edits are proposals a person reviews as diffs before anything is written. */
  write: DecisionSchema.default('allow'),
  /** Running commands: `allow` defers to the command policy's verdict; `ask` asks for every command. */
  command: DecisionSchema.default('allow'),
  /** Tools that reach outside the workspace (MCP servers, the network). */
  external: DecisionSchema.default('ask'),
  /** Asking the user a question. */
  interaction: DecisionSchema.default('allow'),
  /** Per-tool overrides by name, or by `prefix*` (the longest matching prefix wins over a shorter one, an exact name over both). They cannot lift a floor. */
  tools: z.record(ToolNameSchema, DecisionSchema).default({}),
});
export type ApprovalPoints = z.infer<typeof ApprovalPointsSchema>;

export const ProfileLimitsSchema = z.strictObject({
  maxTurns: z.number().int().positive().max(10_000).optional(),
  maxToolCalls: z.number().int().positive().max(100_000).optional(),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().max(10_000).optional(),
});
export type ProfileLimits = z.infer<typeof ProfileLimitsSchema>;

export const ProfileNameSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'a profile name is lowercase letters, digits, "-" and "_" (e.g. "release-notes")')
  .max(64, 'a profile name is at most 64 characters');

/** A model is referred to by name; the gateway holds the credentials. */
export const ModelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/, 'a model is a name such as "gpt-4.1-mini" or "claude-sonnet-4-5", not a URL or a key')
  .refine((s) => !s.includes('://'), 'a model is a name such as "gpt-4.1-mini" or "claude-sonnet-4-5", not a URL or a key');

/**
 * One agent, as configuration. Fields left out take the defaults below; `tools` and `skills` left out
 * mean "everything available".
 */
export const ProfileSchema = z.strictObject({
  name: ProfileNameSchema,
  description: z.string().trim().max(300).default(''),
  /** Omitted: the gateway's default model (AGENT_HARNESS_MODEL or the setting). */
  model: ModelNameSchema.optional(),
  /** Who this agent is and how it works; empty means the harness's base instructions. */
  systemPrompt: z.string().max(20_000).default(''),
  /** Tools this agent may use; omitted means every registered tool. Active skills may add theirs. */
  tools: z.array(ToolNameSchema).max(200).optional(),
  /** Skills this agent may use, by name; omitted means every available skill, [] means none. */
  skills: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a skill name is lowercase letters, digits and hyphens')).max(200).optional(),
  /** Extra commands the command policy allows for this agent ("npm run lint"); built-in argument rules still apply. */
  commandAllowlist: z.array(CommandPatternSchema).max(200).default([]),
  /** Commands this agent never runs, whatever allows them ("git push", "rm -rf", "npm publish*"); see denyRules.ts. */
  commands: z
    .strictObject({
      denied: z
        .array(
          z.string().superRefine((entry, ctx) => {
            const problem = denyEntryProblem(entry);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        )
        .max(200)
        .default([]),
    })
    .default({ denied: [] }),
  sandbox: z.enum(['container', 'local']).default('container'),
  limits: ProfileLimitsSchema.default({}),
  approvals: ApprovalPointsSchema.default(ApprovalPointsSchema.parse({})),
});
export type Profile = z.infer<typeof ProfileSchema>;
/** A profile as written in a file, before defaults. */
export type ProfileInput = z.input<typeof ProfileSchema>;

/** True when the profile enables this tool by exact name or by a `prefix*` entry. */
export function profileAllowsTool(profile: Profile, toolName: string): boolean {
  if (profile.tools === undefined) return true;
  return profile.tools.some((t) => (t.endsWith('*') ? toolName.startsWith(t.slice(0, -1)) : t === toolName));
}

/** True when the profile lets the run use this skill. */
export function profileAllowsSkill(profile: Profile, skillName: string): boolean {
  return profile.skills === undefined || profile.skills.includes(skillName);
}

/** The profile's per-tool approval override for this tool: exact name first, then the longest `prefix*`. */
export function toolApprovalOverride(profile: Profile, toolName: string): Decision | undefined {
  const table = profile.approvals.tools;
  if (Object.hasOwn(table, toolName)) return table[toolName];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (key.endsWith('*') && toolName.startsWith(key.slice(0, -1)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}
