import type { Node } from 'web-tree-sitter';
import { findUncoveredText } from './coverage';
import type { Finding, Joiner } from './policyTypes';
import { children, clip, evaluateWord } from './shellWords';
import { describeParseError } from './parseErrors';
import { judgeRedirectTarget } from './redirectTarget';
import { assignedNames, isCodeLoadingVariable } from './envVariables';

/** One simple command found in the line, before the allowlist has judged it. */
export interface RawSegment {
  argv: string[];
  joiner?: Joiner;
  /** The command name is a plain word (no quoting tricks that hide an expansion). */
  nameLiteral: boolean;
  /** Everything about the segment's syntax that keeps it from `allow` (or makes it `deny`). */
  findings: Finding[];
}

export interface ParsedLine {
  segments: RawSegment[];
  /** Causes that belong to the line rather than to one segment (parse errors, stray tokens). */
  lineFindings: Finding[];
  /** See CommandVerdict.segmentsExact. */
  exact: boolean;
}

/** Node types that are a statement of their own, wherever they appear (inside loops, substitutions...). */
const STATEMENTS = new Set([
  'command', 'redirected_statement', 'pipeline', 'list', 'negated_command', 'subshell', 'compound_statement',
  'function_definition', 'if_statement', 'while_statement', 'for_statement', 'c_style_for_statement',
  'case_statement', 'variable_assignment', 'variable_assignments', 'declaration_command', 'unset_command',
  'test_command',
]);

const CONTROL_FLOW: Record<string, string> = {
  if_statement: 'an if statement',
  while_statement: 'a while/until loop',
  for_statement: 'a for loop',
  c_style_for_statement: 'a for (( )) loop',
  case_statement: 'a case statement',
};

/**
 * Bounds on the walk. Nobody reviews a line nested 50 levels deep or holding hundreds of commands, and
 * without a bound a crafted line would exhaust the stack (or take seconds): past either bound the
 * walk stops and the line is `ask`.
 */
export const MAX_NESTING = 50;
export const MAX_WALKED_SEGMENTS = 256;

/**
 * Walks a parsed command line into simple commands. The walk is an explicit allowlist of node types:
 * the plain shapes (commands joined by `&&`, `||`, `;`, `|`, with /dev/null redirections) produce
 * clean segments, and every other construct adds an `ask` finding to the segments it contains, so
 * what the walker does not understand can never come out as `allow`.
 */
export function walkCommandLine(root: Node, source: string, configDirName: string): ParsedLine {
  const walker = new Walker(configDirName);
  walker.sequence(children(root), undefined, []);
  let exact = walker.exact;
  if (root.hasError) {
    walker.lineFindings.push({ verdict: 'ask', reason: describeParseError(root) });
    exact = false;
  } else {
    const uncovered = findUncoveredText(root, source);
    if (uncovered) {
      walker.lineFindings.push({ verdict: 'ask', reason: uncovered });
      exact = false;
    }
  }
  return { segments: walker.segments, lineFindings: walker.lineFindings, exact };
}

class Walker {
  readonly segments: RawSegment[] = [];
  readonly lineFindings: Finding[] = [];
  exact = true;
  /** Index of the simple command that finished last at its own level (not one nested in its words). */
  private lastCommand = -1;
  private depth = 0;
  private stopped = false;
  /** Where each segment's last word ended, to catch one shell word split in two. */
  private readonly wordEnds = new WeakMap<RawSegment, number>();

  constructor(private readonly configDirName: string) {}

  /** Statements separated by `;`, `&` or newlines (the program, a subshell, a `{ }` group). */
  sequence(nodes: readonly Node[], firstJoiner: Joiner | undefined, inherited: readonly Finding[]): void {
    let joiner = firstJoiner;
    let lastStart = this.segments.length;
    for (const node of nodes) {
      if (node.isNamed) {
        if (node.type === 'comment') continue;
        lastStart = this.segments.length;
        this.statement(node, joiner, inherited);
        joiner = ';';
        continue;
      }
      switch (node.type) {
        case ';':
        case '\n':
        case '(':
        case ')':
        case '{':
        case '}':
          break;
        case '&':
          this.exact = false;
          this.addTo(lastStart, { verdict: 'ask', reason: 'runs in the background (&); it is killed when the command ends', risk: 'syntax' });
          break;
        default:
          this.unexpected(node);
      }
    }
  }

  statement(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[]): void {
    if (!this.withinBounds()) return;
    this.depth++;
    try {
      this.statementAt(node, joiner, inherited);
    } finally {
      this.depth--;
    }
  }

