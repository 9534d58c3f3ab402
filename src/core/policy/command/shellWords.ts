import type { Node } from 'web-tree-sitter';
import type { Finding } from './policyTypes';

/**
 * Turns one shell word (a command name, an argument or a redirection target) into the string the
 * shell would pass, and says when it cannot: anything that expands at run time makes the value
 * unknowable, so it comes back as a finding and the word is marked non-literal.
 *
 * Only POSIX quoting is decoded ('single', "double", backslash). The constructs that mean different
 * things in bash and in a POSIX sh ($'...', brace expansion) are findings, so an `allow` line means
 * the same thing whichever shell a sandbox uses.
 */
export interface WordValue {
  /** The unquoted value; parts the policy cannot evaluate appear as their source text. */
  value: string;
  /** True when `value` is exactly what the shell would pass. */
  literal: boolean;
  findings: Finding[];
  /** Substitution nodes whose inner commands must be judged as well. */
  nested: Node[];
}

interface Char {
  ch: string;
  /** Quoted or escaped: the shell takes it literally (no globbing, tilde or brace expansion). */
  quoted: boolean;
}

interface State {
  chars: Char[];
  findings: Finding[];
  nested: Node[];
  literal: boolean;
}

const EXPANSION_REASONS: Record<string, string> = {
  simple_expansion: 'parameter expansion',
  expansion: 'parameter expansion',
  command_substitution: 'command substitution',
  process_substitution: 'process substitution',
  arithmetic_expansion: 'arithmetic expansion',
  ansi_c_string: "ANSI-C quoting $'...'",
  translated_string: 'locale translation $"..."',
  brace_expression: 'brace expansion',
  $: 'a bare "$"',
};

const RUNS_COMMANDS = new Set(['command_substitution', 'process_substitution']);
/** The exit status, the argument count and the shell's pid: numbers, never code or paths. */
const HARMLESS_SPECIAL_PARAMETERS = new Set(['$?', '$#', '$$']);
/**
 * Expansions whose own risk is only that their value is unknown: the commands inside a substitution are
 * judged on their own, and a parameter's value is data. Anything else the policy does not decode
 * counts as code.
 */
const OPAQUE_SYNTAX = new Set(['simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion', 'brace_expression', 'ansi_c_string', 'translated_string']);

export function evaluateWord(node: Node): WordValue {
  const st: State = { chars: [], findings: [], nested: [], literal: true };
  visit(node, st);
  checkUnquoted(st);
  return { value: st.chars.map((c) => c.ch).join(''), literal: st.literal, findings: st.findings, nested: st.nested };
}

function visit(node: Node, st: State): void {
  switch (node.type) {
    case 'word':
    case 'number':
      unquotedText(node.text, st);
      return;
    case 'raw_string': {
      const text = node.text;
      if (text.length < 2 || !text.endsWith("'")) return opaque(node, st, 'an unterminated single quote');
      for (const ch of text.slice(1, -1)) st.chars.push({ ch, quoted: true });
      return;
    }
    case 'string': {
      // Read the source between the quotes, not just the string_content children: the grammar
      // leaves some characters (a newline, for one) outside every child.
      const text = node.text;
      if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return opaque(node, st, 'an unterminated double quote');
      let pos = node.startIndex + 1;
      const end = node.endIndex - 1;
      for (const child of children(node)) {
        if (child.type === '"' || child.type === 'string_content') continue;
        doubleQuotedText(text.slice(pos - node.startIndex, child.startIndex - node.startIndex), st);
        opaque(child, st);
        pos = child.endIndex;
      }
      doubleQuotedText(text.slice(pos - node.startIndex, end - node.startIndex), st);
      return;
    }
    case 'concatenation':
    case 'command_name':
      for (const child of children(node)) visit(child, st);
      return;
    default:
      opaque(node, st);
  }
}

