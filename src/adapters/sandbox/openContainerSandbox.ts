import Docker from 'dockerode';
import type { Sandbox } from '../../core/ports';
import { DevcontainerConfigError, readDevcontainerSettings } from './devcontainerConfig';
import { DockerSandbox, SandboxImageMissingError, SandboxSetupError } from './dockerSandbox';
import { checkDockerStatus, DockerUnavailableError } from './dockerStatus';
import { removeOrphanedSandboxes } from './orphanedSandboxes';
import type { OpenSandboxOptions, OpenSandboxResult } from './openSandboxTypes';
import { EgressReportingSandbox, openContainerEgress, type SandboxEgress } from './sandboxEgress';

/** The container half of openSandbox (its own module, so a local-mode run never initialises dockerode). */
export async function openContainerSandbox(options: OpenSandboxOptions, spillDir: string, audited: (sandbox: Sandbox) => Sandbox): Promise<OpenSandboxResult> {
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
  return { ok: true, sandbox: audited(outer), notices: [...settings.warnings, ...sandbox.notices, outer.describe()] };
}
