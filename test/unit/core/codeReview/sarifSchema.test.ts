import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../../../src/core/codeReview/sarifFormat';
import { sampleReview } from './reviewFixtures';

/**
 * The SARIF output against the official OASIS SARIF 2.1.0 schema, and against what GitHub code
 * scanning documents it needs from an upload (docs.github.com, "SARIF support for code scanning").
 */
const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

const reviews = {
  'a review with line, range and file comments': sampleReview(),
  'a review without comments': sampleReview({ comments: [] }),
  'titles with code, quotes and unicode': sampleReview({ comments: [{ path: 'src/ü/a b.ts', line: 2, severity: 'warning', title: 'Use `===` in "compare" — not `==`', body: 'Loose equality coerces.', suggestion: 'a === b', fileLevel: false }] }),
};

describe('SARIF against the official 2.1.0 schema', () => {
  it.each(Object.entries(reviews))('%s validates', (_name, review) => {
    const log = JSON.parse(formatSarif(review, { toolVersion: '0.1.0' }));
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema is strict enough to catch a broken log', () => {
    const log = JSON.parse(formatSarif(sampleReview()));
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
    expect(validate.errors!.length).toBeGreaterThanOrEqual(2);
  });
});

describe("SARIF for GitHub code scanning's requirements", () => {
  const log = JSON.parse(formatSarif(sampleReview(), { toolVersion: '0.1.0', category: 'review/web' }));
  const run = log.runs[0];
  it('one run, a named driver whose rules each have an id, a short and full description and help', () => {
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('agent-harness');
    for (const r of run.tool.driver.rules) {
      expect(r.id).toMatch(/^[\w./-]+$/);
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(r.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(r.fullDescription.text.length).toBeGreaterThan(0);
      expect(r.help.text.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'recommendation']).toContain(r.properties['problem.severity']);
    }
    expect(new Set(run.tool.driver.rules.map((r: { id: string }) => r.id)).size).toBe(run.tool.driver.rules.length);
  });
  it('every result names a rule, has a message, one location with a relative URI and a region with startLine', () => {
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations).toHaveLength(1);
      const pl = r.locations[0].physicalLocation;
      expect(pl.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i);
      expect(Number.isInteger(pl.region.startLine) && pl.region.startLine >= 1).toBe(true);
      expect(Object.keys(r.partialFingerprints)).toEqual(['agentHarness/v1']);
    }
  });
  it('the category goes into automationDetails.id, so several reviews of one repository stay apart', () => {
    expect(run.automationDetails.id).toBe('review/web/');
  });
});
