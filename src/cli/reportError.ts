import { EXIT, isUsageError, type CliIo } from './cliIo';
import { isModelError } from '../core/model/errors';

/** Every failure becomes one line; only an unexpected internal error mentions a bug. */
export function reportError(e: unknown, io: CliIo): number {
  if (isUsageError(e)) {
    io.stderr(`agent-harness: ${e.message}\n`);
    return EXIT.usage;
  }
  if (isModelError(e)) {
    io.stderr(`agent-harness: ${e.message}\n`);
    return EXIT.failed;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr(`agent-harness: internal error: ${msg} (set AGENT_HARNESS_DEBUG=1 for details)\n`);
  if (io.env.AGENT_HARNESS_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return EXIT.failed;
}
