import type { RunStatus } from '../core/agent/runResult';
import { EXIT } from './cliIo';

/** The process exit code for how a run ended (run, resume, team result). */
export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'completed':
      return EXIT.ok;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return EXIT.failed;
    default:
      return EXIT.limit;
  }
}
