import { allow, anyArgs, ask, beforeDoubleDash, hasShortFlag, isLongOption, positionals, unlessOptions, type ProgramRule, type RuleResult } from './ruleKit';
import { isSafeSedScript } from './sedScript';
import { firstWriteProblem, judgeReadOperand, outputValue } from './fileOperands';

/**
 * Tools that only read files and print: no argument makes them write or run anything.
 * GNU tools accept any unambiguous prefix of a long option (`sort --o=FILE` is `--output`), so the
 * dangerous long options below match short prefixes too.
 */
/** Tools whose operands are files they read and print. */
const FILE_READERS = [
  'ls', 'cat', 'head', 'tail', 'wc', 'stat', 'du', 'df', 'cut', 'tr', 'nl', 'cmp', 'comm', 'md5sum', 'sha1sum', 'sha256sum',
  'hexdump', 'od', 'fold', 'rev', 'paste', 'join', 'tac', 'less', 'more', 'strings', 'xxd', 'column',
];
/** Tools whose first operand is a pattern or a filter, the rest files. */
const PATTERN_THEN_FILES = ['grep', 'egrep', 'fgrep', 'jq'];
/** Tools that print without reading files named by their operands. */
const PRINTERS = [
  'echo', 'pwd', 'printf', 'true', 'false', 'basename', 'dirname', 'realpath', 'readlink', 'which', 'whoami', 'uname', 'test',
  'id', 'ps', 'nproc', 'groups', 'seq', 'sleep', 'whereis', 'type', 'expr',
];

/**
 * A read-only tool still reads what its operands name: git internals and files of credentials ask,
 * as read_file does. Options are not operands; whatever they are, these tools only print.
 */
export function readsOperands(name: string, skipFirst = false): ProgramRule {
  return {
    check(args) {
      const files = positionals(args);
      const patternGiven = args.some((a) => a === '-e' || a === '-f' || a.startsWith('--regexp') || a.startsWith('--file') || (/^-[a-zA-Z]*[ef]/.test(a) && !a.startsWith('--')));
      for (const a of skipFirst && !patternGiven ? files.slice(1) : files) {
        const problem = judgeReadOperand(name, a);
        if (problem) return problem;
      }
      return allow(`${name} only reads and prints`);
    },
    readsOnly: true,
  };
}

/** Allowed like readsOperands, unless an option writes a file (then its target is judged) or does something else worth a person. */
function readsUnless(name: string, option: (args: readonly string[], i: number) => RuleResult | 'skip' | undefined): ProgramRule {
  return {
    check(args) {
      const opts = beforeDoubleDash(args);
      for (let i = 0; i < opts.length; i++) {
        const r = option(opts, i);
        if (r === 'skip') {
          i++;
          continue;
        }
        if (r) return r;
      }
      return readsOperands(name).check(args);
    },
  };
}

/**
 * An option that names an output file (see outputValue for the spellings): a protected target is
 * denied, any other asks as an ordinary write; an output option without a value asks too.
 */
function outputOption(program: string, args: readonly string[], i: number, long: string, minLength: number, short?: string): RuleResult | undefined {
  const a = args[i] as string;
  const isOutput = isLongOption(a, long, minLength) || (short !== undefined && hasShortFlag(a, short));
  if (!isOutput) return undefined;
  const v = outputValue(args, i, long, minLength, short);
  if (!v) return ask(`${program} ${a} writes a file`, 'write');
  return firstWriteProblem(program, [{ path: v.value, how: a.split('=')[0] as string }]) ?? ask(`${program} ${a.split('=')[0]} writes the file ${JSON.stringify(v.value)}`, 'write');
}

const FIND_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls']);

const find: ProgramRule = {
  check(args) {
    // find has no `--` convention for its expression: every argument is looked at.
    const action = args.find((a) => FIND_ACTIONS.has(a));
    if (action) return ask(`find ${action} runs a command, deletes or writes files`);
    return allow('find only lists files without -exec/-delete/-fprint');
  },
};

const rg = unlessOptions('rg only searches', (a) => {
  if (isLongOption(a, '--pre')) return 'rg --pre runs a program on every file it searches';
  if (isLongOption(a, '--hostname-bin')) return 'rg --hostname-bin runs a program';
  if (isLongOption(a, '--search-zip') || hasShortFlag(a, 'z')) return 'rg -z/--search-zip runs decompression programs on the files it searches';
  return undefined;
});

