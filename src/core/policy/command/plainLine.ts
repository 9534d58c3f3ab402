import type { ParsedLine } from './commandTree';

/**
 * The one shape of command line that needs no bash grammar: a single simple command whose words are
 * all plain, e.g. `npm test`, `ls -la src`, `git log --oneline -5`. Its grammar is a regular language:
 * words separated by spaces, each word made only of characters that mean nothing to the shell (no
 * quotes, escapes, `$`, backquotes, globs, braces, tildes, operators, redirections or comments), the
 * first word not an assignment and not a reserved word. For such a line the tree-sitter walk gives one
 * segment with these words as its argv, no findings and an exact reading; a test compares the two on
 * generated lines. Everything else goes to the full parser (commandTree.ts).
 *
 * This saves loading and compiling the grammar's WebAssembly for the commonest commands (a cold
 * `agent-harness policy check-command`, the first command of a run).
 */
const FIRST_WORD = /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/;
const WORD = /^[A-Za-z0-9_./=:,+@%-]+$/;
const LINE = /^ *[^ ]+(?: +[^ ]+)* *$/;

/** Words bash gives a meaning of its own at the start of a command, and builtins the grammar parses specially. */
const RESERVED = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in',
  'function', 'time', 'coproc', 'declare', 'typeset', 'export', 'local', 'readonly', 'unset', 'test',
]);

/** The line as one plain segment, or undefined when it needs the full parser. */
export function parsePlainLine(line: string): ParsedLine | undefined {
  if (!LINE.test(line)) return undefined;
  const argv = line.trim().split(/ +/);
  const [first = ''] = argv;
  if (!FIRST_WORD.test(first) || RESERVED.has(first)) return undefined;
  // `==` on its own is a test operator to the grammar (outside [[ ]] too), which reads the line otherwise.
  if (!argv.every((w) => WORD.test(w) && w !== '==')) return undefined;
  return { segments: [{ argv, nameLiteral: true, findings: [] }], lineFindings: [], exact: true };
}
