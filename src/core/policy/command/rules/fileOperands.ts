import { isGitInternalPath, isProtectedPath, isSecretFileName } from '../../protectedPaths';
import { isLongOption, type RuleResult } from './ruleKit';

/**
 * How an allowlisted program's file operands are judged, whichever flag or position names them: a
 * path it writes (a destination, `--output=`, `of=`, `--junitxml=`) is checked against the one
 * protected list (writing there is denied, as for a redirection), and a path it reads is checked for
 * git internals and credentials (asked, as read_file does). Paths outside the workspace (absolute, `~`)
 * ask: in local mode they are the user's own files.
 */
export function judgeWriteTarget(program: string, target: string, how: string): RuleResult | undefined {
  if (target === '' || target === '-' || target === '/dev/null' || target === '/dev/stdout' || target === '/dev/stderr') return undefined;
  if (isProtectedPath(target) || isProtectedPath(target.replace(/^\.\//, ''))) {
    return { verdict: 'deny', reason: `${program} ${how} writes the protected path ${JSON.stringify(target)} (it configures git, the editor or an agent)`, risk: 'protected' };
  }
  if (target.startsWith('/') || target.startsWith('~')) {
    return { verdict: 'ask', reason: `${program} ${how} writes ${JSON.stringify(target)}, outside the workspace`, risk: 'protected' };
  }
  return undefined;
}

export function judgeReadOperand(program: string, operand: string): RuleResult | undefined {
  const name = operand.split('/').pop() ?? operand;
  if (isGitInternalPath(operand)) {
    return { verdict: 'ask', reason: `${program} reads ${JSON.stringify(operand)} inside .git (git internals can hold credentials; use git commands)`, risk: 'secret' };
  }
  if (isSecretFileName(name)) return { verdict: 'ask', reason: `${program} reads ${JSON.stringify(operand)}, a file of credentials`, risk: 'secret' };
  // An unquoted ~ is caught where words are read (tilde expansion); a quoted one is a file named "~".
  return undefined;
}

/** The first problem among several write targets, or undefined. */
export function firstWriteProblem(program: string, targets: readonly { path: string; how: string }[]): RuleResult | undefined {
  for (const t of targets) {
    const problem = judgeWriteTarget(program, t.path, t.how);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The value of an output option at index i, in any spelling GNU tools accept: `--output=F`, `--output F`,
 * an abbreviation of at least `minLength` characters, `-oF`, `-o F`, or `o` inside a cluster (`-ro F`).
 */
export function outputValue(args: readonly string[], i: number, long: string, minLength: number, short?: string): { value: string; used: number } | undefined {
  const a = args[i] as string;
  if (isLongOption(a, long, minLength)) {
    if (a.includes('=')) return { value: a.slice(a.indexOf('=') + 1), used: 1 };
    return args[i + 1] === undefined ? undefined : { value: args[i + 1] as string, used: 2 };
  }
  if (short && a.length > 1 && a[0] === '-' && a[1] !== '-') {
    const k = a.indexOf(short, 1);
    if (k < 0) return undefined;
    const rest = a.slice(k + 1);
    if (rest !== '') return { value: rest, used: 1 };
    return args[i + 1] === undefined ? undefined : { value: args[i + 1] as string, used: 2 };
  }
  return undefined;
}

/** A `--name=value` or `--name value` (or short `-x value`/`-xvalue`) option's value at index i, and how many words it used. */
export function optionValue(args: readonly string[], i: number, long: readonly string[], short?: string): { value: string; used: number } | undefined {
  const a = args[i] as string;
  for (const name of long) {
    if (a === name) return args[i + 1] === undefined ? undefined : { value: args[i + 1] as string, used: 2 };
    if (a.startsWith(`${name}=`)) return { value: a.slice(name.length + 1), used: 1 };
  }
  if (short && a.startsWith(short) && !a.startsWith('--')) {
    if (a === short) return args[i + 1] === undefined ? undefined : { value: args[i + 1] as string, used: 2 };
    return { value: a.slice(short.length), used: 1 };
  }
  return undefined;
}
