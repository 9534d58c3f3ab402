import { compareNames } from './loadSkills';
import type { SelectedSkill } from './selectSkills';
import type { Skill } from './skill';

/** The catalogue's default budget: a list of names and one-liners, not the skills themselves. */
export const DEFAULT_SKILL_LIST_BUDGET = 2000;
/** One selected skill's instructions are cut beyond this; the model can still `load_skill` the rest. */
export const MAX_INLINE_INSTRUCTIONS = 16_000;
const MAX_LINE_DESCRIPTION = 160;

/**
 * The skills section of the system prompt. It lists every available skill by name and one-line
 * description (progressive disclosure: the model pulls the rest with `load_skill`), within
 * `budgetChars` for the list, and then inlines the selected skills' instructions in full.
 * Output depends only on the inputs, sorted by name, so the prompt prefix stays byte-stable.
 */
export function renderSkillsPrompt(all: readonly Skill[], selected: readonly SelectedSkill[], budgetChars: number = DEFAULT_SKILL_LIST_BUDGET): string {
  if (all.length === 0 && selected.length === 0) return '';
  const selectedNames = new Set(selected.map((s) => s.skill.name));
  const sorted = [...all].sort((a, b) => compareNames(a.name, b.name));

  const lines: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const skill of sorted) {
    const mark = selectedNames.has(skill.name) ? ' (active, instructions below)' : '';
    const line = `- ${skill.name}${mark}: ${oneLine(skill.description)}`;
    // Once one line does not fit, later ones are dropped too, so the list never skips around.
    if (omitted > 0 || used + line.length + 1 > budgetChars) {
      omitted++;
      continue;
    }
    lines.push(line);
    used += line.length + 1;
  }
  if (omitted > 0) {
    lines.push(`- ... ${omitted} more skill${omitted === 1 ? '' : 's'} not listed to save space; load_skill accepts any skill name.`);
  }

  const out = [
    '# Skills',
    'Skills are instructions for specific kinds of work. Active skills are included below. When the task needs another listed skill, call load_skill with its name before you start that part of the work.',
    '',
    ...lines,
  ];
  const ordered = [...selected].sort((a, b) => compareNames(a.skill.name, b.skill.name));
  for (const s of ordered) {
    out.push('', `## Skill: ${s.skill.name}`, `(selected because ${s.reason})`, '', inlineInstructions(s.skill));
  }
  return `${out.join('\n')}\n`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_LINE_DESCRIPTION ? flat : `${flat.slice(0, MAX_LINE_DESCRIPTION - 3).trimEnd()}...`;
}

function inlineInstructions(skill: Skill): string {
  if (skill.instructions.length <= MAX_INLINE_INSTRUCTIONS) return skill.instructions;
  return `${skill.instructions.slice(0, MAX_INLINE_INSTRUCTIONS)}\n\n[instructions cut at ${MAX_INLINE_INSTRUCTIONS} characters; call load_skill {"name": "${skill.name}"} for the full text]`;
}
