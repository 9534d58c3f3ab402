import { z } from 'zod';
import { checkCommand } from '../policy/command/checkCommand';
import { toCommandSegments, type CommandPolicyConfig, type CommandVerdict } from '../policy/command/policyTypes';
import type { CommandResult, Sandbox } from '../ports';
import { ToolError, defineTool, type ToolOutput } from './defineTool';
import { TOOL } from '../../shared/toolNames';

export const RunCommandArgsSchema = z.object({
  command: z.string().min(1).describe('The shell command line to run from the workspace root, e.g. "npm test" or "git diff HEAD~1 -- src".'),
  timeout_ms: z.number().int().positive().optional().describe('Timeout in milliseconds; the command and everything it started are killed when it expires.'),
  cwd: z
    .string()
    .min(1)
    .optional()
    .describe('Working directory relative to the workspace root, e.g. "packages/app" (instead of "cd packages/app && ...").'),
});
export type RunCommandArgs = z.infer<typeof RunCommandArgsSchema>;

/** What a person is shown before a command the policy marked `ask` runs. */
export interface CommandApprovalRequest {
  /** The exact command line; an approval covers this string and nothing else. */
  command: string;
  /** Why the policy asks, one sentence per cause. */
  reasons: string[];
  /** Where it would run (sandbox.describe()), so the person knows whether it is contained. */
  sandbox: string;
  verdict: CommandVerdict;
  timeoutMs: number;
}

export interface CommandApproval {
  approved: boolean;
  reason?: string;
}

export interface RunCommandToolOptions {
  policy: CommandPolicyConfig;
  sandbox: Sandbox;
  approve: (request: CommandApprovalRequest) => Promise<CommandApproval>;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  /** Characters of output the model sees (head and tail kept). Default 30,000. */
  maxOutputChars?: number;
  /** Streams output as it arrives (for the side panel or the CLI), keyed by the tool call. */
  onOutput?: (chunk: string, callId: string) => void;
}

export const DEFAULT_MAX_OUTPUT_CHARS = 30_000;

/**
 * run_command: the command policy judges the line first. `deny` is a tool error with the reasons;
 * `ask` goes to a person with the exact command, the reasons and where it would run; `allow` runs.
 * The result always carries the policy's reasons, so the model learns why something was refused
 * and can pick a form that is allowed next time.
 */
export function createRunCommandTool(opts: RunCommandToolOptions) {
  const maxOutput = opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  return defineTool({
    name: TOOL.runCommand,
    description:
      'Run a shell command line in the workspace (tests, linters, git, read-only tools). A command policy checks it first: ' +
      'plain commands joined by &&, ||, ; or | from the allowlist run at once; others need the user\'s approval or are refused, with the reason. ' +
      'Avoid $(...), $VAR, globs, subshells and redirections to files: they need approval. Output is capped; exit code and duration are reported.',
    kind: 'command',
    schema: RunCommandArgsSchema,
    async run(args, ctx): Promise<ToolOutput> {
      const command = args.command;
      const notes: string[] = [];
      let timeoutMs = args.timeout_ms ?? opts.defaultTimeoutMs;
      if (timeoutMs > opts.maxTimeoutMs) {
        notes.push(`timeout_ms ${timeoutMs} is above the maximum of ${opts.maxTimeoutMs}; using ${opts.maxTimeoutMs}.`);
        timeoutMs = opts.maxTimeoutMs;
      }

      // The mode that counts is where the command would really run, whatever the settings say.
      const verdict = await checkCommand(command, { ...opts.policy, mode: opts.sandbox.mode });
      if (verdict.verdict === 'deny') {
        throw new ToolError(`The command policy refused this command:\n${bullets(verdict.reasons)}`);
      }

      let how = 'allowed by the command policy';
      if (verdict.verdict === 'ask') {
        const answer = await opts.approve({ command, reasons: verdict.reasons, sandbox: opts.sandbox.describe(), verdict, timeoutMs });
        if (!answer.approved) {
          const said = answer.reason ? `\nThe user said: ${answer.reason}` : '';
          return {
            content: `The user did not approve this command, so it did not run.${said}\nThe policy asked because:\n${bullets(verdict.reasons)}`,
            isError: true,
          };
        }
        how = answer.reason ? `approved (${answer.reason})` : 'approved';
      }

      let result: CommandResult;
      try {
        const stream = opts.onOutput;
        result = await opts.sandbox.run({
          commandLine: command,
          segments: toCommandSegments(verdict.segments),
          ...(args.cwd !== undefined && args.cwd !== '.' ? { cwd: args.cwd } : {}),
          timeoutMs,
          signal: ctx.signal,
          ...(stream ? { onOutput: (chunk: string) => stream(chunk, ctx.callId) } : {}),
        });
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        throw new ToolError(`The command could not be started: ${msg}`);
      }
      return {
        content: formatResult(command, result, how, verdict, notes, timeoutMs, maxOutput),
        commandsRun: [command],
        // What the command is known to have changed: the manifests the audit saw change.
        ...(result.manifestsChanged?.length ? { filesChanged: result.manifestsChanged } : {}),
      };
    },
  });
}

function formatResult(command: string, r: CommandResult, how: string, verdict: CommandVerdict, notes: readonly string[], timeoutMs: number, maxOutput: number): string {
  const lines = [`$ ${command}`];
  if (r.audit?.length) {
    lines.push('workspace audit after the command (protected paths are read-only for commands; what got through was put back):');
    lines.push(...r.audit.map((a) => `- ${a}`));
  }
  if (r.egressRefused?.length) {
    lines.push('network requests refused by the egress allowlist:');
    lines.push(...r.egressRefused.map((a) => `- ${a}`));
  }
  if (r.manifestsChanged?.length) lines.push(`changed: ${r.manifestsChanged.join(', ')} (commands that run these now need a person)`);
  const exit = r.exitCode === null ? 'none (killed)' : String(r.exitCode);
  lines.push(`exit code: ${exit} · duration: ${formatDuration(r.durationMs)}`);
  if (r.timedOut) lines.push(`timed out after ${timeoutMs} ms: the command and every process it started were killed.`);
  else if (r.killed) lines.push('killed before it finished (cancelled).');
  lines.push(`policy: ${how}: ${verdict.reasons.join('; ')}`);
  lines.push(...notes);
  if (r.truncated) {
    lines.push(r.fullOutputPath ? `output was cut (head and tail kept); the full output is in ${r.fullOutputPath}, readable with read_file.` : 'output was cut (head and tail kept).');
  }
  const output = capText(r.output, maxOutput);
  lines.push(output.trim() === '' ? '(no output)' : `output:\n${output}`);
  return lines.join('\n');
}

/** Keeps the head and the tail: errors tend to be at the end, context at the start. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  const tail = max - head;
  const dropped = text.length - head - tail;
  return `${text.slice(0, head)}\n[... ${dropped} characters cut ...]\n${text.slice(text.length - tail)}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function bullets(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join('\n');
}
