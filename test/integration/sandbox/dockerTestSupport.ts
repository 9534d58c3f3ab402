import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';

/** The offline test image scripts/ensure-docker.sh builds (busybox-static, with a non-root `agent` user). */
export const testImage = process.env.AGENT_HARNESS_TEST_IMAGE ?? 'agent-harness-test/busybox:1';

export const docker = new Docker();

/**
 * A throwaway workspace. Folders are world-writable so the image's non-root user can write in the
 * workspace the way it could in a real checkout owned by the same uid; that is what makes a
 * "Read-only file system" error on a protected path prove the read-only mount, not mere permissions.
 */
export function makeWorkspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ah-sbx-'));
  chmodSync(root, 0o777);
  writeFileSync(path.join(root, 'hello.txt'), 'hello from the host\n');
  mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
  chmodSync(path.join(root, '.git'), 0o777);
  chmodSync(path.join(root, '.git', 'hooks'), 0o777);
  writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(path.join(root, 'src'));
  chmodSync(path.join(root, 'src'), 0o777);
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export async function containerExists(name: string): Promise<boolean> {
  try {
    await docker.getContainer(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}
