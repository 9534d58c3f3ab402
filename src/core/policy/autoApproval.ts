import type { ApprovalRequest, ApprovalResponse, Approver } from './approvalsWrapper';
import { PERSON_ONLY_KINDS, type AskKind } from './askKinds';

export { PERSON_ONLY_KINDS, type AskKind };

/**
 * Auto-approval tiers, each including the one before:
 * - `edits`: apply proposed edits without the diff review (protected paths still ask);
 * - `commands`: also run what the command policy allows in a container without asking in local mode;
 * - `all`: also what the policy asks about for any other reason (a program not on the allowlist, an
 *   ordinary file write, shell syntax, a tool the profile asks about).
 * `off` asks for everything. No tier covers PERSON_ONLY_KINDS.
 */
export const AUTO_APPROVE_TIERS = ['off', 'edits', 'commands', 'all'] as const;
export type AutoApproveTier = (typeof AUTO_APPROVE_TIERS)[number];

const TIER_KINDS: Record<AutoApproveTier, ReadonlySet<AskKind>> = {
  off: new Set(),
  edits: new Set(['write']),
  commands: new Set(['write', 'local']),
  all: new Set(['write', 'local', 'unlisted', 'syntax', 'tool']),
};

export function tierCovers(tier: AutoApproveTier, kinds: readonly AskKind[]): boolean {
  const allowed = TIER_KINDS[tier];
  return kinds.length > 0 && kinds.every((k) => allowed.has(k) && !PERSON_ONLY_KINDS.has(k));
}

export function tierAppliesEdits(tier: AutoApproveTier): boolean {
  return tier !== 'off';
}

export function parseTier(value: string): AutoApproveTier | undefined {
  return (AUTO_APPROVE_TIERS as readonly string[]).includes(value) ? (value as AutoApproveTier) : undefined;
}

/** Human words for the kinds a person must decide, for a refusal message. */
export function describeKinds(kinds: readonly AskKind[]): string {
  const words: Record<AskKind, string> = {
    code: 'runs code the policy cannot check',
    network: 'uses the network',
    destructive: 'is destructive',
    protected: 'writes a protected path',
    secret: 'reads credentials',
    manifest: 'runs a manifest this run changed',
    tainted: 'comes after untrusted content in this run',
    write: 'writes a file',
    unlisted: 'is not on the allowlist',
    syntax: 'uses shell syntax the policy judges around',
    local: 'runs on this machine (local mode)',
    tool: 'is a tool the profile asks about',
  };
  return [...new Set(kinds)].map((k) => words[k]).join(', ');
}

/**
 * Approves what the tier covers and hands everything else to `fallback` (a terminal prompt, the side
 * panel, or a refusal). A request without kinds is never auto-approved.
 */
export function autoApprover(tier: AutoApproveTier, fallback: Approver): Approver {
  return {
    async request(req: ApprovalRequest, signal: AbortSignal): Promise<ApprovalResponse> {
      if (tierCovers(tier, req.kinds ?? [])) return { approved: true, key: req.key };
      return fallback.request(req, signal);
    },
  };
}

/** For a run nobody can answer: refuses, naming what made the call need a person and how to allow what a tier can. */
export function refuseUnattended(tier: AutoApproveTier): Approver {
  return {
    async request(req) {
      const kinds = req.kinds ?? [];
      const personOnly = kinds.filter((k) => PERSON_ONLY_KINDS.has(k));
      const why = personOnly.length > 0
        ? `it ${describeKinds(personOnly)}, which only a person may approve (no auto-approval tier covers it), and no one can answer here`
        : tier === 'off'
          ? 'no one can approve it in a non-interactive run; re-run with --yes (or --auto-approve edits|commands|all) to approve what a tier covers'
          : `the auto-approval tier "${tier}" does not cover it (it ${describeKinds(kinds)}), and no one can answer here`;
      return { approved: false, reason: `${why}. It asked because: ${req.reasons.join('; ')}` };
    },
  };
}
