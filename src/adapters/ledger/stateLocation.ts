import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI keeps its own state: the usage ledger, traces and the breaker state file.
 * `AGENT_HARNESS_HOME` moves all of it (tests, CI); the default is `~/.agent-harness`. The extension
 * uses its global storage folder instead and passes that in.
 */
export interface StateLocation {
  root: string;
  usageDir: string;
  tracesDir: string;
  breakerStateFile: string;
  /** Entries the post-command audit moved out of a workspace (adapters/sandbox/commandAudit.ts). */
  quarantineDir: string;
  /** Per-workspace records of protected changes (adapters/integrity/integrityLog.ts). */
  integrityDir: string;
}

export function stateLocation(root: string): StateLocation {
  return {
    root,
    usageDir: join(root, 'usage'),
    tracesDir: join(root, 'traces'),
    breakerStateFile: join(root, 'gateway-state.json'),
    quarantineDir: join(root, 'quarantine'),
    integrityDir: join(root, 'integrity'),
  };
}

export function cliStateLocation(env: NodeJS.ProcessEnv): StateLocation {
  return stateLocation(env.AGENT_HARNESS_HOME || join(homedir(), '.agent-harness'));
}
