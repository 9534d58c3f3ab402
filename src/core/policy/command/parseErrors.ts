import type { Node } from 'web-tree-sitter';
import { children, clip } from './shellWords';

/** One sentence saying where a command line stops parsing, for the verdict's reasons. */
export function describeParseError(root: Node): string {
  const bad = firstBad(root);
  if (!bad) return 'the command does not parse as complete shell syntax';
  if (bad.isMissing) return `the command does not parse: something is missing (${bad.type || 'a word'}) at character ${bad.startIndex + 1}`;
  return `the command does not parse as complete shell syntax near ${JSON.stringify(clip(bad.text || root.text.slice(bad.startIndex, bad.startIndex + 20)))}`;
}

function firstBad(root: Node): Node | undefined {
  // Iterative, in source order: the tree can be deeper than the JS stack allows.
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.isError || node.isMissing) return node;
    const kids = children(node).filter((c) => c.hasError || c.isMissing || c.isError);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Node);
  }
  return undefined;
}
