export interface SystemPromptParts {
  /** The profile's own instructions (who this agent is). */
  profilePrompt: string;
  /** Short project summary from the project context (languages, commands, instructions). */
  projectSummary?: string;
  /** The skills section: every available skill listed, the selected ones inlined. */
  skillsSection?: string;
}

export const BASE_INSTRUCTIONS = `You are a coding agent working inside the user's workspace through tools.
- Read before you change: use read_file, list_dir, grep and find_files to learn the code.
- Paths are relative to the workspace root. You cannot leave the workspace.
- File changes you propose are reviewed by a person before they are written; a rejected change comes back with the reviewer's reason, so adapt instead of repeating it.
- Commands run only when the command policy allows them, in a sandbox; a refusal says why.
- When a request is ambiguous, ask the user instead of guessing, if an ask_user tool is available.
- Finish with a short summary of what you did and anything left open.`;

/**
 * Builds the system prompt. It depends only on its inputs (no dates, no counters), so it is
 * byte-identical on every turn of a run: provider prompt caches key on a stable prefix.
 */
export function buildSystemPrompt(parts: SystemPromptParts): string {
  const sections = [parts.profilePrompt.trim() || BASE_INSTRUCTIONS];
  if (parts.projectSummary?.trim()) sections.push(`# Project\n${parts.projectSummary.trim()}`);
  if (parts.skillsSection?.trim()) sections.push(parts.skillsSection.trim());
  return `${sections.join('\n\n')}\n`;
}
