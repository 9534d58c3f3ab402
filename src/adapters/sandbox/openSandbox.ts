import path from 'node:path';
import Docker from 'dockerode';
import type { Sandbox, SandboxMode } from '../../core/ports';
import { DevcontainerConfigError, readDevcontainerSettings } from './devcontainerConfig';
import { DockerSandbox, SandboxImageMissingError, SandboxSetupError } from './dockerSandbox';
import { checkDockerStatus, DockerUnavailableError } from './dockerStatus';
import { LocalSandbox } from './localSandbox';
import { removeOrphanedSandboxes } from './orphanedSandboxes';
import { pruneSpillDir } from './spillDir';
import { AuditedSandbox, type AuditedSandboxOptions } from './auditedSandbox';
import { EgressReportingSandbox, openContainerEgress, openLocalEgress, type EgressOptions, type SandboxEgress } from './sandboxEgress';
import { IntegrityLog } from '../integrity/integrityLog';
import { stateLocation } from '../ledger/stateLocation';

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

export async function openSandbox(options: OpenSandboxOptions): Promise<OpenSandboxResult> {
  const spillDir = options.spillDir ?? path.join(options.workspaceRoot, '.agent-harness', 'spill');
  // Best effort: old spilled outputs are only useful for a while.
  pruneSpillDir(spillDir);
  if (options.mode === 'local') {
    // Local mode cannot be walled off; its commands are pointed at the egress proxy (best effort: a
    // program may ignore HTTP_PROXY, which is one more reason local mode asks before every command).
    const egress = await openLocalEgress(options.egress ?? {});
    const sandbox = new LocalSandbox({ workspaceRoot: options.workspaceRoot, spillDir, outputCapBytes: options.outputCapBytes, hostEnv: options.hostEnv, extraEnv: egress.env });
    return { ok: true, sandbox: audited(new EgressReportingSandbox(sandbox, egress), spillDir, options), notices: [sandbox.describe()] };
  }

  const docker = options.docker ?? new Docker();
  const status = await checkDockerStatus({ docker });
  if (!status.available) return { ok: false, reason: 'docker-unavailable', message: status.message };

  let settings;
  try {
    settings = await readDevcontainerSettings(options.workspaceRoot, { imageSetting: options.image });
  } catch (error) {
    if (error instanceof DevcontainerConfigError) return { ok: false, reason: 'devcontainer', message: `${error.message} Commands are disabled for this run.` };
    throw error;
  }

  // Containers left by a session that died without disposing (a crash, a killed editor) go first.
  await removeOrphanedSandboxes(docker).catch(() => undefined);

  let egress: SandboxEgress | undefined;
  if (options.allowNetwork) {
    try {
      egress = await openContainerEgress(docker, options.egress ?? {});
    } catch (error) {
      return { ok: false, reason: 'setup', message: `The network for commands could not be set up (${(error as Error).message}). Commands are disabled for this run.` };
    }
  }
  const sandbox = new DockerSandbox({
    workspaceRoot: options.workspaceRoot,
    settings,
    spillDir,
    docker,
    allowNetwork: options.allowNetwork,
    ...(egress ? { network: egress.network, extraEnv: egress.env } : {}),
    memoryBytes: options.memoryBytes,
    cpus: options.cpus,
    pidsLimit: options.pidsLimit,
    outputCapBytes: options.outputCapBytes,
    hostEnv: options.hostEnv,
  });
  if (options.startNow !== false) {
    try {
      await sandbox.start();
    } catch (error) {
      await sandbox.dispose().catch(() => undefined);
      await egress?.close().catch(() => undefined);
      if (error instanceof SandboxImageMissingError) return { ok: false, reason: 'image-missing', message: `${error.message} Commands are disabled for this run.` };
      if (error instanceof DockerUnavailableError) return { ok: false, reason: 'docker-unavailable', message: error.message };
      if (error instanceof SandboxSetupError) return { ok: false, reason: 'setup', message: `${error.message} Commands are disabled for this run.` };
      throw error;
    }
  }
  const outer = egress ? new EgressReportingSandbox(sandbox, egress) : sandbox;
  return { ok: true, sandbox: audited(outer, spillDir, options), notices: [...settings.warnings, ...sandbox.notices, outer.describe()] };
}

/** Every sandbox is audited after each command; the spill folder is written from the host and left out. */
function audited(sandbox: Sandbox, spillDir: string, options: OpenSandboxOptions): AuditedSandbox {
  const state = stateLocation(options.stateDir);
  const spillRel = path.relative(options.workspaceRoot, spillDir).split(path.sep).join('/');
  return new AuditedSandbox(sandbox, {
    workspaceRoot: options.workspaceRoot,
    quarantineDir: state.quarantineDir,
    integrity: new IntegrityLog(state.integrityDir),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(spillRel && !spillRel.startsWith('..') ? { exclude: [spillRel] } : {}),
    ...(options.onAudit ? { onAudit: options.onAudit } : {}),
  });
}
