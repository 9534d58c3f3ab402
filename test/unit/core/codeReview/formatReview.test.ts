import { describe, expect, it } from 'vitest';
import { reviewFails } from '../../../../src/core/codeReview/failOn';
import { formatReview } from '../../../../src/core/codeReview/formatReview';
import { formatMarkdown } from '../../../../src/core/codeReview/markdownFormat';
import { ReviewResultSchema } from '../../../../src/core/codeReview/reviewSchema';
import { formatSarif, ruleId } from '../../../../src/core/codeReview/sarifFormat';
import { sampleReview } from './reviewFixtures';
import { sarifProblems } from './sarifValidate';

describe('SARIF format', () => {
  it('is a valid SARIF 2.1.0 log with levels from severity, a rule per finding, and a region on every result', () => {
    const review = sampleReview();
    const log = JSON.parse(formatSarif(review, { toolVersion: '1.2.3' }));
    expect(sarifProblems(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'agent-harness', version: '1.2.3' });
    const results = log.runs[0].results;
    expect(results.map((r: { level: string; ruleId: string }) => [r.level, r.ruleId])).toEqual(review.comments.map((c) => [c.severity === 'info' ? 'note' : c.severity, ruleId(c)]));
    // The rule says what was found, not "a comment of severity error".
    const rules = log.runs[0].tool.driver.rules;
    expect(rules[results[0].ruleIndex]).toMatchObject({ id: ruleId(review.comments[0]!), shortDescription: { text: 'Off-by-one in the loop' }, defaultConfiguration: { level: 'error' } });
    expect(rules[results[0].ruleIndex].fullDescription.text).toBe(review.comments[0]!.body);
    expect(results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'src/parse.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, endLine: 14 } });
    expect(results[1].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'src/my%20file.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, endLine: 3 } });
    // A comment about the whole file still has a region (code scanning requires one), at line 1, and says so.
    expect(results[2].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'README.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
    expect(results[2].message.text).toMatch(/^Docs \(about the whole file\)/);
    expect(results[0].message.text).toContain('Suggested change:\nfor (let i = 0; i <= n; i++)');
    expect(log.runs[0].automationDetails).toEqual({ id: 'agent-harness/code-review/' });
    expect(log.runs[0].properties).toMatchObject({ recommendation: 'request_changes' });
  });

  it('fingerprints a finding by what it is, so it is the same alert after it moves', () => {
    const review = sampleReview();
    const moved = sampleReview({ comments: review.comments.map((c) => (c.fileLevel ? c : { ...c, line: c.line + 40, ...(c.endLine ? { endLine: c.endLine + 40 } : {}) })) });
    const fp = (r: typeof review) => JSON.parse(formatSarif(r)).runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['agentHarness/v1']);
    expect(fp(moved)).toEqual(fp(review));
    expect(new Set(fp(review)).size).toBe(review.comments.length);
    // Same finding in another file: another alert.
    const elsewhere = sampleReview({ comments: [{ ...review.comments[0]!, path: 'src/other.ts' }] });
    expect(fp(elsewhere)[0]).not.toBe(fp(review)[0]);
  });

  it('is valid with no comments, and the validator catches a broken log', () => {
    expect(sarifProblems(JSON.parse(formatSarif(sampleReview({ comments: [] }))))).toEqual([]);
    const broken = JSON.parse(formatSarif(sampleReview()));
    broken.version = '2.0.0';
    broken.runs[0].results[0].level = 'info';
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    expect(sarifProblems(broken)).toHaveLength(3);
  });
});

describe('Markdown format', () => {
  it('shows the verdict, summary, comments by severity with locations, the suggestion, skipped files and notes', () => {
    const md = formatMarkdown(sampleReview());
    expect(md.startsWith('## Code review: Request changes\n\nAdds a parser. One bug.\n')).toBe(true);
    expect(md).toContain('3 comment(s) (1 error, 1 warning, 1 info)');
    const error = md.indexOf('**Error** `src/parse.ts:12-14`: **Off-by-one in the loop**');
    const warning = md.indexOf('**Warning** `src/my file.ts:3`');
    const info = md.indexOf('**Info** `README.md`: **Docs**');
    expect(error).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(error);
    expect(info).toBeGreaterThan(warning);
    // The suggestion holds a backtick, and its fence still is the standard three backticks.
    expect(md).toContain('  ```\n  for (let i = 0; i <= n; i++) {\n    use(`x`);\n  }\n  ```');
    expect(md).toContain('### Not reviewed\n\n- `logo.png`: binary file: listed, not inlined');
    expect(md).toContain('<details><summary>Notes</summary>');
  });

  it('uses a longer fence when the suggestion itself holds a fence', () => {
    const md = formatMarkdown(sampleReview({ comments: [{ path: 'a.md', line: 1, severity: 'info', title: 't', body: 'b', suggestion: '```js\nx\n```', fileLevel: false }] }));
    expect(md).toContain('  ````\n  ```js\n  x\n  ```\n  ````');
  });
});

describe('JSON format', () => {
  it('prints the review result, which parses back through its schema', () => {
    const json = JSON.parse(formatReview(sampleReview(), 'json'));
    expect(ReviewResultSchema.parse(json)).toEqual(sampleReview());
  });
});

describe('reviewFails (--fail-on)', () => {
  const warningOnly = sampleReview({ recommendation: 'comment', comments: [sampleReview().comments[1]!] });
  it('fails on a comment at or above the threshold', () => {
    expect(reviewFails(warningOnly, 'warning')).toBe(true);
    expect(reviewFails(warningOnly, 'error')).toBe(false);
  });
  it('fails on request_changes unless the threshold is never', () => {
    const noComments = sampleReview({ comments: [] });
    expect(reviewFails(noComments, 'error')).toBe(true);
    expect(reviewFails(noComments, 'never')).toBe(false);
    expect(reviewFails(sampleReview({ comments: [], recommendation: 'approve' }), 'warning')).toBe(false);
  });
});
