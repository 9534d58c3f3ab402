import { DEFAULT_CONFIG_DIR_NAME } from '../protectedPaths';
import { matchAllowlist, parseAllowEntry, type AllowEntry } from './allowlist';
import { loadBashParser, type BashParser } from './bashParser';
import { walkCommandLine, type ParsedLine, type RawSegment } from './commandTree';
import { parsePlainLine } from './plainLine';
import { findForbiddenCharacter } from './controlChars';
import {
  DEFAULT_MAX_SEGMENTS,
  MAX_COMMAND_LENGTH,
  riskOf,
  stricter,
  type Risk,
  type CommandPolicyConfig,
  type CommandVerdict,
  type Finding,
  type PolicySegment,
  type Verdict,
} from './policyTypes';
import { COMMAND_RUNNERS, NETWORK_PROGRAMS, PROGRAM_RULES } from './rules/programRules';
import { innerCommands, matchDeny, parseDenyEntry, type DenyEntry } from './denyRules';
import { destructiveFindings } from '../destructive';

export const LOCAL_MODE_REASON = 'local mode is not a sandbox: the command would run on this machine with your permissions, so every command needs approval';

/**
 * Judges a command line: parses it, splits it into simple commands, and judges each one on its own.
 * A line of plain words (plainLine.ts) is judged without loading the bash grammar.
 */
export async function checkCommand(commandLine: string, policy: CommandPolicyConfig): Promise<CommandVerdict> {
  const refused = precheck(commandLine);
  if (refused) return refused;
  const plain = parsePlainLine(commandLine);
  if (plain) {
    // `sh -c SCRIPT` judges its script as a line of its own, which needs the parser.
    let needsParser = false;
    const verdict = judgeLine(plain, policy, () => {
      needsParser = true;
      return undefined;
    });
    if (!needsParser) return verdict;
  }
  const parser = await loadBashParser(policy.wasmDirs);
  return checkCommandWith(parser, commandLine, policy);
}

/** The same, with a parser already loaded (synchronous; for hot paths and benchmarks). */
export function checkCommandWith(parser: BashParser, commandLine: string, policy: Omit<CommandPolicyConfig, 'wasmDirs'>): CommandVerdict {
  const refused = precheck(commandLine);
  if (refused) return refused;
  const parsed = parsePlainLine(commandLine) ?? parseWithGrammar(parser, commandLine, policy.configDirName ?? DEFAULT_CONFIG_DIR_NAME);
  const depth = policy.scriptDepth ?? 0;
  // `sh -c SCRIPT` is judged again, as a line of its own, for what it would run.
  return judgeLine(parsed, policy, (script) => (depth < 3 ? checkCommandWith(parser, script, { ...policy, scriptDepth: depth + 1 }) : undefined));
}

/** What is refused before any parsing: control characters, an empty line, a line too long to parse. */
function precheck(commandLine: string): CommandVerdict | undefined {
  const forbidden = findForbiddenCharacter(commandLine);
  if (forbidden) return refuse('deny', forbidden);
  if (commandLine.trim() === '') return refuse('deny', 'the command is empty', 'syntax');
  if (commandLine.length > MAX_COMMAND_LENGTH) {
    return refuse('ask', `the command is ${commandLine.length} characters long, more than the ${MAX_COMMAND_LENGTH} the policy parses; a human has to read it`);
  }
  return undefined;
}

function parseWithGrammar(parser: BashParser, commandLine: string, configDirName: string): ParsedLine {
  const tree = parser.parse(commandLine);
  try {
    return walkCommandLine(tree.rootNode, commandLine, configDirName);
  } finally {
    tree.delete();
  }
}

