import { spawn } from 'node:child_process';

export interface RgRun {
  /** rg's exit code; null when it could not be started or was stopped. */
  code: number | null;
  stderr: string;
  /** True when `onChunk` asked to stop and rg was killed. */
  stopped: boolean;
}

export interface RgRunOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Called with each piece of stdout as it arrives; returning false stops rg (it is killed). */
  onChunk(chunk: string): boolean | void;
}

/**
 * Runs rg with an argv (never a shell) and streams its stdout. Rejects with the abort reason when the
 * signal fires; every other failure, including a missing binary, resolves with `code: null` so the
 * caller can fall back.
 */
export function runRipgrep(rgPath: string, args: readonly string[], opts: RgRunOptions): Promise<RgRun> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(opts.signal.reason);
      return;
    }
    const child = spawn(rgPath, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let stopped = false;
    let settled = false;
    const onAbort = (): void => {
      child.kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else resolve({ code: stopped ? null : code, stderr, stopped });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stopped) return;
      if (opts.onChunk(chunk) === false) {
        stopped = true;
        child.kill();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.on('error', (e) => {
      stderr += e.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** Cuts streamed text into lines; `push` returns false as soon as `onLine` does. */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => boolean | void) {}

  push(chunk: string): boolean {
    this.pending += chunk;
    let from = 0;
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n', from)) {
      const line = this.pending.slice(from, nl);
      from = nl + 1;
      if (this.onLine(line) === false) {
        this.pending = '';
        return false;
      }
    }
    this.pending = this.pending.slice(from);
    return true;
  }

  /** Delivers a last line that had no newline. */
  end(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
