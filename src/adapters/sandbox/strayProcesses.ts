import { readdir, readFile } from 'node:fs/promises';

/**
 * Local mode marks every process a command starts with an environment variable; whatever still runs
 * with that mark when the command has ended (a `setsid` daemon, a double fork) left its process group
 * and is killed here. The environment is inherited by every descendant unless one clears it on
 * purpose, so this finds what the group kill cannot. Linux only (it reads /proc); elsewhere the group
 * kill is all there is, and describe() of the local sandbox says it is not a sandbox.
 */
export const COMMAND_MARK = 'AGENT_HARNESS_COMMAND_ID';

export async function killMarkedProcesses(mark: string): Promise<number> {
  if (process.platform !== 'linux') return 0;
  const needle = Buffer.from(`${COMMAND_MARK}=${mark}\0`);
  let killed = 0;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
  await Promise.all(
    pids.map(async (pid) => {
      const env = await readFile(`/proc/${pid}/environ`).catch(() => undefined);
      if (!env || env.indexOf(needle) < 0) return;
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // Gone already, or not ours.
      }
    }),
  );
  return killed;
}
