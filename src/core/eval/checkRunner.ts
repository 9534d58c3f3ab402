import { checkCommand } from '../policy/command/checkCommand';
import { toCommandSegments } from '../policy/command/policyTypes';
import type { CommandSegment, Sandbox, SandboxMode } from '../ports';
import type { CheckOutcome } from './judge';

const CHECK_TIMEOUT_MS = 120_000;

/**
 * Runs a check command the way the run ran its commands: in its sandbox (the container, or local
 * mode's shell-less execution of the parsed line). The suite's author wrote it, so the policy's
 * verdict does not apply; only its parse does. `sandbox` is the reason when commands were disabled.
 */
export async function runCheck(sandbox: Sandbox | string | undefined, command: string, timeoutSeconds: number | undefined, wasmDirs: readonly string[]): Promise<CheckOutcome> {
  if (typeof sandbox !== 'object') return { exitCode: null, timedOut: false, tail: '', error: `commands are disabled for this run: ${sandbox ?? 'no sandbox'}` };
  const parsed = await parseCheck(command, sandbox.mode, wasmDirs);
  if ('error' in parsed) return { exitCode: null, timedOut: false, tail: '', error: parsed.error };
  const r = await sandbox.run({ commandLine: command, segments: parsed.segments, timeoutMs: (timeoutSeconds ?? CHECK_TIMEOUT_MS / 1000) * 1000 });
  return { exitCode: r.exitCode, timedOut: r.timedOut, tail: telling(r.output) };
}

/** The check's parsed segments, or why this sandbox cannot run it. */
export async function parseCheck(command: string, mode: SandboxMode, wasmDirs: readonly string[]): Promise<{ segments: CommandSegment[] } | { error: string }> {
  const verdict = await checkCommand(command, { mode, allow: [], wasmDirs });
  if (verdict.segments.length === 0) return { error: `"${command}" is not a command line: ${verdict.reasons.join('; ')}` };
  if (mode === 'local' && !verdict.segmentsExact) {
    return { error: `"${command}" needs a shell (substitutions, redirections, subshells), which local mode does not use: simplify it or use --sandbox container` };
  }
  return { segments: toCommandSegments(verdict.segments) };
}

/**
 * The line of a failed check's output that says what failed: the first error or failure line (an
 * assertion's message, a test runner's FAIL), not the stack under it; else the last line.
 */
export function telling(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const stack = /^\s+at |^\s*\^+$|^node:|^Node\.js v/;
  const heading = lines.find((l) => /^\s*(?:[A-Z]\w*Error|Error)\b[^:]*:/.test(l) || /^\s*(?:FAIL|FAILED|✗|×)\b/.test(l));
  const found = heading ?? lines.find((l) => !stack.test(l) && !/\bthrow\b/.test(l) && /\b(?:\w*Error|FAIL(?:ED)?|failed|fatal|expected|assert\w*|No such file|not found|denied)\b/i.test(l));
  const pick = found ?? [...lines].reverse().find((l) => !stack.test(l)) ?? '';
  return pick.trim().slice(0, 300);
}