  /** False (after recording why, once) when the walk has gone past its bounds. */
  private withinBounds(): boolean {
    if (this.stopped) return false;
    const tooDeep = this.depth >= MAX_NESTING;
    if (!tooDeep && this.segments.length < MAX_WALKED_SEGMENTS) return true;
    this.stopped = true;
    this.exact = false;
    this.lineFindings.push({
      verdict: 'ask',
      reason: tooDeep ? `the command is nested more than ${MAX_NESTING} levels deep` : `the command holds more than ${MAX_WALKED_SEGMENTS} commands; the policy stopped reading it`,
    });
    return false;
  }

  private statementAt(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[]): void {
    switch (node.type) {
      case 'command':
        return this.command(node, joiner, inherited);
      case 'redirected_statement':
        return this.redirected(node, joiner, inherited);
      case 'pipeline':
      case 'list':
        return this.operators(node, joiner, inherited);
      case 'negated_command':
        return this.wrapped(node, joiner, inherited, 'negates the exit status with "!"');
      case 'subshell':
        return this.wrapped(node, joiner, inherited, 'runs in a subshell ( ... )');
      case 'compound_statement':
        return this.wrapped(node, joiner, inherited, 'is part of a { ... } group');
      case 'function_definition':
        return this.wrapped(node, joiner, inherited, 'is inside a shell function definition');
      case 'comment':
        return;
      case 'variable_assignment':
      case 'variable_assignments':
        this.lineFindings.push({ verdict: 'ask', reason: `sets a shell variable (${clip(node.text)})`, risk: variableRisk(node.text) });
        this.exact = false;
        return this.descend(node, inherited);
      case 'declaration_command':
      case 'unset_command':
        this.lineFindings.push({ verdict: 'ask', reason: `changes shell state (${clip(node.text)})`, risk: variableRisk(node.text) });
        this.exact = false;
        return this.descend(node, inherited);
      case 'test_command':
        this.lineFindings.push({ verdict: 'ask', reason: `a shell test expression ${JSON.stringify(clip(node.text))}`, risk: 'syntax' });
        this.exact = false;
        return this.descend(node, inherited);
      default: {
        const what = CONTROL_FLOW[node.type];
        const reason = what ? `is inside ${what}` : `is inside shell syntax the policy does not understand (${node.type})`;
        if (!what) this.lineFindings.push({ verdict: 'ask', reason: `shell syntax the policy does not understand (${node.type}): ${JSON.stringify(clip(node.text))}` });
        else this.lineFindings.push({ verdict: 'ask', reason: `${what} (only plain commands joined by &&, ||, ; and | can be allowed)`, risk: 'syntax' });
        this.exact = false;
        return this.descend(node, [...inherited, { verdict: 'ask', reason, ...(what ? { risk: 'syntax' as const } : {}) }]);
      }
    }
  }

  /** `a && b || c` and `a | b`: the operator before each part is its joiner. */
  private operators(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[]): void {
    let pending = joiner;
    let extra: Finding | undefined;
    for (const child of children(node)) {
      if (child.isNamed) {
        if (child.type === 'comment') continue;
        const start = this.segments.length;
        this.statement(child, pending, inherited);
        if (extra) this.addTo(start, extra, start + 1);
        extra = undefined;
        continue;
      }
      if (child.type === '&&' || child.type === '||' || child.type === '|') pending = child.type;
      else if (child.type === '|&') {
        pending = '|';
        this.exact = false;
        extra = { verdict: 'ask', reason: '"|&" also pipes stderr, and POSIX sh reads it as "|" then "&"', risk: 'syntax' };
      } else this.unexpected(child);
    }
  }

  private wrapped(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[], reason: string): void {
    this.exact = false;
    const inner = [...inherited, { verdict: 'ask' as const, reason, risk: 'syntax' as const }];
    const start = this.segments.length;
    if (node.type === 'function_definition') this.descend(node, inner);
    else this.sequence(children(node).filter((c) => c.type !== '!'), joiner, inner);
    if (this.segments.length === start) this.lineFindings.push({ verdict: 'ask', reason: `a construct that ${reason}`, risk: 'syntax' });
  }

