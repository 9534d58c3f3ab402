import { z } from 'zod';

/**
 * A command pattern, as written in a profile's allowlist or a skill's `commands`: the leading words of
 * a command ("npm test", "npx vitest run"). It matches one parsed simple command whose argv starts
 * with exactly those words. Patterns are plain words on purpose: no globs, quotes or shell operators,
 * so a pattern can never cover a pipeline or a second command joined with `&&` (each segment of a
 * command line is matched on its own, by the caller, from the parsed argv).
 */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]{}~!#=]/;

export const CommandPatternSchema = z
  .string()
  .trim()
  .min(1, 'a command pattern must not be empty')
  .max(200, 'a command pattern is at most 200 characters')
  .refine((s) => !SHELL_SYNTAX.test(s), {
    message: 'a command pattern is plain words (e.g. "npm test"); quotes, globs and shell operators are not allowed',
  });
export type CommandPattern = z.infer<typeof CommandPatternSchema>;

/** The words of a pattern. Whitespace runs separate words; the schema has already refused shell syntax. */
export function patternWords(pattern: string): string[] {
  return pattern.trim().split(/\s+/).filter((w) => w.length > 0);
}

/** True when argv begins with every word of the pattern, in order and exactly. */
export function matchesCommandPattern(pattern: string, argv: readonly string[]): boolean {
  const words = patternWords(pattern);
  if (words.length === 0 || argv.length < words.length) return false;
  return words.every((w, i) => argv[i] === w);
}
