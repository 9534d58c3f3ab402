import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { clampTimeout } from './clampTimeout';
import { OutputCollector, type OutputLimits } from './outputCollector';
import type { CommandResult } from '../../core/ports';

/**
 * The sweep after a command: every process that was reparented to pid 1 (the container's init) is a
 * leftover of a command (a `setsid` daemon, a `&` job whose shell is gone), except the keep-alive loop
 * the container was started with ($2). They are killed until none is left, a few rounds at most (a
 * killed daemon's children are reparented to pid 1 in turn). Processes of other execs (their parent is
 * outside the container, ppid 0) are left alone. POSIX sh only: images may have no ps, awk or sed.
 */
export const STRAY_SWEEP = `keep="$2"; round=0
while [ "$round" -lt 5 ]; do
  found=
  for d in /proc/[0-9]*; do
    p=\${d#/proc/}
    if [ "$p" = 1 ] || [ "$p" = "$$" ] || [ "$p" = "$keep" ]; then continue; fi
    pp=
    while read -r k v; do if [ "$k" = "PPid:" ]; then pp=$v; fi; done < "$d/status" 2>/dev/null
    if [ "$pp" = 1 ]; then kill -9 "$p" 2>/dev/null && found=1; fi
  done
  [ -z "$found" ] && break
  round=$((round + 1))
done`;

/**
 * Runs one command line in a running container with `docker exec` and `sh -c`.
 *
 * Killing the whole process tree: runc starts every exec'd process as the leader of a new session and
 * process group, so the wrapper's own pid is the group id of everything the command starts (unless a
 * child deliberately leaves the group with setsid). The wrapper reports that pid on stderr as its very
 * first write, before the command exists, so nothing can interleave with it; on timeout a second exec
 * sends SIGKILL to the negative pid, which reaches the command and all its children at once.
 */
const pgidMarker = '\u001eagent-harness-pgid:';
// The command runs as a child (not exec'd), so the wrapper outlives it and sweeps what it left behind.
const wrapperScript = `printf '\\036agent-harness-pgid:%s\\n' "$$" >&2
/bin/sh -c "$1"
rc=$?
${STRAY_SWEEP}
exit "$rc"`;

export interface ExecSpec {
  container: Docker.Container;
  commandLine: string;
  user?: string;
  workingDir: string;
  env: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  limits: OutputLimits;
  onOutput?: (chunk: string) => void;
  /** The pid of the container's keep-alive loop (in the container), spared by the sweep. */
  keepalivePid?: number;
}

export interface ExecOutcome extends CommandResult {
  /** True when the process tree could not be killed precisely; the caller then replaces the container. */
  killFailed: boolean;
}

/** How long to wait for the output to end after SIGKILL before giving up on the stream. */
const killGraceMs = 3000;
/** How long a kill waits for the wrapper's group id when it comes very early. */
const markerWaitMs = 2000;

export async function runExec(spec: ExecSpec): Promise<ExecOutcome> {
  const started = performance.now();
  const exec = await spec.container.exec({
    Cmd: ['/bin/sh', '-c', wrapperScript, 'agent-harness', spec.commandLine, String(spec.keepalivePid ?? 0)],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    Tty: false,
    User: spec.user ?? '',
    WorkingDir: spec.workingDir,
    Env: spec.env,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const collector = new OutputCollector(spec.limits, spec.onOutput);

  let pgid: number | undefined;
  let markerSeen!: () => void;
  const markerRead = new Promise<void>((resolve) => (markerSeen = resolve));
  let markerPending: Buffer | undefined = Buffer.alloc(0);
  const onStderr = (payload: Buffer): void => {
    if (markerPending === undefined) return collector.push(payload);
    markerPending = Buffer.concat([markerPending, payload]);
    const newline = markerPending.indexOf(0x0a);
    if (newline < 0 && markerPending.length < 64) return;
    const line = markerPending.subarray(0, newline < 0 ? markerPending.length : newline).toString('utf8');
    const rest = markerPending.subarray(newline < 0 ? markerPending.length : newline + 1);
    markerPending = undefined;
    markerSeen();
    if (line.startsWith(pgidMarker)) {
      const parsed = Number(line.slice(pgidMarker.length));
      if (Number.isSafeInteger(parsed) && parsed > 1) pgid = parsed;
      collector.push(rest);
    } else {
      // No marker: the wrapper did not run as expected; pass everything through unchanged.
      collector.push(Buffer.concat([Buffer.from(line), newline < 0 ? Buffer.alloc(0) : Buffer.from('\n'), rest]));
    }
  };
  const demux = new DockerStreamDemuxer((kind, payload) => (kind === 2 ? onStderr(payload) : collector.push(payload)));

  let timedOut = false;
  let killed = false;
  let killFailed = false;
  const ended = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });

  const killTree = async (): Promise<void> => {
    killed = true;
    // A kill right after the start may come before the wrapper has reported its group; it does so at once.
    if (pgid === undefined) await Promise.race([markerRead, ended, unrefDelay(markerWaitMs)]);
    if (pgid !== undefined) {
      try {
        await sendGroupKill(spec, pgid);
      } catch {
        killFailed = true;
      }
    } else {
      killFailed = true;
    }
    // The stream ends once the group is dead. If it does not (no group id, or a child left the group
    // holding the output open), stop waiting: the caller replaces the container, which ends everything.
    const settled = killFailed ? false : await Promise.race([ended.then(() => true), unrefDelay(killGraceMs).then(() => false)]);
    if (!settled) {
      killFailed = true;
      stream.destroy();
    }
  };

  let killing: Promise<void> | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killing ??= killTree();
  }, clampTimeout(spec.timeoutMs));
  const onAbort = (): void => {
    killing ??= killTree();
  };
  if (spec.signal?.aborted) onAbort();
  else spec.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await ended;
    if (killing) await killing;
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
  if (markerPending && markerPending.length > 0) collector.push(markerPending);

  const result = collector.finish();
  const exitCode = killed ? null : await readExitCode(exec);
  const outcome: ExecOutcome = {
    exitCode,
    output: result.output,
    truncated: result.truncated,
    durationMs: Math.round(performance.now() - started),
    timedOut,
    killed,
    killFailed,
  };
  if (result.fullOutputPath !== undefined) outcome.fullOutputPath = result.fullOutputPath;
  return outcome;
}