/** Judges a parsed line: every segment against the allowlist, deny rules and program rules, then the line as a whole. */
function judgeLine(parsed: ParsedLine, policy: Omit<CommandPolicyConfig, 'wasmDirs'>, judgeScript: (script: string) => CommandVerdict | undefined): CommandVerdict {
  const lineFindings = [...parsed.lineFindings];
  if (parsed.segments.length === 0 && lineFindings.length === 0) return refuse('deny', 'the command holds nothing to run (only comments or whitespace)', 'syntax');
  const cap = policy.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  if (parsed.segments.length > cap) {
    lineFindings.push({ verdict: 'ask', reason: `the line has ${parsed.segments.length} commands, more than the cap of ${cap}`, risk: 'syntax' });
  }

  const entries = policy.allow.map(parseAllowEntry).filter((e): e is AllowEntry => e !== undefined);
  const deny = (policy.deny ?? []).map(parseDenyEntry).filter((e): e is DenyEntry => e !== undefined);
  const local = policy.mode === 'local' && policy.localAutoAllow !== true;
  const segments = parsed.segments.map((raw) => {
    const seg = judgeSegment(raw, entries, { deny, judgeScript });
    return local && seg.verdict === 'allow' ? { ...seg, verdict: 'ask' as const, reason: `${seg.reason}; but ${LOCAL_MODE_REASON}`, risks: ['local' as const] } : seg;
  });
  if (local) lineFindings.push({ verdict: 'ask', reason: LOCAL_MODE_REASON, risk: 'local' });

  if (policy.mode === 'local') {
    const refusal = localModeRefusal(parsed.exact, segments);
    if (refusal) lineFindings.push({ verdict: 'deny', reason: refusal, risk: 'syntax' });
  }

  let verdict: Verdict = 'allow';
  for (const f of lineFindings) verdict = stricter(verdict, f.verdict);
  for (const s of segments) verdict = stricter(verdict, s.verdict);
  const risks = new Set<Risk>();
  if (verdict !== 'allow') {
    for (const f of lineFindings) if (f.verdict !== 'allow') risks.add(riskOf(f));
    for (const s of segments) for (const r of s.risks) risks.add(r);
  }
  return { verdict, reasons: collectReasons(verdict, lineFindings, segments), risks: [...risks].sort(), segments, segmentsExact: parsed.exact };
}

/**
 * Local mode runs each segment with execFile, never through a shell. A line whose meaning needs the
 * shell (a substitution, a variable, a glob, a file redirection, a subshell...) would run as
 * something else than what was judged and approved, so it can never run there: that is a deny,
 * decided before anybody is asked. `cd` is the same: it cannot carry over to the next command.
 */
function localModeRefusal(exact: boolean, segments: readonly PolicySegment[]): string | undefined {
  if (!exact) {
    return 'local mode runs commands without a shell, and this line needs shell features to mean what it says; rewrite it as plain commands joined by &&, ||, ; or | (no substitutions, variables, globs or file redirections)';
  }
  if (segments.some((s) => s.argv[0] === 'cd')) {
    return 'local mode runs each command on its own from the workspace root, so cd cannot change the directory of the next one; pass paths instead (e.g. "npm --prefix sub test", "git -C sub status")';
  }
  return undefined;
}

function refuse(verdict: Verdict, reason: string, risk: Risk = 'code'): CommandVerdict {
  return { verdict, reasons: [reason], risks: [risk], segments: [], segmentsExact: false };
}

interface SegmentContext {
  deny: readonly DenyEntry[];
  judgeScript: (script: string) => CommandVerdict | undefined;
}

function judgeSegment(raw: RawSegment, entries: readonly AllowEntry[], ctx: SegmentContext): PolicySegment {
  const [program = '', ...args] = raw.argv;
  const denied = raw.nameLiteral ? denyFindings(raw.argv, ctx) : [];
  const fromProgram = [...denied, ...programFindings(raw, program, args, entries), ...destructiveFindings(raw.argv)];
  // A program that only reads and prints may take a glob (`ls src/*.ts`, `wc -l lib/*.py`): the shell
  // turns it into file names to read. Not when the pattern reaches dot files (`.g*/config`, `.env*`).
  const readsOnly = raw.nameLiteral && PROGRAM_RULES.get(program)?.readsOnly === true && fromProgram.every((f) => f.verdict === 'allow');
  const findings: Finding[] = [...raw.findings.filter((f) => !(readsOnly && f.glob !== undefined && harmlessGlob(f.glob))), ...fromProgram];
  let verdict: Verdict = 'allow';
  for (const f of findings) verdict = stricter(verdict, f.verdict);
  const shown = verdict === 'allow' ? findings : findings.filter((f) => f.verdict !== 'allow');
  const reason = [...new Set(shown.map((f) => f.reason))].join('; ');
  const risks = verdict === 'allow' ? [] : [...new Set(shown.map(riskOf))].sort();
  const capability = verdict === 'allow' ? findings.map((f) => f.risk).find((r): r is 'code' | 'network' => r === 'code' || r === 'network') : undefined;
  return { argv: raw.argv, ...(raw.joiner ? { joiner: raw.joiner } : {}), verdict, reason, risks, ...(capability ? { capability } : {}) };
}

