import { stat } from 'node:fs/promises';
import { PathGuard, type PathAccess } from '../core/policy/pathGuard';
import { EXIT, type CliIo } from './cliIo';

const USAGE = 'usage: agent-harness policy check-path --root DIR [--write] [--json] -- PATH';

interface CheckPathArgs {
  root: string;
  access: PathAccess;
  json: boolean;
  path: string;
}

class ArgsError extends Error {}

function parseArgs(argv: string[]): CheckPathArgs {
  let root: string | undefined;
  let access: PathAccess = 'read';
  let json = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--write') access = 'write';
    else if (arg === '--read') access = 'read';
    else if (arg === '--json') json = true;
    else if (arg === '--root') {
      const value = argv[i + 1];
      if (value === undefined || value === '') throw new ArgsError('--root needs a folder');
      root = value;
      i++;
    } else if (arg.startsWith('--root=')) root = arg.slice('--root='.length);
    else if (arg.startsWith('-') && arg !== '-') throw new ArgsError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (root === undefined || root === '') throw new ArgsError('--root DIR is required');
  if (positional.length !== 1) {
    throw new ArgsError(positional.length === 0 ? 'give exactly one PATH after --' : `give exactly one PATH, got ${positional.length}`);
  }
  return { root, access, json, path: positional[0] ?? '' };
}

/**
 * `agent-harness policy check-path`: prints the path guard's verdict for one path, so users can test
 * their workspace and tests can drive the guard end to end. Every verdict exits 0; only a mistake in
 * the call itself exits 2.
 */
export async function runPolicyCheckPath(argv: string[], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  let args: CheckPathArgs;
  try {
    args = parseArgs(argv);
    const info = await stat(args.root).catch(() => undefined);
    if (!info?.isDirectory()) throw new ArgsError(`--root ${args.root} is not an existing folder`);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    io.stderr(`agent-harness: ${e.message} (${USAGE})\n`);
    return EXIT.usage;
  }
  const verdict = await new PathGuard(args.root).check(args.path, args.access);
  if (args.json) {
    io.stdout(`${JSON.stringify({ verdict: verdict.verdict, resolved: verdict.resolved, reason: verdict.reason, relative: verdict.relative, access: args.access })}\n`);
  } else {
    io.stdout(`${verdict.verdict} (${args.access}): ${verdict.reason}\n`);
    if (verdict.resolved !== '') io.stdout(`  resolved: ${verdict.resolved}\n`);
  }
  return EXIT.ok;
}
