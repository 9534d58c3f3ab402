import type { Risk, Verdict } from '../policyTypes';

/** What a program's argument rule says about one invocation. */
export interface RuleResult {
  verdict: Verdict;
  reason: string;
  /** For ask/deny: the kind of risk (absent means code, see Risk). For allow: a capability worth knowing (`code`, `network`). */
  risk?: Risk;
}

/**
 * Argument rules for one program. `check` sees the arguments after the program name, unquoted.
 * `commandWords` names what the invocation runs, for allowlist entries with sub-commands: `git -C x
 * status -s` is `["status", "-s"]` and `npm t` is `["test"]`, so the entries `git status` and
 * `npm test` match them.
 */
export interface ProgramRule {
  check(args: readonly string[]): RuleResult;
  commandWords?(args: readonly string[]): string[];
  /**
   * When true, an `allow` from `check` only counts if the allowlist entry names the sub-command
   * (`yarn lint`), not just the program (`yarn`): the rule cannot tell a script from a built-in.
   */
  needsNamedEntry?(args: readonly string[]): boolean;
  /**
   * The program only reads files and prints, whatever its arguments: a glob among them is harmless
   * (the shell turns it into file names to read), so globs do not make it ask.
   */
  readsOnly?: boolean;
}

/** `capability`: what the allowed form still does (`npm test` runs the project's code), for a tainted run. */
export const allow = (reason: string, capability?: 'code' | 'network'): RuleResult => ({ verdict: 'allow', reason, ...(capability ? { risk: capability } : {}) });
/** `risk` defaults to code: an ask a rule did not classify is never auto-approved. */
export const ask = (reason: string, risk?: Risk): RuleResult => ({ verdict: 'ask', reason, ...(risk ? { risk } : {}) });
export const deny = (reason: string, risk?: Risk): RuleResult => ({ verdict: 'deny', reason, ...(risk ? { risk } : {}) });

/** Arguments before a `--` that ends the options (the rest are operands). */
export function beforeDoubleDash(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/** `--name` or `--name=value`, and any abbreviation of at least `minLength` characters (tools accept unique prefixes). */
export function isLongOption(arg: string, name: string, minLength = name.length): boolean {
  if (!arg.startsWith('--')) return false;
  const key = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
  return key === name || (key.length >= minLength && key.length < name.length && name.startsWith(key));
}

/** A short-option cluster (`-abc`, not `--x` or `-`) that contains `letter`. */
export function hasShortFlag(arg: string, letter: string): boolean {
  return arg.length > 1 && arg[0] === '-' && arg[1] !== '-' && arg.slice(1).includes(letter);
}

/** The first argument that matches one of the dangerous forms, for a precise reason. */
export function findArg(args: readonly string[], test: (arg: string) => boolean): string | undefined {
  return beforeDoubleDash(args).find(test);
}

/** Words that are not options (no leading `-`), with everything after `--` counted as a word. */
export function positionals(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const head = end < 0 ? args : args.slice(0, end);
  const tail = end < 0 ? [] : args.slice(end + 1);
  return [...head.filter((a) => !a.startsWith('-') || a === '-'), ...tail];
}

/** A rule that allows every invocation (read-only tools), with the reason it gives. */
export function anyArgs(reason: string): ProgramRule {
  return { check: () => allow(reason) };
}

/** Allows unless one of the listed options appears; each option maps to why it needs a human. */
export function unlessOptions(reason: string, dangerous: (arg: string) => string | RuleResult | undefined, capability?: 'code' | 'network'): ProgramRule {
  return {
    check(args) {
      for (const arg of beforeDoubleDash(args)) {
        const why = dangerous(arg);
        if (typeof why === 'string') return ask(why);
        if (why) return why;
      }
      return allow(reason, capability);
    },
  };
}
