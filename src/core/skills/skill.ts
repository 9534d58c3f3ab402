import { z } from 'zod';
import { CommandPatternSchema } from '../profiles/commandPattern';

/** Skill names are what `load_skill` and `skillsUsed` carry, so they stay short and unambiguous. */
export const SkillNameSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a skill name is lowercase letters, digits and single hyphens (e.g. "code-review")')
  .max(64, 'a skill name is at most 64 characters');

/**
 * The YAML frontmatter of a SKILL.md. `name` and `description` follow the common SKILL.md format other
 * tools use; `triggers`, `tools` and `commands` are ours. Unknown keys are allowed (other tools add
 * their own, such as `license` or `allowed-tools`) so a shared skill folder still loads.
 */
export const SkillFrontmatterSchema = z.looseObject({
  name: SkillNameSchema,
  description: z.string().trim().min(1, 'the description must not be empty').max(1024, 'the description is at most 1024 characters'),
  /** Words or phrases in a task that select this skill. */
  triggers: z.array(z.string().trim().min(1, 'a trigger must not be empty').max(80)).max(50).default([]),
  /** Tools this skill needs; granted only while the skill is active. */
  tools: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a tool name is letters, digits, "_", "." or "-"')).max(50).default([]),
  /** Commands this skill may run (plain leading words, e.g. "npm test"); granted only while the skill is active. */
  commands: z.array(CommandPatternSchema).max(50).default([]),
});
export type SkillFrontmatter = z.infer<typeof SkillFrontmatterSchema>;

/** Where a skill came from: shipped with the product, or a folder in the workspace. */
export type SkillOrigin = 'built-in' | 'workspace';

export interface Skill {
  name: string;
  description: string;
  triggers: string[];
  tools: string[];
  commands: string[];
  /** The Markdown after the frontmatter. */
  instructions: string;
  origin: SkillOrigin;
  /** Absolute path of the skill's folder. */
  dir: string;
  /** 'built-in', or the SKILL.md path relative to the workspace root (e.g. ".agents/skills/testing/SKILL.md"). */
  source: string;
  /** The source of the built-in skill this one replaced, when a workspace skill has the same name. */
  overrides?: string;
  /** Other files in the skill's folder, relative to it, sorted; the instructions may refer to them. */
  files: string[];
  /** sha256 of SKILL.md as read: a person's trust in a workspace skill's grants is trust in this content. */
  contentHash: string;
}

/** A skill that could not be loaded: the file and why, in words a person can act on. */
export interface SkillProblem {
  path: string;
  message: string;
}
