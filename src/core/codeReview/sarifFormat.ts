import { createHash } from 'node:crypto';
import type { CheckedComment, ReviewResult, Severity } from './reviewSchema';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

type SarifLevel = 'error' | 'warning' | 'note';
/** SARIF has no "info" level; "note" is its lowest. */
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub code scanning's `problem.severity` for non-security alerts. */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

export interface SarifOptions {
  toolVersion?: string;
  /**
   * `runs[].automationDetails.id`'s category: code scanning keeps one analysis per category, so a
   * repository with several reviews (per directory, per language) gives each its own. Default
   * `agent-harness/code-review`.
   */
  category?: string;
}

const DEFAULT_CATEGORY = 'agent-harness/code-review';

/** The words of a finding's title, normalised, so the same finding gets the same rule and fingerprint across runs. */
function normaliseTitle(title: string): string {
  return title.toLowerCase().replace(/`[^`]*`/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim();
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A rule per finding, named after what it found (code scanning shows the rule's description as the
 * alert's title and groups alerts by rule): `agent-harness/review/<slug>-<hash>`.
 */
export function ruleId(c: Pick<CheckedComment, 'title'>): string {
  const norm = normaliseTitle(c.title);
  const slug = norm.split(' ').slice(0, 8).join('-').slice(0, 60) || 'finding';
  return `agent-harness/review/${slug}-${sha(norm).slice(0, 8)}`;
}

/**
 * A fingerprint that survives the finding moving up or down its file: the path, the rule and the
 * normalised title, never the line number.
 */
export function fingerprint(c: Pick<CheckedComment, 'path' | 'title'>): string {
  return sha(`${c.path}\u0000${normaliseTitle(c.title)}`).slice(0, 32);
}

/**
 * The review as SARIF 2.1.0 for code-scanning tools (GitHub's upload-sarif among them). Paths are
 * relative URIs against %SRCROOT% (the checkout root). Every result has a region, as code scanning
 * requires: a comment about a whole file points at its first line and says so.
 */
export function formatSarif(r: ReviewResult, opts: SarifOptions = {}): string {
  const rules: ReturnType<typeof rule>[] = [];
  const index = new Map<string, number>();
  for (const c of r.comments) {
    const id = ruleId(c);
    if (index.has(id)) continue;
    index.set(id, rules.length);
    rules.push(rule(id, c));
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'agent-harness',
            ...(opts.toolVersion ? { version: opts.toolVersion, semanticVersion: opts.toolVersion } : {}),
            rules,
          },
        },
        automationDetails: { id: `${(opts.category ?? DEFAULT_CATEGORY).replace(/\/+$/, '')}/` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the reviewed workspace' } } },
        results: r.comments.map((c) => result(c, index.get(ruleId(c))!)),
        invocations: [{ executionSuccessful: true }],
        properties: { summary: r.summary, recommendation: r.recommendation, diff: r.diff.description, skipped: r.skipped },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(id: string, c: CheckedComment) {
  const title = c.title.trim().replace(/\s+/g, ' ');
  const body = c.body.trim();
  const name = normaliseTitle(title)
    .split(' ')
    .slice(0, 8)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return {
    id,
    name: name || 'Finding',
    shortDescription: { text: title },
    fullDescription: { text: body || title },
    help: {
      text: [body, c.suggestion !== undefined ? `Suggested change:\n${c.suggestion}` : ''].filter(Boolean).join('\n\n') || title,
      markdown: [body, c.suggestion !== undefined ? `**Suggested change:**\n\n\`\`\`\n${c.suggestion}\n\`\`\`` : ''].filter(Boolean).join('\n\n') || title,
    },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: ['code-review', 'agent-harness'], precision: 'medium', 'problem.severity': PROBLEM_SEVERITY[c.severity] },
  };
}

function result(c: CheckedComment, ruleIndex: number) {
  const whole = c.fileLevel ? ' (about the whole file)' : '';
  const text = [`${c.title.trim()}${whole}`, c.body.trim(), c.suggestion !== undefined ? `Suggested change:\n${c.suggestion}` : ''].filter(Boolean).join('\n\n');
  const region = c.fileLevel ? { startLine: 1 } : { startLine: c.line, endLine: c.endLine ?? c.line };
  return {
    ruleId: ruleId(c),
    ruleIndex,
    level: LEVEL[c.severity],
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(c.path), uriBaseId: '%SRCROOT%' }, region } }],
    partialFingerprints: { 'agentHarness/v1': fingerprint(c) },
    ...(c.fileLevel ? { properties: { fileLevel: true } } : {}),
  };
}

/** A relative URI: each path segment percent-encoded, the slashes kept. */
function toUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}
