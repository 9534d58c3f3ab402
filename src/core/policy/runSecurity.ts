import type { Hold } from './approvals';
import type { CommandCheck } from './approvals';
import { ManifestTracker } from './manifests';
import { findTaint } from './taint';
import { containsKeyShape } from '../trace/redact';

/** Why the run is tainted, and by what. */
export interface Taint {
  /** Which tool result, e.g. `read_file README.md`. */
  source: string;
  what: string;
  kind: 'instructions' | 'secret';
}

/** Tools whose results are content from the workspace or the world (not the person's own answers). */
const WATCHED_KINDS = new Set(['read', 'command', 'external']);
const CODE_OR_NETWORK_RISKS = new Set(['code', 'network', 'protected', 'destructive']);

/**
 * What one run has learned that changes its approvals (issue 14, items 4 and 6):
 * - the manifests it changed (package.json, Makefile …), through its edits or its commands: a runner
 *   of a changed manifest needs a person for the rest of the run;
 * - whether a tool result carried instructions aimed at the agent, or credentials: from then on every
 *   command that can run code or reach the network (even an allowlisted `npm test`) needs a person,
 *   whatever auto-approval says, and the reason names the source.
 */
export class RunSecurity {
  readonly manifests = new ManifestTracker();
  private taint: Taint | undefined;

  constructor(private readonly onTaint?: (taint: Taint) => void) {}

  get tainted(): Taint | undefined {
    return this.taint;
  }

  /** Looks at a tool's result; the first finding taints the run (and is reported once). */
  inspect(toolName: string, toolKind: string, args: unknown, content: string): void {
    if (this.taint || !WATCHED_KINDS.has(toolKind)) return;
    const finding = findTaint(content, containsKeyShape);
    if (!finding) return;
    this.taint = { source: describeSource(toolName, args), what: finding.what, kind: finding.kind };
    this.onTaint?.(this.taint);
  }

  /** A file the run changed (an edit, or a command's changed manifests). */
  noteChanged(relativePath: string): void {
    this.manifests.note(relativePath);
  }

  /** What holds this command back for a person, beyond the command policy's own verdict. */
  holds(command: CommandCheck): Hold[] {
    const holds = new Map<string, Hold>();
    for (const seg of command.segments) {
      const program = seg.argv[0];
      if (program === undefined) continue;
      const manifest = this.manifests.hold(program);
      if (manifest) holds.set(manifest, { reason: manifest, kind: 'manifest' });
      if (this.taint && (seg.capability !== undefined || ((seg as { risks?: readonly string[] }).risks ?? []).some((r) => CODE_OR_NETWORK_RISKS.has(r)))) {
        const why = `auto-approval is suspended: ${this.taint.source} contained ${this.taint.what}, so commands that can run code or reach the network need a person for the rest of the run`;
        holds.set(why, { reason: why, kind: 'tainted' });
      }
    }
    return [...holds.values()];
  }
}

function describeSource(toolName: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  const what = typeof a.path === 'string' ? a.path : typeof a.command === 'string' ? a.command : typeof a.pattern === 'string' ? a.pattern : '';
  const shown = what.length > 80 ? `${what.slice(0, 79)}…` : what;
  return shown ? `${toolName} ${shown}` : toolName;
}
