/** Where the CLI writes. Results go to stdout; progress and errors to stderr. Tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** True when a person can answer questions on the terminal. */
  interactive: boolean;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
};

const USAGE_ERROR = Symbol.for('agent-harness.usage-error');

/** A mistake in how the CLI was called or configured: one clear line, exit code 2, no stack trace. */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** True for a UsageError from any bundle (each CLI command is its own bundle, so `instanceof` is not enough). */
export function isUsageError(e: unknown): e is UsageError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[USAGE_ERROR] === true;
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  limit: 3,
  cancelled: 130,
} as const;
