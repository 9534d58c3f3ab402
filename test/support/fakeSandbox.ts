import type { CommandRequest, CommandResult, Sandbox, SandboxMode } from '../../src/core/ports';

/**
 * A Sandbox that runs nothing: it records each request and answers with a scripted result (or
 * throws a scripted error), so tests of the run_command tool see exactly what would have run.
 */
export class FakeSandbox implements Sandbox {
  readonly requests: CommandRequest[] = [];
  disposed = false;
  private readonly queue: (Partial<CommandResult> | Error)[] = [];

  constructor(
    readonly mode: SandboxMode = 'container',
    private readonly description = 'fake container (image test:1)',
  ) {}

  /** The next run answers with this (defaults: exit 0, no output, 5 ms). */
  willReturn(result: Partial<CommandResult>): this {
    this.queue.push(result);
    return this;
  }

  willThrow(error: Error): this {
    this.queue.push(error);
    return this;
  }

  describe(): string {
    return this.description;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    this.requests.push(request);
    const next = this.queue.shift() ?? {};
    if (next instanceof Error) throw next;
    const result: CommandResult = { exitCode: 0, output: '', truncated: false, durationMs: 5, timedOut: false, killed: false, ...next };
    if (result.output !== '') request.onOutput?.(result.output);
    return result;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