const sed: ProgramRule = {
  check(args) {
    const opts = beforeDoubleDash(args);
    const scripts: string[] = [];
    let sawScriptOption = false;
    for (let i = 0; i < opts.length; i++) {
      const a = opts[i] as string;
      if (isLongOption(a, '--in-place', 3) || (hasShortFlag(a, 'i') && !a.startsWith('-e'))) return ask('sed -i edits files in place');
      if (isLongOption(a, '--file', 4) || a === '-f' || /^-[a-zA-Z]*f/.test(a)) return ask('sed -f runs a script file the policy cannot read');
      if (a === '-e' || a === '--expression') {
        const next = opts[i + 1];
        if (next === undefined) return ask('sed -e without a script');
        scripts.push(next);
        sawScriptOption = true;
        i++;
      } else if (a.startsWith('--expression=')) {
        scripts.push(a.slice('--expression='.length));
        sawScriptOption = true;
      } else if (a.startsWith('-e') && a.length > 2) {
        scripts.push(a.slice(2));
        sawScriptOption = true;
      } else if (a.startsWith('--') && !['--quiet', '--silent', '--regexp-extended', '--posix', '--null-data', '--separate', '--debug', '--sandbox'].includes(a)) {
        return ask(`sed option ${a} is not one the policy knows to be safe`);
      } else if (a.startsWith('-') && a !== '-' && !/^-[nEsrzu]+$/.test(a)) {
        return ask(`sed option ${a} is not one the policy knows to be safe`);
      }
    }
    if (!sawScriptOption) {
      const first = positionals(args)[0];
      if (first === undefined) return ask('sed without a script');
      scripts.push(first);
    }
    const unsafe = scripts.find((s) => !isSafeSedScript(s));
    if (unsafe !== undefined) return ask(`the sed script ${JSON.stringify(unsafe)} uses commands beyond print/delete/substitute (sed can write files and run commands)`);
    return allow('sed prints with a script of print/delete/substitute commands only');
  },
};

/** A size for sort -S: a number with an optional unit (K by default), or a percentage of memory. */
function sortBufferBytes(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([bkmgtpezy%]?)$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === '%') return n >= 50 ? Infinity : 0;
  const power = unit === 'b' ? 0 : 'kmgtpezy'.indexOf(unit === '' ? 'k' : unit) + 1;
  return n * 1024 ** power;
}

/** More memory than this for one sort is a request to exhaust the machine, not to sort a file. */
const MAX_SORT_BUFFER = 1024 ** 3;
/** Wider than this, column pads every line to absurd lengths. */
const MAX_COLUMN_WIDTH = 10_000;

const sort = readsUnless('sort', (args, i) => {
  const a = args[i] as string;
  if (isLongOption(a, '--compress-program', 4)) return ask('sort --compress-program runs a program');
  const size = outputValue(args, i, '--buffer-size', 3, 'S');
  if (size && (isLongOption(a, '--buffer-size', 3) || hasShortFlag(a, 'S'))) {
    const bytes = sortBufferBytes(size.value);
    if (bytes === undefined || bytes > MAX_SORT_BUFFER) return ask(`sort -S ${size.value} asks for more memory than one sort should take (over 1 GiB)`, 'unlisted');
    return 'skip';
  }
  return outputOption('sort', args, i, '--output', 3, 'o');
});

const column = readsUnless('column', (args, i) => {
  const a = args[i] as string;
  const width = isLongOption(a, '--output-width', 4) || a === '-c' || (a.startsWith('-c') && !a.startsWith('--')) ? outputValue(args, i, '--output-width', 4, 'c') : undefined;
  if (width) {
    const n = Number(width.value);
    if (!Number.isInteger(n) || n > MAX_COLUMN_WIDTH) return ask(`column -c ${width.value} asks for an absurd output width`, 'unlisted');
    return width.used === 2 ? 'skip' : undefined;
  }
  return undefined;
});

const uniq: ProgramRule = {
  check(args) {
    // `uniq INPUT OUTPUT` writes OUTPUT; options that take values (-f N, -s N, -w N) are attached or numeric.
    const files = positionals(args).filter((a) => !/^\d+$/.test(a));
    if (files.length > 1) return firstWriteProblem('uniq', [{ path: files[1] as string, how: 'OUTPUT' }]) ?? ask('uniq with two file operands writes the second one', 'write');
    return readsOperands('uniq').check(args);
  },
};

const tree = readsUnless('tree', (args, i) => {
  const a = args[i] as string;
  const out = outputOption('tree', args, i, '--output', 100, 'o');
  if (out) return out;
  if (hasShortFlag(a, 'R')) return ask('tree -R writes an index file into every folder', 'write');
  return undefined;
});

const diff = readsUnless('diff', (args, i) => {
  const a = args[i] as string;
  return isLongOption(a, '--output', 5) ? outputOption('diff', args, i, '--output', 5) : undefined;
});

const base64 = readsUnless('base64', (args, i) => {
  const a = args[i] as string;
  if (a === '-i' || a === '--input') return 'skip';
  return outputOption('base64', args, i, '--output', 5, 'o');
});

const file = unlessOptions('file reads file headers', (a) => (hasShortFlag(a, 'C') || isLongOption(a, '--compile', 4) ? 'file -C writes a compiled magic file' : undefined));

const date = unlessOptions('date prints the date', (a) => (hasShortFlag(a, 's') || isLongOption(a, '--set', 3) ? 'date -s sets the system clock' : undefined));

const cd: ProgramRule = {
  check(args) {
    return positionals(args).length <= 1 ? allow('cd changes the directory for the commands after it') : ask('cd with several arguments');
  },
};

export const READ_ONLY_RULES: Record<string, ProgramRule> = {
  ...Object.fromEntries(FILE_READERS.map((name) => [name, readsOperands(name)])),
  column,
  ...Object.fromEntries(PATTERN_THEN_FILES.map((name) => [name, readsOperands(name, true)])),
  ...Object.fromEntries(PRINTERS.map((name) => [name, { ...anyArgs(`${name} only prints`), readsOnly: true }])),
  diff,
  base64,
  find,
  rg,
  sed,
  sort,
  uniq,
  tree,
  file,
  date,
  cd,
};
