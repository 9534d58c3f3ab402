import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const STATE_DIR = mkdtempSync(path.join(os.tmpdir(), 'ah-cli-state-'));

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would: a separate process, its own environment (no inherited
 * AGENT_HARNESS_* variables unless given), never a shell. Asynchronous, so a scripted server in the
 * test process keeps answering.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliOutcome> {
  // State (ledger, traces, journals) goes to a folder of the test run, never the user's home.
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AGENT_HARNESS_HOME: STATE_DIR };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env }, cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A user mistake or a gateway failure is one line, never a stack trace. */
export function expectNoStack(stderr: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(stderr) || /node:internal/.test(stderr)) throw new Error(`stderr has a stack trace:\n${stderr}`);
}
