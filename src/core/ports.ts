/**
 * The small interfaces the core needs from outside. Each is implemented in src/adapters (Node) or
 * src/extension (VS Code) and passed in by a composition root; the core never reaches for a global.
 *
 * Workspace files are read and written with node:fs in the core itself, behind the path guard: the
 * extension host and the CLI both run on the machine that holds the files, so a port would only
 * forward calls. The model port lives in model/modelClient.ts.
 */

export type SandboxMode = 'container' | 'local';

/** One simple command of a parsed command line, and the operator that joins it to the previous one. */
export interface CommandSegment {
  argv: string[];
  /** How this segment joins the previous one; absent for the first. */
  joiner?: '&&' | '||' | ';' | '|';
}

export interface CommandRequest {
  /** The exact command line the policy judged (and a person approved, when it asked). */
  commandLine: string;
  /** The parsed segments. Local mode runs these with execFile and never uses a shell string. */
  segments: CommandSegment[];
  /** Working directory relative to the workspace root ('' for the root). */
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Streamed output, for the UI. */
  onOutput?: (chunk: string) => void;
}

export interface CommandResult {
  exitCode: number | null;
  /** Combined stdout and stderr, capped: head and tail kept, with a note in between when cut. */
  output: string;
  truncated: boolean;
  /** When the output was cut, where the full output was saved (a path the model can read_file). */
  fullOutputPath?: string;
  durationMs: number;
  timedOut: boolean;
  killed: boolean;
  /**
   * What the audit after the command found and did (a protected file restored, an entry quarantined,
   * a new executable), one sentence each, for the model and the person. Absent when nothing was found.
   */
  audit?: string[];
  /** Manifests the command changed (package.json, Makefile …): runners of those need a person from then on. */
  manifestsChanged?: string[];
  /** Network requests the egress proxy refused during the command, one line each. */
  egressRefused?: string[];
}

/** Where commands run: a dev container (Docker) or, for development, the host. */
export interface Sandbox {
  readonly mode: SandboxMode;
  /** A one-line description for approvals ("container agent-harness-sbx-1a2b (image node:22)"). */
  describe(): string;
  run(request: CommandRequest): Promise<CommandResult>;
  dispose(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