  private redirected(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[]): void {
    const body = node.childForFieldName('body');
    const findings: Finding[] = [];
    const words: Node[] = [];
    for (const child of children(node)) {
      if (!child.type.endsWith('_redirect')) continue;
      const r = this.redirect(child, inherited);
      findings.push(...r.findings);
      words.push(...r.words);
    }
    const start = this.segments.length;
    if (body) this.statement(body, joiner, inherited);
    if (this.segments.length === start) {
      // A redirection with no command (`> file`) still creates or truncates the file.
      this.exact = false;
      this.lineFindings.push(...findings, { verdict: 'ask', reason: `a redirection without a command (${clip(node.text)})`, risk: 'write' });
      return;
    }
    // In `a | b > f` the redirection belongs to `b`; a group's redirection covers every command in it.
    const simple = (body?.type === 'command' || body?.type === 'pipeline') && this.lastCommand >= start;
    const target = simple ? this.segments[this.lastCommand] : undefined;
    for (const f of findings) {
      if (simple) this.addTo(this.lastCommand, f, this.lastCommand + 1);
      else this.addTo(start, f);
    }
    if (words.length === 0) return;
    if (target) {
      // `git >/dev/null -c x log`: the words after a redirection target are the command's arguments.
      const nested: Node[] = [];
      for (const w of words) this.addWord(target, w, nested);
      this.descendAll(nested, inherited);
    } else {
      this.exact = false;
      this.addTo(start, { verdict: 'ask', reason: `words after a redirection on a compound command (${clip(node.text)})`, risk: 'syntax' });
    }
  }

  /** Appends one argument word to a segment, with what it found; substitutions go to `nested`. */
  private addWord(segment: RawSegment, node: Node, nested: Node[]): boolean {
    // Two words with nothing between them are one word to the shell; the grammar sometimes splits
    // them (`" "\$x"..."`), which would change the argv.
    if (this.wordEnds.get(segment) === node.startIndex) {
      this.exact = false;
      segment.findings.push({ verdict: 'ask', reason: `the parser split ${JSON.stringify(clip(node.text))} from the word before it, but the shell joins them` });
    }
    this.wordEnds.set(segment, node.endIndex);
    const word = evaluateWord(node);
    if (!word.literal) this.exact = false;
    segment.argv.push(word.value);
    segment.findings.push(...word.findings);
    nested.push(...word.nested);
    return word.literal;
  }

  private descendAll(nodes: readonly Node[], inherited: readonly Finding[]): void {
    for (const n of nodes) this.descend(n, [...inherited, { verdict: 'ask', reason: 'runs inside a substitution or assignment of another command', risk: 'syntax' }]);
  }

  private command(node: Node, joiner: Joiner | undefined, inherited: readonly Finding[]): void {
    const segment: RawSegment = { argv: [], nameLiteral: true, findings: [...inherited], ...(joiner ? { joiner } : {}) };
    const nested: Node[] = [];
    let sawName = false;
    for (const child of children(node)) {
      if (child.type === 'variable_assignment') {
        const name = child.childForFieldName('name')?.text ?? child.text;
        segment.findings.push({
          verdict: 'ask',
          reason: isCodeLoadingVariable(name) ? `sets ${name} for the command, which changes what program runs or loads code into it (${clip(child.text)})` : `sets the environment variable ${name} for the command (${clip(child.text)})`,
          risk: isCodeLoadingVariable(name) ? 'code' : 'syntax',
        });
        this.exact = false;
        nested.push(child);
      } else if (child.type.endsWith('_redirect')) {
        const r = this.redirect(child, inherited);
        segment.findings.push(...r.findings);
        for (const w of r.words) this.addWord(segment, w, nested);
      } else if (child.type === 'command_name') {
        sawName = true;
        segment.nameLiteral = this.addWord(segment, child, nested);
      } else if ((child.isNamed && child.type !== 'comment') || child.type === '$') {
        this.addWord(segment, child, nested);
      } else if (!child.isNamed) {
        this.unexpected(child);
      }
    }
    if (!sawName) segment.nameLiteral = false;
    this.segments.push(segment);
    const index = this.segments.length - 1;
    this.descendAll(nested, inherited);
    this.lastCommand = index;
  }

  /**
   * Judges one redirection: its findings (none for /dev/null and fd duplication), and the words the
   * grammar hangs on it after the target, which the shell passes to the command as arguments.
   */
  private redirect(node: Node, inherited: readonly Finding[]): { findings: Finding[]; words: Node[] } {
    const destinations = node.type === 'file_redirect' ? node.childrenForFieldName('destination').filter((n): n is Node => n !== null) : [];
    const opToken = children(node).find((c) => !c.isNamed);
    if (opToken && (opToken.type === '>&-' || opToken.type === '<&-')) {
      // Closing a descriptor takes no target: every word after it is an argument.
      this.exact = false;
      return { findings: [{ verdict: 'ask', reason: `${JSON.stringify(clip(node.text))} closes a file descriptor, which can stop the command from running`, risk: 'syntax' }], words: destinations };
    }
    const [first, ...words] = destinations;
    return { findings: this.redirectFindings(node, first, inherited), words };
  }

