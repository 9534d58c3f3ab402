import { allowEntryProblem, defaultAllowlist } from '../core/policy/command/allowlist';
import { checkCommand, displayArgv } from '../core/policy/command/checkCommand';
import { denyEntryProblem } from '../core/policy/command/denyRules';
import type { CommandVerdict } from '../core/policy/command/policyTypes';
import { locateWasmDirs } from '../core/policy/command/wasmLocation';
import type { SandboxMode } from '../core/ports';
import { EXIT, type CliIo } from './cliIo';

const USAGE = 'usage: agent-harness policy check-command [--allow PROG,PROG,...] [--deny ENTRY,ENTRY,...] [--mode container|local] [--json] -- "COMMAND"';

interface CheckCommandArgs {
  /** Undefined: the default allowlist of a fresh workspace. */
  allow?: string[];
  deny: string[];
  mode: SandboxMode;
  json: boolean;
  command: string;
}

class ArgsError extends Error {}

function parseArgs(argv: readonly string[]): CheckCommandArgs {
  let allow: string[] | undefined;
  const deny: string[] = [];
  let mode: SandboxMode = 'container';
  let json = false;
  const positional: string[] = [];
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v === '--') throw new ArgsError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--json') json = true;
    else if (arg === '--allow' || arg.startsWith('--allow=')) {
      const list = arg === '--allow' ? value(i++, '--allow') : arg.slice('--allow='.length);
      allow = [...(allow ?? []), ...parseAllowList(list)];
    } else if (arg === '--deny' || arg.startsWith('--deny=')) {
      const list = arg === '--deny' ? value(i++, '--deny') : arg.slice('--deny='.length);
      deny.push(...parseDenyList(list));
    } else if (arg === '--mode' || arg.startsWith('--mode=')) {
      const m = arg === '--mode' ? value(i++, '--mode') : arg.slice('--mode='.length);
      if (m !== 'container' && m !== 'local') throw new ArgsError(`--mode must be container or local, got "${m}"`);
      mode = m;
    } else if (arg.startsWith('-')) throw new ArgsError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) {
    throw new ArgsError(positional.length === 0 ? 'give the COMMAND after --' : `give the COMMAND as one quoted argument after --, got ${positional.length} arguments`);
  }
  return { ...(allow ? { allow } : {}), deny, mode, json, command: positional[0] ?? '' };
}

/** `git push,rm -rf, npm publish*` -> entries; a malformed one is a usage error. */
function parseDenyList(list: string): string[] {
  const entries = list.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const problem = denyEntryProblem(entry);
    if (problem) throw new ArgsError(`--deny: ${problem}`);
  }
  return entries;
}

/** `ls,git status, npm run lint` -> entries; an empty or malformed entry is a usage error, not a silent skip. */
function parseAllowList(list: string): string[] {
  const entries = list.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem) throw new ArgsError(`--allow: ${problem}`);
  }
  return entries;
}

/**
 * `agent-harness policy check-command`: prints the command policy's verdict for one command line.
 * With --allow the allowlist is exactly those entries (built-in argument rules still apply); without
 * it, the default allowlist of a fresh workspace. The verdict is data: every verdict exits 0, and only
 * a mistake in the call exits 2.
 */
export async function runPolicyCheckCommand(argv: string[], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  let args: CheckCommandArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    io.stderr(`agent-harness: ${e.message} (${USAGE})\n`);
    return EXIT.usage;
  }
  let verdict: CommandVerdict;
  try {
    verdict = await checkCommand(args.command, { mode: args.mode, allow: args.allow ?? defaultAllowlist([]), deny: args.deny, wasmDirs: locateWasmDirs() });
  } catch (e) {
    io.stderr(`agent-harness: cannot load the shell parser: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  }
  io.stdout(args.json ? `${JSON.stringify(verdict)}\n` : formatVerdict(verdict));
  return EXIT.ok;
}

export function formatVerdict(v: CommandVerdict): string {
  const lines = [`${v.verdict}`];
  v.segments.forEach((s, i) => {
    const joiner = s.joiner ? ` (after ${s.joiner})` : '';
    lines.push(`  ${i + 1}. ${s.verdict}${joiner}: ${displayArgv(s.argv)}`, `       ${s.reason}`);
  });
  if (v.reasons.length > 0) lines.push('reasons:', ...v.reasons.map((r) => `  - ${r}`));
  return `${lines.join('\n')}\n`;
}
