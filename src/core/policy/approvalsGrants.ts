import { createHash } from 'node:crypto';
import { z } from 'zod';

export const GrantScopeSchema = z.enum(['run', 'workspace']);
/** How long an "always allow" lasts: this run only, or this workspace until revoked. */
export type GrantScope = z.infer<typeof GrantScopeSchema>;

/**
 * What an "always allow" covers: a tool by name, and for command tools one exact command (its parsed
 * segments, so spacing and quoting do not matter but any other difference does).
 */
export const GrantSubjectSchema = z.strictObject({
  tool: z.string().min(1),
  command: z.string().min(1).optional(),
});
export type GrantSubject = z.infer<typeof GrantSubjectSchema>;

export const StandingGrantSchema = z.strictObject({
  scope: GrantScopeSchema,
  subject: GrantSubjectSchema,
  /** ISO time it was granted, for the UI that lists and revokes grants. */
  grantedAt: z.string(),
});
export type StandingGrant = z.infer<typeof StandingGrantSchema>;

/** The exact-command key of parsed segments: joiner and argv of each, as JSON. */
export function commandSubjectKey(segments: readonly { argv: readonly string[]; joiner?: string }[]): string {
  return JSON.stringify(segments.map((s) => [s.joiner ?? '', ...s.argv]));
}

/**
 * The user's standing grants. Run grants live as long as this object (one run); workspace grants are
 * loaded from and saved through the caller (the extension keeps them in workspace state), which is
 * told after every change. Grants are only consulted for asks the rules mark grantable.
 */
export class GrantStore {
  private readonly grants: StandingGrant[] = [];

  constructor(
    workspaceGrants: readonly StandingGrant[] = [],
    private readonly onWorkspaceChange?: (grants: StandingGrant[]) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const g of workspaceGrants) {
      const parsed = StandingGrantSchema.safeParse(g);
      // A stored grant that no longer parses is dropped, never widened into something it was not.
      if (parsed.success && parsed.data.scope === 'workspace') this.grants.push(parsed.data);
    }
  }

  add(scope: GrantScope, subject: GrantSubject): StandingGrant {
    const existing = this.match(subject);
    if (existing && (existing.scope === scope || existing.scope === 'workspace')) return existing;
    const grant: StandingGrant = { scope, subject: { ...subject }, grantedAt: this.now().toISOString() };
    this.grants.push(grant);
    if (scope === 'workspace') this.onWorkspaceChange?.(this.list('workspace'));
    return grant;
  }

  /** The grant covering exactly this subject, preferring a workspace grant. */
  match(subject: GrantSubject): StandingGrant | undefined {
    const hits = this.grants.filter((g) => g.subject.tool === subject.tool && g.subject.command === subject.command);
    return hits.find((g) => g.scope === 'workspace') ?? hits[0];
  }

  revoke(subject: GrantSubject, scope: GrantScope): boolean {
    const before = this.grants.length;
    for (let i = this.grants.length - 1; i >= 0; i--) {
      const g = this.grants[i]!;
      if (g.scope === scope && g.subject.tool === subject.tool && g.subject.command === subject.command) this.grants.splice(i, 1);
    }
    const changed = this.grants.length !== before;
    if (changed && scope === 'workspace') this.onWorkspaceChange?.(this.list('workspace'));
    return changed;
  }

  list(scope?: GrantScope): StandingGrant[] {
    return this.grants.filter((g) => scope === undefined || g.scope === scope).map((g) => ({ ...g, subject: { ...g.subject } }));
  }
}

/**
 * The identity of one approval: the tool, its exact arguments and a hash of the content the person was
 * shown (a file's new text, a diff). Any difference gives a different key, so an approval never
 * carries over to a call nobody saw.
 */
export function approvalKey(tool: string, args: unknown, contentHash?: string): string {
  const canonical = canonicalJson({ tool, args: args ?? null, contentHash: contentHash ?? null });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
