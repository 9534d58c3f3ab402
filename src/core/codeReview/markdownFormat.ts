import type { CheckedComment, Recommendation, ReviewResult, Severity } from './reviewSchema';

const VERDICT: Record<Recommendation, string> = {
  approve: 'Approve',
  request_changes: 'Request changes',
  comment: 'Comment',
};
const SEVERITY: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };
const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The review as a pull-request comment: verdict, summary, comments by severity, then what was skipped and why. */
export function formatMarkdown(r: ReviewResult): string {
  const out: string[] = [`## Code review: ${VERDICT[r.recommendation]}`, '', r.summary.trim(), ''];
  const counts = (['error', 'warning', 'info'] as const).map((s) => `${r.comments.filter((c) => c.severity === s).length} ${s}`).join(', ');
  out.push(`_Reviewed ${r.diff.description}: ${r.diff.files.length} file(s); ${r.comments.length} comment(s) (${counts}); model ${r.model}._`, '');
  if (r.comments.length > 0) {
    out.push('### Comments', '');
    const sorted = [...r.comments].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    for (const c of sorted) out.push(...comment(c), '');
  }
  if (r.skipped.length > 0) {
    out.push('### Not reviewed', '');
    for (const s of r.skipped) out.push(`- \`${code(s.path)}\`: ${oneLine(s.reason)}`);
    out.push('');
  }
  if (r.notes.length > 0) {
    out.push('<details><summary>Notes</summary>', '');
    for (const n of r.notes) out.push(`- ${oneLine(n)}`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function comment(c: CheckedComment): string[] {
  const where = c.fileLevel ? `${c.path}` : c.endLine ? `${c.path}:${c.line}-${c.endLine}` : `${c.path}:${c.line}`;
  const lines = [`- **${SEVERITY[c.severity]}** \`${code(where)}\`: **${oneLine(c.title)}**`];
  if (c.body.trim()) lines.push(...indent(c.body.trim()));
  if (c.suggestion !== undefined) {
    const fence = fenceFor(c.suggestion);
    lines.push('', '  Suggested change:', '', ...indent(`${fence}\n${c.suggestion.replace(/\n$/, '')}\n${fence}`));
  }
  return lines;
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => (l ? `  ${l}` : ''));
}

/** A fence longer than any run of backticks inside, so model text cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** Backticks would end an inline code span. */
function code(s: string): string {
  return s.replace(/`/g, "'");
}