function programFindings(raw: RawSegment, program: string, args: readonly string[], entries: readonly AllowEntry[]): Finding[] {
  if (/[^\x00-\x7f]/.test(program)) {
    return [{ verdict: 'deny', reason: `the command name ${JSON.stringify(program)} contains non-ASCII characters (it may imitate another program's name)` }];
  }
  if (!raw.nameLiteral) return [{ verdict: 'ask', reason: 'the command name is not a plain word, so the policy cannot tell which program runs' }];
  if (program === '') return [{ verdict: 'ask', reason: 'the command name is empty' }];
  if (COMMAND_RUNNERS.has(program)) {
    return [{ verdict: 'ask', reason: `${program} runs a command, script or code given in its arguments, which the policy cannot check on its own` }];
  }
  const listed = entries.filter((e) => e.program === program);
  const network = NETWORK_PROGRAMS.has(program);
  if (listed.length === 0) {
    return [{ verdict: 'ask', reason: network ? `${program} talks to the network and is not on the allowlist` : `${program} is not on the allowlist`, risk: network ? 'network' : 'unlisted' }];
  }
  const rule = PROGRAM_RULES.get(program);
  const match = matchAllowlist(listed, program, args, rule);
  const coverage = (): Finding => ({
    verdict: 'ask',
    reason: `the allowlist has ${listed.map((e) => JSON.stringify(e.text)).join(', ')} for ${program}, which does not cover this invocation`,
    risk: network ? 'network' : 'unlisted',
  });
  if (!rule) {
    return match ? [{ verdict: 'allow', reason: `${program} is on the allowlist (it has no built-in argument rules)`, ...(network ? { risk: 'network' as const } : {}) }] : [coverage()];
  }
  const result = rule.check(args);
  if (result.verdict !== 'allow') return [result];
  if (!match) return [coverage()];
  if (rule.needsNamedEntry?.(args) && !match.named) {
    return [{ verdict: 'ask', reason: `${[program, ...args].slice(0, 2).join(' ')} may be a built-in command rather than a script; only an allowlist entry that names it (e.g. "${[program, ...args].slice(0, 2).join(' ')}") allows it`, risk: 'unlisted' }];
  }
  return [{ verdict: 'allow', reason: `${result.reason} (allowlist entry "${match.entry.text}")`, ...(result.risk ? { risk: result.risk } : {}) }];
}

/**
 * A person's deny rules, against the segment itself and against what it runs (the command inside
 * `env`, `timeout`, `xargs` …, the script of `sh -c`): a "never" cannot be stepped around by wrapping.
 */
function denyFindings(argv: readonly string[], ctx: SegmentContext): Finding[] {
  const out: Finding[] = [];
  const hit = (a: readonly string[]) => matchDeny(ctx.deny, a, PROGRAM_RULES.get(a[0] ?? '')?.commandWords);
  const direct = ctx.deny.length > 0 ? hit(argv) : undefined;
  if (direct) out.push({ verdict: 'deny', reason: `denied by your rule "${direct.text}"`, risk: 'unlisted' });
  const inner = innerCommands(argv);
  for (const a of inner.argvs) {
    const entry = ctx.deny.length > 0 ? hit(a) : undefined;
    if (entry) out.push({ verdict: 'deny', reason: `runs ${displayArgv(a)}, denied by your rule "${entry.text}"`, risk: 'unlisted' });
  }
  for (const script of inner.scripts) {
    const v = ctx.judgeScript(script);
    if (v?.verdict === 'deny') out.push({ verdict: 'deny', reason: `runs the script ${JSON.stringify(script.length > 60 ? `${script.slice(0, 59)}…` : script)}, which is denied: ${v.reasons[0] ?? ''}`, risk: v.risks[0] ?? 'unlisted' });
  }
  return out;
}

/** A glob whose matches a read-only program may read: no segment can match a dot file or a credentials file. */
function harmlessGlob(pattern: string): boolean {
  return !pattern.split('/').some((seg) => seg.startsWith('.') || seg.startsWith('[') || /env|pem|key|secret|credential|netrc|id_/i.test(seg)) && !pattern.startsWith('~');
}

const RANK: Record<Verdict, number> = { deny: 0, ask: 1, allow: 2 };

/** The causes of the verdict, strictest first; for an `allow`, why each part is allowed. */
function collectReasons(verdict: Verdict, lineFindings: readonly Finding[], segments: readonly PolicySegment[]): string[] {
  const items: { verdict: Verdict; text: string }[] = [
    ...lineFindings.map((f) => ({ verdict: f.verdict, text: f.reason })),
    ...segments.map((s) => ({ verdict: s.verdict, text: `${displayArgv(s.argv)}: ${s.reason}` })),
  ];
  const relevant = verdict === 'allow' ? items : items.filter((i) => i.verdict !== 'allow');
  relevant.sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  return [...new Set(relevant.map((i) => i.text))];
}

/** A segment as a reader would type it: plain words bare, anything else single-quoted. */
export function displayArgv(argv: readonly string[]): string {
  const text = argv.map((a) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
