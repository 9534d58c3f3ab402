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
  allowNetwork?: boolean;
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
    const sandbox = new LocalSandbox({ workspaceRoot: options.workspaceRoot, spillDir, outputCapBytes: options.outputCapBytes, hostEnv: options.hostEnv });
    return { ok: true, sandbox: audited(sandbox, spillDir, options), notices: [sandbox.describe()] };
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

  const sandbox = new DockerSandbox({
    workspaceRoot: options.workspaceRoot,
    settings,
    spillDir,
    docker,
    allowNetwork: options.allowNetwork,
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
      if (error instanceof SandboxImageMissingError) return { ok: false, reason: 'image-missing', message: `${error.message} Commands are disabled for this run.` };
      if (error instanceof DockerUnavailableError) return { ok: false, reason: 'docker-unavailable', message: error.message };
      if (error instanceof SandboxSetupError) return { ok: false, reason: 'setup', message: `${error.message} Commands are disabled for this run.` };
      throw error;
    }
  }
  return { ok: true, sandbox: audited(sandbox, spillDir, options), notices: [...settings.warnings, ...sandbox.notices, sandbox.describe()] };
}

/** Every sandbox is audited after each command; the spill folder is written from the host and left out. */
function audited(sandbox: LocalSandbox | DockerSandbox, spillDir: string, options: OpenSandboxOptions): AuditedSandbox {
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
