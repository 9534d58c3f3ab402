import { spawn, type ChildProcess } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { constants as osConstants } from 'node:os';
import type { CommandRequest, CommandResult, CommandSegment, Sandbox } from '../../core/ports';
import { clampTimeout } from './clampTimeout';
import { buildLocalEnv } from './envAllowlist';
import { defaultOutputLimits, OutputCollector, type OutputLimits } from './outputCollector';
import { isInside } from './protectedMounts';
import { COMMAND_MARK, killMarkedProcesses } from './strayProcesses';
import { randomUUID } from 'node:crypto';

export interface LocalSandboxOptions {
  workspaceRoot: string;
  /** Host folder for full outputs of cut commands. */
  spillDir: string;
  outputCapBytes?: number;
  streamLimitBytes?: number;
  hostEnv?: Record<string, string | undefined>;
  /** Extra environment for every command (the egress proxy variables). */
  extraEnv?: Record<string, string>;
}

export class LocalSandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalSandboxError';
  }
}

/** How long to wait for output to close after the kill before giving up on a stray holder of the pipe. */
const killGraceMs = 2000;

/**
 * Local mode: runs the policy's parsed segments on the host, each as an argument vector (never a shell
 * string, so `$(...)` or `*` in an argument stays literal). Pipelines are wired with pipes; `&&`, `||`
 * and `;` are sequenced by exit status as a POSIX shell does. Each program starts in its own process
 * group, so a timeout kills the program and everything it started.
 *
 * This is not a sandbox: commands run with the user's full rights. describe() says so, for the UI.
 */
export class LocalSandbox implements Sandbox {
  readonly mode = 'local' as const;
  private readonly workspaceRoot: string;
  private readonly limits: OutputLimits;
  private readonly env: Record<string, string>;
  private readonly running = new Set<ChildProcess>();

  constructor(options: LocalSandboxOptions) {
    this.workspaceRoot = realpathSync(options.workspaceRoot);
    this.limits = {
      capBytes: options.outputCapBytes ?? defaultOutputLimits.capBytes,
      streamLimitBytes: options.streamLimitBytes ?? defaultOutputLimits.streamLimitBytes,
      spillDir: options.spillDir,
      workspaceRoot: this.workspaceRoot,
    };
    this.env = { ...buildLocalEnv(options.hostEnv ?? process.env), ...options.extraEnv };
  }

  describe(): string {
    return `local mode on this machine in ${this.workspaceRoot}: NOT a sandbox, commands run with your own user's full access`;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    if (request.segments.length === 0 || request.segments.some((s) => s.argv.length === 0 || !s.argv[0])) {
      throw new LocalSandboxError('Local mode runs parsed commands only; the command has no program to run.');
    }
    const cwd = this.resolveCwd(request.cwd);
    const started = performance.now();
    const collector = new OutputCollector(this.limits, request.onOutput);
    const live = new Set<ChildProcess>();
    let killed = false;
    let timedOut = false;
    let markKilled!: () => void;
    const whenKilled = new Promise<void>((resolve) => (markKilled = resolve));
    const killAll = (): void => {
      killed = true;
      markKilled();
      for (const child of live) killGroup(child);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, clampTimeout(request.timeoutMs));
    const onAbort = (): void => killAll();
    if (request.signal?.aborted) killAll();
    else request.signal?.addEventListener('abort', onAbort, { once: true });

    let status = 0;
    // Every process of this command carries the mark, so what it leaves running can be found after.
    const mark = randomUUID();
    const env = { ...this.env, [COMMAND_MARK]: mark };
    try {
      for (const pipeline of splitPipelines(request.segments)) {
        if (killed) break;
        const joiner = pipeline[0]!.joiner;
        if (joiner === '&&' && status !== 0) continue;
        if (joiner === '||' && status === 0) continue;
        status = await this.runPipeline(pipeline, cwd, collector, live, () => killed, whenKilled, env);
      }
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      await killMarkedProcesses(mark);
    }
    const collected = collector.finish();
    const result: CommandResult = {
      exitCode: killed ? null : status,
      output: collected.output,
      truncated: collected.truncated,
      durationMs: Math.round(performance.now() - started),
      timedOut,
      killed,
    };
    if (collected.fullOutputPath !== undefined) result.fullOutputPath = collected.fullOutputPath;
    return result;
  }

  async dispose(): Promise<void> {
    for (const child of this.running) killGroup(child);
    this.running.clear();
  }