async function sendGroupKill(spec: ExecSpec, pgid: number): Promise<void> {
  const killer = await spec.container.exec({
    Cmd: ['/bin/sh', '-c', `kill -KILL -- "-$1" 2>/dev/null || kill -9 "-$1"\n${STRAY_SWEEP}`, 'agent-harness-kill', String(pgid), String(spec.keepalivePid ?? 0)],
    User: spec.user ?? '',
    AttachStdout: true,
    AttachStderr: true,
  });
  const killStream = (await killer.start({ hijack: true, stdin: false })) as Duplex;
  killStream.resume();
  await new Promise<void>((resolve) => {
    killStream.on('end', resolve);
    killStream.on('close', resolve);
    killStream.on('error', () => resolve());
  });
}

async function readExitCode(exec: Docker.Exec): Promise<number | null> {
  // The stream ends when the process closes its output; the engine may record the exit a moment later.
  for (let attempt = 0; attempt < 50; attempt++) {
    let info: Docker.ExecInspectInfo;
    try {
      info = await exec.inspect();
    } catch {
      // The container went away with the command (removed, or dispose() during the run): no status to report.
      return null;
    }
    if (!info.Running) return typeof info.ExitCode === 'number' ? info.ExitCode : null;
    await delay(attempt < 10 ? 2 : 20);
  }
  return null;
}

/**
 * The keep-alive loop's pid: right after the container starts it is the only child of pid 1 (the
 * container's init). Undefined when it cannot be told (then the sweep spares nothing it cannot name,
 * and the container is replaced if the loop dies).
 */
export async function findKeepalivePid(container: Docker.Container, user: string | undefined): Promise<number | undefined> {
  const script = 'for d in /proc/[0-9]*; do p=${d#/proc/}; while read -r k v; do if [ "$k" = "PPid:" ] && [ "$v" = 1 ]; then echo "$p"; fi; done < "$d/status" 2>/dev/null; done';
  const exec = await container.exec({ Cmd: ['/bin/sh', '-c', script], User: user ?? '', AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  let out = '';
  const demux = new DockerStreamDemuxer((kind, payload) => {
    if (kind === 1) out += payload.toString('utf8');
  });
  await new Promise<void>((resolve) => {
    stream.on('data', (c: Buffer) => demux.push(c));
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  const pids = out.split('\n').map((l) => Number(l.trim())).filter((n) => Number.isSafeInteger(n) && n > 1);
  return pids.length === 1 ? pids[0] : undefined;
}

/** A wait that does not keep the process alive on its own. */
function unrefDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Splits Docker's multiplexed attach stream: each frame is an 8-byte header (stream type, three zero
 * bytes, big-endian payload length) followed by the payload. Chunks may cut frames anywhere.
 */
export class DockerStreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (kind: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length >= 8) {
      const size = data.readUInt32BE(4);
      if (data.length < 8 + size) break;
      const kind = data[0]!;
      this.onFrame(kind, data.subarray(8, 8 + size));
      data = data.subarray(8 + size);
    }
    this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }
}
