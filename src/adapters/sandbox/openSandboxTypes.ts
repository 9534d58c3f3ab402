import type Docker from 'dockerode';
import type { Sandbox, SandboxMode } from '../../core/ports';
import type { AuditedSandboxOptions } from './auditedSandbox';
import type { EgressOptions } from './sandboxEgress';

export interface OpenSandboxOptions {
  mode: SandboxMode;
  workspaceRoot: string;
  /**
   * The product's state folder (AGENT_HARNESS_HOME, or the extension's global storage): the audit after
   * every command quarantines into `quarantine/` there and records protected changes in `integrity/`.
   */
  stateDir: string;
  /** The run the sandbox serves, recorded with protected changes. */
  runId?: string;
  onAudit?: AuditedSandboxOptions['onAudit'];
  /** Where full outputs of cut commands go; default `<workspace>/.agent-harness/spill` so read_file can open them. */
  spillDir?: string;
  /** The image setting (agentHarness.sandbox.image, --image), used when devcontainer.json names none. */
  image?: string;
  /** Network for commands in the container, through the egress proxy only (local mode always goes through it). */
  allowNetwork?: boolean;
  /** The egress allowlist beyond the package registries, and credentials the proxy adds on the host. */
  egress?: EgressOptions;
  memoryBytes?: number;
  cpus?: number;
  pidsLimit?: number;
  outputCapBytes?: number;
  /** Start the container now (default), so problems show before the first command. */
  startNow?: boolean;
  docker?: Docker;
  hostEnv?: Record<string, string | undefined>;
}

export type OpenSandboxFailure = 'docker-unavailable' | 'devcontainer' | 'image-missing' | 'setup';

/**
 * Either a sandbox, or the reason there is none. A failure is not an exception: the run goes on without
 * command execution, and `message` is the one sentence to show the user (and to give the model when it
 * asks to run a command).
 */
export type OpenSandboxResult =
  | { ok: true; sandbox: Sandbox; notices: string[] }
  | { ok: false; reason: OpenSandboxFailure; message: string };
