import os from 'node:os';
import type Docker from 'dockerode';
import { sandboxLabel } from './dockerSandbox';
import { egressNetworkLabel } from './sandboxEgress';

/**
 * Removes sandbox containers whose owning process is gone: a session that crashed or was killed never
 * ran dispose(). Only containers started from this host are judged (the labels name the host and the
 * pid); a container whose pid is alive, or from another host sharing the engine, is left alone.
 * Returns the names removed.
 */
export async function removeOrphanedSandboxes(docker: Docker): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [sandboxLabel] } });
  const removed: string[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    if (labels[`${sandboxLabel}.host`] !== os.hostname()) continue;
    const pid = Number(labels[`${sandboxLabel}.pid`]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed.push((info.Names?.[0] ?? info.Id).replace(/^\//, ''));
    } catch {
      // Another session removed it first.
    }
  }
  // The egress networks of sessions that died (their containers are gone by now).
  const networks = await docker.listNetworks({ filters: { label: [egressNetworkLabel] } }).catch(() => []);
  for (const info of networks) {
    const labels = info.Labels ?? {};
    if (labels[`${egressNetworkLabel}.host`] !== os.hostname()) continue;
    const pid = Number(labels[`${egressNetworkLabel}.pid`]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await docker.getNetwork(info.Id).remove().catch(() => undefined);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
