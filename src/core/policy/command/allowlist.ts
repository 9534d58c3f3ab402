import type { ProgramRule } from './rules/ruleKit';
import { allowEntryProblem } from './allowEntry';

/** One allowlist entry: a program, optionally followed by the sub-command words it is limited to. */
export interface AllowEntry {
  text: string;
  program: string;
  words: string[];
}

export { allowEntryProblem };

export function parseAllowEntry(text: string): AllowEntry | undefined {
  if (allowEntryProblem(text)) return undefined;
  const [program, ...words] = text.trim().split(/\s+/);
  return program ? { text: words.length ? `${program} ${words.join(' ')}` : program, program, words } : undefined;
}

export interface AllowMatch {
  entry: AllowEntry;
  /** The entry names sub-command words, not just the program. */
  named: boolean;
}

/**
 * The entry that covers this invocation, preferring one that names its sub-command. Both the entry's
 * words and the command's arguments go through the rule's `commandWords`, so aliases and global
 * options (`npm t`, `git -C dir status`) match the entries `npm test` and `git status`.
 */
export function matchAllowlist(entries: readonly AllowEntry[], program: string, args: readonly string[], rule: ProgramRule | undefined): AllowMatch | undefined {
  const words = rule?.commandWords ? rule.commandWords(args) : [...args];
  let best: AllowMatch | undefined;
  for (const entry of entries) {
    if (entry.program !== program) continue;
    const wanted = rule?.commandWords && entry.words.length ? rule.commandWords(entry.words) : entry.words;
    if (wanted.length > words.length || wanted.some((w, i) => words[i] !== w)) continue;
    const named = wanted.length > 0;
    if (!best || (named && !best.named)) best = { entry, named };
  }
  return best;
}

/**
 * Read-only tools a fresh workspace allows. `sed` is here because its rule only allows print, delete
 * and substitute scripts without -i; `cd` only changes where the next command in the same line runs.
 */
export const READ_ONLY_DEFAULTS: readonly string[] = [
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'find', 'tree', 'file', 'stat', 'du', 'diff', 'sort', 'uniq',
  'cut', 'tr', 'nl', 'basename', 'dirname', 'realpath', 'which', 'pwd', 'echo', 'sed', 'cd', 'id', 'ps', 'whoami', 'uname',
  'date', 'printf', 'true', 'false', 'test', 'nproc', 'seq', 'sleep', 'readlink', 'md5sum', 'sha256sum', 'cmp', 'comm', 'jq',
  'git status', 'git diff', 'git log', 'git show', 'git ls-files', 'git rev-parse', 'git blame',
];

/**
 * The allowlist of a fresh workspace: read-only tools, read-only git, and the project's detected test
 * and lint commands (e.g. "npm test", "npm run lint", "pytest"), which the caller passes in. Detected
 * commands that are not plain words (they hold shell syntax) are left out: they would never match.
 */
export function defaultAllowlist(detectedCommands: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of [...READ_ONLY_DEFAULTS, ...detectedCommands]) {
    const entry = parseAllowEntry(text);
    if (entry && !out.includes(entry.text)) out.push(entry.text);
  }
  return out;
}
