import { allow, anyArgs, ask, beforeDoubleDash, hasShortFlag, isLongOption, positionals, unlessOptions, type ProgramRule } from './ruleKit';
import { isSafeSedScript } from './sedScript';

/**
 * Tools that only read files and print: no argument makes them write or run anything.
 * GNU tools accept any unambiguous prefix of a long option (`sort --o=FILE` is `--output`), so the
 * dangerous long options below match short prefixes too.
 */
const READ_ONLY = [
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'egrep', 'fgrep', 'echo', 'pwd', 'printf', 'true', 'false',
  'basename', 'dirname', 'realpath', 'readlink', 'stat', 'du', 'df', 'which', 'whoami', 'uname', 'cut',
  'tr', 'nl', 'diff', 'cmp', 'comm', 'jq', 'md5sum', 'sha1sum', 'sha256sum', 'test', 'hexdump', 'od',
];

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

const sort = unlessOptions('sort prints sorted lines', (a) => {
  if (isLongOption(a, '--output', 3) || hasShortFlag(a, 'o')) return 'sort -o/--output writes a file';
  if (isLongOption(a, '--compress-program', 4)) return 'sort --compress-program runs a program';
  return undefined;
});

const uniq: ProgramRule = {
  check(args) {
    // `uniq INPUT OUTPUT` writes OUTPUT; options that take values (-f N, -s N, -w N) are attached or numeric.
    const files = positionals(args).filter((a) => !/^\d+$/.test(a));
    return files.length > 1 ? ask('uniq with two file operands writes the second one') : allow('uniq prints');
  },
};

const tree = unlessOptions('tree lists files', (a) => {
  if (hasShortFlag(a, 'o')) return 'tree -o writes a file';
  if (hasShortFlag(a, 'R')) return 'tree -R writes an index file into every folder';
  return undefined;
});

const file = unlessOptions('file reads file headers', (a) => (hasShortFlag(a, 'C') || isLongOption(a, '--compile', 4) ? 'file -C writes a compiled magic file' : undefined));

const date = unlessOptions('date prints the date', (a) => (hasShortFlag(a, 's') || isLongOption(a, '--set', 3) ? 'date -s sets the system clock' : undefined));

const cd: ProgramRule = {
  check(args) {
    return positionals(args).length <= 1 ? allow('cd changes the directory for the commands after it') : ask('cd with several arguments');
  },
};

export const READ_ONLY_RULES: Record<string, ProgramRule> = {
  ...Object.fromEntries(READ_ONLY.map((name) => [name, anyArgs(`${name} only reads and prints`)])),
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
