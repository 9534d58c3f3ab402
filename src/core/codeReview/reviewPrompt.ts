import { prepareRun, type PreparedRun } from '../session/prepareRun';
import type { SkillUse } from '../agent/runResult';
import { ToolRegistry } from '../tools/registry';
import type { TextSearcher } from '../tools/search/textSearcher';
import { describeFile, type RenderedFile } from './diffBudget';
import type { ReviewDiff } from './gitPort';
import type { SkippedFile } from './reviewSchema';
import { READ_TOOL_NAMES } from '../../shared/toolNames';

/** The only tools a review may use, whatever a workspace's `reviewer` profile lists: reading and searching the workspace. */
export const REVIEW_TOOLS = READ_TOOL_NAMES;
export const REVIEW_PROFILE = 'reviewer';
export const CODE_REVIEW_SKILL = 'code-review';
/** The list of files not shown in a part is cut here, so a huge change does not spend the budget on names. */
export const MAX_LISTED_OTHERS = 100;
/** The task the skills are selected for; it names what the code-review skill's triggers look for. */
const REVIEW_TASK = 'code review of a git diff';

export interface ReviewSetupOptions {
  root: string;
  builtinSkillsDir: string;
  /** Default `reviewer`; a workspace may define its own in .agent-harness. */
  profileName?: string;
  searcher?: TextSearcher;
}

export interface ReviewSetup {
  system: string;
  tools: ToolRegistry;
  profile: string;
  skills: SkillUse[];
  /** Broken skills and profiles that were skipped: `path: reason`. */
  problems: string[];
}

/**
 * The reviewer's system prompt (profile, project summary, code-review skill inlined) and its tools.
 * Tools are cut down to REVIEW_TOOLS, so a profile or skill that grants more still cannot write or
 * run anything during a review; every one of them goes through the path guard of the workspace.
 */
export async function reviewSetup(opts: ReviewSetupOptions): Promise<ReviewSetup> {
  const prepared: PreparedRun = await prepareRun({
    root: opts.root,
    task: REVIEW_TASK,
    builtinSkillsDir: opts.builtinSkillsDir,
    profileName: opts.profileName ?? REVIEW_PROFILE,
    searcher: opts.searcher,
  });
  const allowed = new Set<string>(REVIEW_TOOLS);
  const tools = new ToolRegistry(prepared.tools.list().filter((t) => allowed.has(t.name) && t.kind === 'read'));
  let system = prepared.systemPrompt;
  const skills = [...prepared.selectedSkills];
  if (!skills.some((s) => s.name === CODE_REVIEW_SKILL)) {
    // The runbook depends on the skill's guidance; when the task words did not select it, it is added by name.
    const skill = prepared.activeSkills.get(CODE_REVIEW_SKILL);
    if (skill) {
      system = `${system}\n# Skill: ${skill.name}\n${skill.instructions.trim()}\n`;
      skills.push({ name: skill.name, reason: 'the code-review runbook always uses it' });
    }
  }
  return { system, tools, profile: prepared.profile.name, skills, problems: prepared.problems };
}

export interface ChunkPromptInput {
  diff: ReviewDiff;
  chunk: readonly RenderedFile[];
  /** 1-based position of this chunk among `total`. */
  index: number;
  total: number;
  skipped: readonly SkippedFile[];
}

/**
 * The diff part of the user message. It is the same text at the start of the exploration and of the
 * final structured call, so a provider's prefix cache can serve the second call.
 */
export function renderDiffPrompt(input: ChunkPromptInput): string {
  const { diff, chunk, index, total, skipped } = input;
  const shown = new Set(chunk.map((r) => r.file.path));
  const out = [`Review ${diff.description}.`];
  if (total > 1) out.push(`The change is large, so it is reviewed in ${total} parts; this is part ${index} of ${total}. Comment only on the files shown here.`);
  const others = diff.files.filter((f) => !shown.has(f.path));
  if (others.length > 0) {
    out.push('', 'Other files in this change, not shown in this part:');
    for (const f of others.slice(0, MAX_LISTED_OTHERS)) out.push(`- ${f.path} (${describeFile(f)})${skippedReason(skipped, f.path)}`);
    if (others.length > MAX_LISTED_OTHERS) out.push(`- and ${others.length - MAX_LISTED_OTHERS} more`);
  }
  for (const n of diff.notes) out.push(`Note: ${n}`);
  out.push(
    '',
    'The diff follows, one section per file. The number at the left of a line is its line number in the new version of the file;',
    'removed lines ("-") have no number because they no longer exist. A comment\'s `line` (and `endLine`) must be one of these numbers;',
    'use line 0 for a comment about a whole file.',
    '',
    ...chunk.map((r) => r.text),
  );
  return out.join('\n');
}

export const EXPLORE_INSTRUCTIONS = `First understand the change. Use read_file, grep, list_dir and find_files when the diff alone does not show enough (callers, types, tests); paths are relative to the workspace root. You have only a few turns, so read what matters most.
When you are done, reply with your review notes in plain text: for each problem, the file, the line number in the new version, the severity (info, warning or error) and why. Do not write the final JSON yet.`;

export function finalInstructions(notes: string | undefined): string {
  const parts: string[] = [];
  if (notes?.trim()) parts.push(`Your notes from reading the repository:\n${notes.trim()}`);
  parts.push(
    'Now give the review as one JSON object matching the schema: `summary`, `recommendation` (approve, request_changes or comment) and `comments`, each with `path`, `line`, optional `endLine`, `severity` (info, warning or error), `title`, `body` and an optional `suggestion`. Use only paths and line numbers from the diff above.',
  );
  return parts.join('\n\n');
}

function skippedReason(skipped: readonly SkippedFile[], p: string): string {
  const s = skipped.find((x) => x.path === p);
  return s ? `: not reviewed, ${s.reason}` : '';
}
