import type { ReviewResult } from '../../../../src/core/codeReview/reviewSchema';

/** A checked review with one comment of each kind the formatters must handle. */
export function sampleReview(over: Partial<ReviewResult> = {}): ReviewResult {
  return {
    summary: 'Adds a parser. One bug.',
    recommendation: 'request_changes',
    comments: [
      { path: 'src/parse.ts', line: 12, endLine: 14, severity: 'error', title: 'Off-by-one in the loop', body: 'The last item is skipped.', suggestion: 'for (let i = 0; i <= n; i++) {\n  use(`x`);\n}', fileLevel: false },
      { path: 'src/my file.ts', line: 3, severity: 'warning', title: 'Unchecked input', body: 'Validate it.', fileLevel: false },
      { path: 'README.md', line: 0, severity: 'info', title: 'Docs', body: 'Mention the new flag.', fileLevel: true, movedFrom: 40 },
    ],
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 120, costUsd: 0.001 },
    diff: { selection: { kind: 'uncommitted' }, description: 'uncommitted changes against HEAD (abc1234)', files: ['README.md', 'logo.png', 'src/my file.ts', 'src/parse.ts'] },
    skipped: [{ path: 'logo.png', reason: 'binary file: listed, not inlined' }],
    notes: ['Moved the comment on README.md:40 ("Docs") to the file level: line 40 is not part of the diff.'],
    model: 'test-model',
    ...over,
  };
}
