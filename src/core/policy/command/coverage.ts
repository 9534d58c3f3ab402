import type { Node } from 'web-tree-sitter';
import { clip } from './shellWords';

/**
 * Nodes whose whole text the policy reads as one piece (it decodes their content itself), so the
 * coverage check does not look inside them.
 */
const OPAQUE = new Set(['string', 'raw_string', 'ansi_c_string', 'translated_string', 'heredoc_body', 'comment']);

/**
 * Checks that the tree accounts for every character of the line. The grammar is error-tolerant in
 * ways bash is not: it can drop a token without an ERROR node (`grep x {} - 2>/dev/null` loses the
 * `-`), and it reads a backslash-newline inside a word as a separator where bash joins the two
 * halves (`--p\<newline>re=x` is `--pre=x` to bash). Either way the policy would judge different
 * arguments than the shell runs, so the line is not allowed. Returns why, or undefined when clean.
 */
export function findUncoveredText(root: Node, source: string): string | undefined {
  const ranges: [number, number][] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.childCount === 0 || OPAQUE.has(node.type)) {
      if (node.endIndex > node.startIndex) ranges.push([node.startIndex, node.endIndex]);
      continue;
    }
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [start, end] of [...ranges, [source.length, source.length] as [number, number]]) {
    if (start > pos) {
      const gap = source.slice(pos, start);
      const problem = gapProblem(gap, pos > 0 && start < source.length);
      if (problem) return `${problem} near character ${pos + 1} (${JSON.stringify(clip(source.slice(Math.max(0, pos - 10), start + 10)))})`;
    }
    pos = Math.max(pos, end);
  }
  return undefined;
}

/**
 * Text between two parsed pieces may only be blanks and line continuations. A continuation counts
 * as a separator only with a blank right before it (`ls \<newline>-la`): the shell deletes the
 * backslash-newline before it splits words, so `a\<newline>b` is one word and `a\<newline> 2>&1` is a
 * redirection of fd 2, both of which the grammar reads differently.
 */
function gapProblem(gap: string, between: boolean): string | undefined {
  if (/[^\s\\]/.test(gap) || /\\(?!\n)/.test(gap)) return 'the parser skipped part of the line';
  if (between && /(^|[^ \t\n])\\\n/.test(gap)) {
    return 'a line continuation (backslash-newline) without a blank before it, which the shell and the parser read differently';
  }
  return undefined;
}