/** A part whose value only exists at run time (or that the policy does not decode). */
function opaque(node: Node, st: State, why?: string): void {
  st.literal = false;
  if (node.type === 'simple_expansion' && HARMLESS_SPECIAL_PARAMETERS.has(node.text)) {
    // `echo "exit=$?"`: the value is a number the shell knows; nothing to judge.
    for (const ch of node.text) st.chars.push({ ch, quoted: true });
    return;
  }
  const reason = why ?? EXPANSION_REASONS[node.type] ?? `shell syntax the policy does not understand (${node.type})`;
  st.findings.push({ verdict: 'ask', reason: `${reason} ${JSON.stringify(clip(node.text))} (its value is only known when it runs)`, ...(OPAQUE_SYNTAX.has(node.type) ? { risk: 'syntax' as const } : {}) });
  if (RUNS_COMMANDS.has(node.type) || node.type === 'expansion') st.nested.push(node);
  for (const ch of node.text) st.chars.push({ ch, quoted: true });
}

function unquotedText(text: string, st: State): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      i++;
      if (next === undefined) st.chars.push({ ch: '\\', quoted: true });
      else if (next !== '\n') st.chars.push({ ch: next, quoted: true });
    } else if (c === '$' || c === '`') {
      // The grammar normally makes these expansion nodes; a stray one inside a word is not trusted.
      st.literal = false;
      st.findings.push({ verdict: 'ask', reason: `an unquoted "${c}" in ${JSON.stringify(clip(text))}` });
      st.chars.push({ ch: c, quoted: true });
    } else if (c === ' ' || c === '\t' || c === '\n') {
      // The grammar sometimes reads `} {` as one word; the shell splits it, so the argv would differ.
      st.literal = false;
      st.findings.push({ verdict: 'ask', reason: `the parser read ${JSON.stringify(clip(text))} as one word, but the shell splits it at the blank` });
      st.chars.push({ ch: c, quoted: true });
    } else {
      st.chars.push({ ch: c, quoted: false });
    }
  }
}

const DOUBLE_QUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\']);

function doubleQuotedText(text: string, st: State): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && DOUBLE_QUOTE_ESCAPABLE.has(next)) {
      st.chars.push({ ch: next, quoted: true });
      i++;
    } else if (c === '\\' && next === '\n') {
      i++;
    } else if (c === '$' || c === '`') {
      st.literal = false;
      st.findings.push({ verdict: 'ask', reason: `an unescaped "${c}" inside double quotes` });
      st.chars.push({ ch: c, quoted: true });
    } else {
      st.chars.push({ ch: c, quoted: true });
    }
  }
}

/** Globs, tildes and braces only expand when unquoted; the policy cannot see what they expand to. */
function checkUnquoted(st: State): void {
  const { chars } = st;
  const text = chars.map((c) => c.ch).join('');
  const glob = chars.find((c) => !c.quoted && (c.ch === '*' || c.ch === '?' || c.ch === '['));
  if (glob) {
    st.findings.push({ verdict: 'ask', reason: `glob pattern ${JSON.stringify(clip(text))} (the shell replaces it with file names the policy cannot see)`, risk: 'syntax', glob: text });
    st.literal = false;
  }
  const tilde = chars.some((c, i) => !c.quoted && c.ch === '~' && (i === 0 || (!chars[i - 1]?.quoted && (chars[i - 1]?.ch === '=' || chars[i - 1]?.ch === ':'))));
  if (tilde) {
    st.findings.push({ verdict: 'ask', reason: `tilde expansion in ${JSON.stringify(clip(text))} (it names a home directory)`, risk: 'secret' });
    st.literal = false;
  }
  if (hasBraceExpansion(chars)) {
    st.findings.push({ verdict: 'ask', reason: `brace expansion in ${JSON.stringify(clip(text))} (bash turns it into several arguments)`, risk: 'syntax' });
    st.literal = false;
  }
}

/** An unquoted `{` with an unquoted `,` or `..` before a later unquoted `}` (erring towards yes). */
function hasBraceExpansion(chars: readonly Char[]): boolean {
  const open = chars.findIndex((c) => !c.quoted && c.ch === '{');
  if (open < 0) return false;
  let close = -1;
  for (let i = chars.length - 1; i > open; i--) {
    if (!chars[i]?.quoted && chars[i]?.ch === '}') {
      close = i;
      break;
    }
  }
  for (let i = open + 1; i < close; i++) {
    const c = chars[i] as Char;
    if (c.quoted) continue;
    if (c.ch === ',') return true;
    if (c.ch === '.' && chars[i + 1]?.ch === '.' && !chars[i + 1]?.quoted) return true;
  }
  return false;
}

export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const child = node.child(i);
    if (child) out.push(child);
  }
  return out;
}

export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