  private resolveCwd(cwd: string | undefined): string {
    if (!cwd) return this.workspaceRoot;
    if (cwd.includes('\0') || path.isAbsolute(cwd)) throw new LocalSandboxError(`The working directory "${cwd}" must be relative to the workspace root.`);
    let resolved: string;
    try {
      resolved = realpathSync(path.resolve(this.workspaceRoot, cwd));
    } catch {
      throw new LocalSandboxError(`The working directory "${cwd}" does not exist.`);
    }
    if (resolved !== this.workspaceRoot && !isInside(this.workspaceRoot, resolved)) {
      throw new LocalSandboxError(`The working directory "${cwd}" is outside the workspace.`);
    }
    if (!statSync(resolved).isDirectory()) throw new LocalSandboxError(`The working directory "${cwd}" is not a folder.`);
    return resolved;
  }

  /** Runs `a | b | c`; the status is the last program's, as in a shell without pipefail. */
  private runPipeline(
    pipeline: CommandSegment[],
    cwd: string,
    collector: OutputCollector,
    live: Set<ChildProcess>,
    isKilled: () => boolean,
    whenKilled: Promise<void>,
    env: Record<string, string>,
  ): Promise<number> {
    const waits: Promise<number>[] = [];
    let previous: ChildProcess | undefined;
    pipeline.forEach((segment, index) => {
      const last = index === pipeline.length - 1;
      const [program, ...args] = segment.argv as [string, ...string[]];
      const child = spawn(program, args, {
        cwd,
        env,
        shell: false,
        detached: true,
        windowsHide: true,
        stdio: [previous ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
      live.add(child);
      this.running.add(child);
      if (isKilled()) killGroup(child);
      child.stderr!.on('data', (chunk: Buffer) => collector.push(chunk));
      if (last) child.stdout!.on('data', (chunk: Buffer) => collector.push(chunk));
      if (previous) {
        const upstream = previous.stdout!;
        const stdin = child.stdin!;
        // When a reader exits early (`yes | head -1`) the writer must stop the way it would in a shell, by
        // SIGPIPE. Node's stdio are socket pairs, where closing our end with data unread makes the writer
        // see ECONNRESET and print an error instead, so the writer's group gets SIGPIPE before the close.
        const writer = previous;
        const stopWriter = (): void => {
          if (writer.exitCode === null && writer.signalCode === null && writer.pid !== undefined) {
            try {
              process.kill(-writer.pid, 'SIGPIPE');
            } catch {
              // Already gone.
            }
          }
          upstream.destroy();
        };
        stdin.on('error', stopWriter);
        upstream.pipe(stdin);
        child.on('exit', stopWriter);
        // A reader that could not start reads nothing, so the writer stops the same way.
        child.on('error', stopWriter);
      }
      waits.push(
        new Promise<number>((resolve) => {
          let settled = false;
          const finish = (code: number): void => {
            if (settled) return;
            settled = true;
            live.delete(child);
            this.running.delete(child);
            resolve(code);
          };
          child.on('error', (error: NodeJS.ErrnoException) => {
            const reason = error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
            collector.push(Buffer.from(`agent-harness: ${program}: ${reason}\n`));
            finish(error.code === 'ENOENT' ? 127 : 126);
          });
          child.on('exit', (code, signal) => {
            const status = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
            // Output can outlive the program (a child it left behind holds the pipe). Wait for it, but after
            // a kill only briefly: a process that left the group could hold it open for ever.
            void Promise.race([waitForClose(child), whenKilled.then(() => delay(killGraceMs))]).then(() => {
              child.stdout?.destroy();
              child.stderr?.destroy();
              finish(status);
            });
          });
        }),
      );
      previous = child;
    });
    return Promise.all(waits).then((codes) => codes[codes.length - 1] ?? 0);
  }
}

/** Groups segments into pipelines: a segment joined by `|` belongs to the pipeline before it. */
export function splitPipelines(segments: CommandSegment[]): CommandSegment[][] {
  const pipelines: CommandSegment[][] = [];
  for (const segment of segments) {
    const current = pipelines[pipelines.length - 1];
    if (segment.joiner === '|' && current) current.push(segment);
    else pipelines.push([segment]);
  }
  return pipelines;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone; make sure the direct child is too.
    try {
      child.kill('SIGKILL');
    } catch {
      // Already exited.
    }
  }
}

function waitForClose(child: ChildProcess): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((s) => s && !s.destroyed && !s.readableEnded);
  return Promise.all(
    streams.map((s) => new Promise<void>((resolve) => {
      s!.once('close', () => resolve());
      s!.once('end', () => resolve());
    })),
  ).then(() => undefined);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
