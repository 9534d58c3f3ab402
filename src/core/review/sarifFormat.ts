import type { CheckedComment, ReviewResult, Severity } from './reviewSchema';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

type SarifLevel = 'error' | 'warning' | 'note';
/** SARIF has no "info" level; "note" is its lowest. */
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  toolVersion?: string;
}

/** One rule per severity, so code-scanning tools can filter on it; the comment's title is the result's message. */
export function ruleId(severity: Severity): string {
  return `agent-harness/review/${severity}`;
}

/**
 * The review as SARIF 2.1.0 for code-scanning tools. Paths are relative URIs against %SRCROOT% (the
 * checkout root); a file-level comment has a location without a region, never a made-up line.
 */
export function formatSarif(r: ReviewResult, opts: SarifOptions = {}): string {
  const severities: Severity[] = ['error', 'warning', 'info'];
  const log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'agent-harness',
            ...(opts.toolVersion ? { version: opts.toolVersion } : {}),
            rules: severities.map((s) => ({
              id: ruleId(s),
              name: `Review${s[0]!.toUpperCase()}${s.slice(1)}`,
              shortDescription: { text: `A code review comment of severity ${s}` },
              defaultConfiguration: { level: LEVEL[s] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the reviewed workspace' } } },
        results: r.comments.map(result),
        invocations: [{ executionSuccessful: true }],
        properties: { summary: r.summary, recommendation: r.recommendation, diff: r.diff.description, skipped: r.skipped },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(c: CheckedComment) {
  const text = [c.title.trim(), c.body.trim(), c.suggestion !== undefined ? `Suggested change:\n${c.suggestion}` : ''].filter(Boolean).join('\n\n');
  const artifactLocation = { uri: toUri(c.path), uriBaseId: '%SRCROOT%' };
  const physicalLocation = c.fileLevel ? { artifactLocation } : { artifactLocation, region: { startLine: c.line, endLine: c.endLine ?? c.line } };
  return {
    ruleId: ruleId(c.severity),
    level: LEVEL[c.severity],
    message: { text },
    locations: [{ physicalLocation }],
  };
}

/** A relative URI: each path segment percent-encoded, the slashes kept. */
function toUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
