/**
 * The grammar of one allowlist entry (settings, profiles, --allow), on its own so the policy's types
 * can validate entries without depending on the matcher (allowlist.ts).
 */
/** Characters an entry may use: entries are names and words, never shell syntax. */
const ENTRY_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Why an entry is not valid, or undefined when it is (for settings and the CLI's --allow). */
export function allowEntryProblem(text: string): string | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'an allowlist entry is empty';
  const bad = words.find((w) => !ENTRY_WORD.test(w));
  if (bad) return `allowlist entry ${JSON.stringify(text)} contains ${JSON.stringify(bad)}; entries are a program name and optional sub-command words (e.g. "git status", "npm run lint")`;
  return undefined;
}
