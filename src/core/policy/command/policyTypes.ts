import type { CommandSegment, SandboxMode } from '../../ports';

/** `allow` runs without asking, `ask` needs a human to approve this exact command, `deny` never runs. */
export type Verdict = 'allow' | 'ask' | 'deny';

const VERDICT_RANK: Record<Verdict, number> = { allow: 0, ask: 1, deny: 2 };

/**
 * What kind of risk made a finding ask (or deny), so approvals can treat kinds differently: an
 * auto-approval tier may approve `unlisted`, `write`, `syntax` and `local` asks, never the others.
 * - code: runs code the policy cannot see (inline code, a runner like `sh -c`, a module loaded by an
 *   option, an environment variable that loads code, shell it cannot parse). The default: a finding
 *   without a risk counts as code, so an unclassified ask can never be auto-approved.
 * - network, destructive, protected (writes a protected path), secret (reads credentials or home files)
 * - write: writes an ordinary workspace file; unlisted: a program or form the allowlist does not cover;
 *   syntax: shell structure the policy judges around (inner commands are judged on their own);
 *   local: allowed in a container, asked only because local mode is not a sandbox.
 */
export type Risk = 'code' | 'network' | 'destructive' | 'protected' | 'secret' | 'write' | 'unlisted' | 'syntax' | 'local';

/** Risks only a person may approve, whatever auto-approval is on. */
export const PERSON_ONLY_RISKS: ReadonlySet<Risk> = new Set(['code', 'network', 'destructive', 'protected', 'secret']);

/** The stricter of two verdicts: a line is only as safe as its least safe part. */
export function stricter(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

export type Joiner = '&&' | '||' | ';' | '|';

export interface PolicySegment {
  /** The argument vector with quoting removed: what the rules judged and what local mode would run. */
  argv: string[];
  /** How this segment joins the previous one; absent for the first. */
  joiner?: Joiner;
  verdict: Verdict;
  /** Why, in one sentence (several causes are joined with "; "). */
  reason: string;
  /** The risks behind an ask or deny (empty for allow). */
  risks: Risk[];
  /**
   * For an allowed segment, what it can do even so: `code` (it runs the project's own code or scripts,
   * `npm test`) or `network`. A tainted run holds these back for a person.
   */
  capability?: 'code' | 'network';
}

export interface CommandVerdict {
  verdict: Verdict;
  /** What decided the verdict: the causes of ask/deny, or why each part is allowed. Shown to the user and the model. */
  reasons: string[];
  /** The risks behind the verdict (every ask and deny finding's), for approvals; empty for allow. */
  risks: Risk[];
  segments: PolicySegment[];
  /**
   * True when running the segments in order, with their joiners (pipes binding tighter than `&&` and
   * `||`, then `;`), does what the shell would do with the line, apart from redirections to /dev/null
   * and fd duplications. Local mode runs segments with execFile, so it must refuse a line where this
   * is false (a subshell, a substitution, a heredoc...) even after a human approved it.
   */
  segmentsExact: boolean;
}

export const DEFAULT_MAX_SEGMENTS = 16;
/** A line longer than this is not parsed at all: nobody can review it, so it needs a human anyway. */
export const MAX_COMMAND_LENGTH = 16_384;

export interface CommandPolicyConfig {
  mode: SandboxMode;
  allow: readonly string[];
  localAutoAllow?: boolean;
  maxSegments?: number;
  /** Folders holding tree-sitter.wasm and tree-sitter-bash.wasm (see locateWasmDirs). */
  wasmDirs: readonly string[];
  /** The product's configuration folder, protected from redirection writes (default `.agent-harness`). */
  configDirName?: string;
  /** A person's or a team's deny rules (denyRules.ts): they win over the allowlist and every auto-approval tier. */
  deny?: readonly string[];
  /** How deep `sh -c` scripts are judged again (internal; 0 at the top). */
  scriptDepth?: number;
}

/** The port's view of a verdict's segments (what a sandbox runs). */
export function toCommandSegments(segments: readonly PolicySegment[]): CommandSegment[] {
  return segments.map((s) => (s.joiner ? { argv: [...s.argv], joiner: s.joiner } : { argv: [...s.argv] }));
}

/** One cause found while judging a segment or the whole line. */
export interface Finding {
  verdict: Verdict;
  reason: string;
  /** Absent means `code` (see Risk). For an allow, the segment's capability. */
  risk?: Risk;
  /** A glob in an argument, with its pattern: harmless for programs that only read (ProgramRule.readsOnly). */
  glob?: string;
}

export function riskOf(f: Finding): Risk {
  return f.risk ?? 'code';
}