  private redirectFindings(node: Node, dest: Node | undefined, inherited: readonly Finding[]): Finding[] {
    if (node.type === 'heredoc_redirect' || node.type === 'herestring_redirect') {
      this.exact = false;
      this.descend(node, [...inherited, { verdict: 'ask', reason: 'runs inside a here-document', risk: 'syntax' }]);
      const what = node.type === 'heredoc_redirect' ? 'a here-document (<<)' : 'a here-string (<<<)';
      return [{ verdict: 'ask', reason: `${what} feeds input the policy does not judge`, risk: 'syntax' }, ...this.heredocTargets(node, inherited)];
    }
    if (node.type !== 'file_redirect') {
      this.exact = false;
      return [{ verdict: 'ask', reason: `a redirection the policy does not understand (${clip(node.text)})` }];
    }
    const op = children(node).find((c) => !c.isNamed)?.type ?? '';
    const fd = node.childForFieldName('descriptor')?.text;
    if (fd !== undefined && !/^[0-9]$/.test(fd)) {
      // bash takes `12>` as fd 12 and `-1>` as a word then `>`; dash takes `12` as a word. Too subtle to allow.
      this.exact = false;
      return [{ verdict: 'ask', reason: `the file descriptor ${JSON.stringify(fd)} in ${JSON.stringify(clip(node.text))} means different things in bash and POSIX sh`, risk: 'syntax' }];
    }
    // A word of digits or `{name}` glued to the operator (`0>`, `{fd}>`) is a descriptor to the shell,
    // but the grammar sometimes reads it as an argument; bash and sh also disagree on `{name}>`.
    const prev = node.previousSibling;
    const glued = prev && prev.endIndex === node.startIndex ? /(?:^|\s)(\d+|\{[A-Za-z_]\w*\})$/.exec(prev.text) : null;
    if (glued) {
      this.exact = false;
      return [{ verdict: 'ask', reason: `"${glued[1]}${clip(node.text)}" names a file descriptor the parser and the shells read differently`, risk: 'syntax' }];
    }
    // Only the everyday duplications (`2>&1`, `>&2`, `1>&2`) are allowed; other descriptor games
    // (closing, reading from a dup) can stop the command from running at all in one shell and not another.
    if (op === '>&' && dest && /^[12]$/.test(dest.text) && (fd === undefined || fd === '1' || fd === '2')) return [];
    if ((op === '>&' || op === '<&') && dest && /^(\d+|-)$/.test(dest.text)) {
      this.exact = false;
      return [{ verdict: 'ask', reason: `the descriptor redirection ${JSON.stringify(clip(node.text))} is not one of 2>&1, >&2, 1>&2`, risk: 'syntax' }];
    }
    if (!dest) {
      this.exact = false;
      return [{ verdict: 'ask', reason: `a redirection the policy does not understand (${clip(node.text)})` }];
    }
    const word = evaluateWord(dest);
    for (const n of word.nested) this.descend(n, [...inherited, { verdict: 'ask', reason: 'runs inside a substitution in a redirection', risk: 'syntax' }]);
    if (!word.literal) this.exact = false;
    const findings = judgeRedirectTarget(op, word, node.text, this.configDirName);
    if (findings.length > 0) this.exact = false;
    return findings;
  }

  /** Finds the statements anywhere below a node (loop bodies, substitutions) and judges each one. */
  private descend(node: Node, inherited: readonly Finding[]): void {
    if (!this.withinBounds()) return;
    this.depth++;
    try {
      for (const child of children(node)) {
        if (STATEMENTS.has(child.type)) this.statement(child, ';', inherited);
        else this.descend(child, inherited);
      }
    } finally {
      this.depth--;
    }
  }

  /**
   * The file redirections the grammar hangs on a here-document node (`cat <<EOF > .git/config`): they
   * write like any other redirection, so their targets are judged (a protected one is denied).
   */
  private heredocTargets(node: Node, inherited: readonly Finding[]): Finding[] {
    const out: Finding[] = [];
    for (const child of children(node)) {
      if (child.type === 'file_redirect') out.push(...this.redirectFindings(child, child.childrenForFieldName('destination')[0] ?? undefined, inherited));
    }
    return out;
  }

  private addTo(start: number, finding: Finding, end = this.segments.length): void {
    for (let i = start; i < end; i++) this.segments[i]?.findings.push(finding);
  }

  private unexpected(node: Node): void {
    this.exact = false;
    this.lineFindings.push({ verdict: 'ask', reason: `unexpected shell token ${JSON.stringify(node.type)}` });
  }
}

/** Setting a variable that loads code or picks the program (PATH, NODE_OPTIONS …) is code; others are syntax. */
function variableRisk(text: string): 'code' | 'syntax' {
  return assignedNames(text).some(isCodeLoadingVariable) ? 'code' : 'syntax';
}
