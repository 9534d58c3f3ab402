/**
 * A person's or a team's "never": commands that are denied whatever else allows them (an allowlist
 * entry, a skill, an auto-approval tier). Entries are written like allowlist entries, a program and
 * optional words, with two additions that make a "never" hard to step around:
 * - option words match as a set, in any order and spelling: `rm -rf` denies `rm -fr x`, `rm -r -f x`
 *   and `rm --recursive --force x`; `git push --force` denies `git push -f origin main`;
 * - a trailing `*` on the last word matches any word with that start (`npm publish*`), a lone `*` any
 *   word at all.
 * Sub-command words match after global options (`git -C dir push` is `git push`). Each segment of a
 * line is judged on its own, and the policy also looks inside the simple wrappers (`env`, `timeout`,
 * `nice`, `xargs`, `sudo`, …) and inside `sh -c '...'`.
 */
export interface DenyEntry {
  text: string;
  program: string;
  /** Sub-command words, in order (`*` wildcards allowed on the last). */
  words: string[];
  /** Options that must all be present, normalized (`-r`, `-f`, `--force` → `-f`). */
  options: string[];
}

const ENTRY_WORD = /^[A-Za-z0-9_./:=@%+,-]+\*?$|^\*$/;

export function denyEntryProblem(text: string): string | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'a deny entry is empty';
  const bad = words.find((w, i) => !ENTRY_WORD.test(w) || (w.includes('*') && i !== words.length - 1) || (i === 0 && w.includes('*')));
  if (bad) return `deny entry ${JSON.stringify(text)} contains ${JSON.stringify(bad)}; entries are a program and optional words or options (e.g. "git push", "rm -rf", "npm publish*"), with * only at the end of the last word`;
  return undefined;
}

export function parseDenyEntry(text: string): DenyEntry | undefined {
  if (denyEntryProblem(text)) return undefined;
  const [program, ...rest] = text.trim().split(/\s+/) as [string, ...string[]];
  const options = rest.filter((w) => w.startsWith('-') && w !== '-').flatMap((w) => normalizeOption(program, w));
  const words = rest.filter((w) => !w.startsWith('-') || w === '-');
  return { text: [program, ...rest].join(' '), program, words, options };
}

/** Long options and upper-case twins that mean the same as a short one, per program. */
const OPTION_ALIASES: Record<string, Record<string, string>> = {
  rm: { '--recursive': '-r', '-R': '-r', '--force': '-f', '--dir': '-d' },
  cp: { '--recursive': '-r', '-R': '-r', '--force': '-f' },
  chmod: { '--recursive': '-R' },
  chown: { '--recursive': '-R' },
  git: { '--force': '-f', '--delete': '-d', '--all': '-a' },
  '*': { '--force': '-f', '--recursive': '-r' },
};

function normalizeOption(program: string, option: string): string[] {
  const aliases = { ...OPTION_ALIASES['*'], ...OPTION_ALIASES[program] };
  if (option.startsWith('--')) {
    const name = option.split('=')[0] as string;
    return [aliases[name] ?? name];
  }
  // A cluster of short options: -rf is -r and -f.
  return [...option.slice(1)].map((c) => aliases[`-${c}`] ?? `-${c}`);
}

/** The entry that denies this simple command, if any. `commandWords` is the program rule's view of its sub-command. */
export function matchDeny(entries: readonly DenyEntry[], argv: readonly string[], commandWords?: (args: readonly string[]) => string[]): DenyEntry | undefined {
  const [rawProgram = '', ...args] = argv;
  const program = rawProgram.includes('/') ? rawProgram.slice(rawProgram.lastIndexOf('/') + 1) : rawProgram;
  const present = new Set(args.filter((a) => a.startsWith('-') && a !== '-' && a !== '--').flatMap((a) => normalizeOption(program, a)));
  const nonOptions = args.filter((a) => !a.startsWith('-') || a === '-');
  const sub = commandWords ? commandWords(args) : [];
  for (const entry of entries) {
    if (entry.program !== program) continue;
    if (!entry.options.every((o) => present.has(o))) continue;
    if (entry.words.length === 0 || startsWithWords(sub, entry.words) || containsWords(nonOptions, entry.words)) return entry;
  }
  return undefined;
}

function wordMatches(pattern: string, word: string | undefined): boolean {
  if (word === undefined) return pattern === '*';
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}

function startsWithWords(words: readonly string[], pattern: readonly string[]): boolean {
  return words.length > 0 && pattern.every((p, i) => wordMatches(p, words[i]));
}

/** The pattern as a contiguous run anywhere among the non-option words (global option values come first). */
function containsWords(words: readonly string[], pattern: readonly string[]): boolean {
  for (let start = 0; start < Math.max(1, words.length); start++) {
    if (pattern.every((p, i) => wordMatches(p, words[start + i]))) return true;
  }
  return false;
}

/** Programs that run the command in their arguments, and how many leading words are their own. */
const WRAPPERS: Record<string, (args: readonly string[]) => readonly string[] | undefined> = {
  env: (a) => dropWhile(a, (w) => w.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)),
  nice: (a) => skipOptions(a, ['-n', '--adjustment']),
  nohup: (a) => a,
  time: (a) => skipOptions(a, ['-f', '--format', '-o', '--output']),
  timeout: (a) => {
    const rest = skipOptions(a, ['-s', '--signal', '-k', '--kill-after']);
    return rest.slice(1);
  },
  stdbuf: (a) => skipOptions(a, []),
  xargs: (a) => skipOptions(a, ['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace']),
  sudo: (a) => skipOptions(a, ['-u', '-g', '-C', '-D', '-h', '-p', '-U', '--user', '--group']),
  doas: (a) => skipOptions(a, ['-u', '-C']),
  command: (a) => skipOptions(a, []),
  builtin: (a) => a,
  exec: (a) => skipOptions(a, ['-a']),
  setsid: (a) => skipOptions(a, []),
  ionice: (a) => skipOptions(a, ['-c', '-n', '-p']),
  chroot: (a) => a.slice(1),
  flock: (a) => skipOptions(a, ['-w', '--timeout', '-E', '--conflict-exit-code']).slice(1),
};

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox']);

function dropWhile(a: readonly string[], test: (w: string) => boolean): readonly string[] {
  let i = 0;
  while (i < a.length && test(a[i] as string)) i++;
  return a.slice(i);
}

function skipOptions(a: readonly string[], valued: readonly string[]): readonly string[] {
  let i = 0;
  while (i < a.length && (a[i] as string).startsWith('-')) {
    if (a[i] === '--') return a.slice(i + 1);
    if (valued.includes(a[i] as string)) i++;
    i++;
  }
  return a.slice(i);
}

/**
 * What a segment runs besides its own program: the wrapped command of a wrapper (recursively), and the
 * script of `sh -c SCRIPT` (a line to judge again). At most a few levels deep.
 */
export function innerCommands(argv: readonly string[], depth = 0): { argvs: string[][]; scripts: string[] } {
  const out = { argvs: [] as string[][], scripts: [] as string[] };
  if (depth > 4) return out;
  const [raw = '', ...args] = argv;
  const program = raw.includes('/') ? raw.slice(raw.lastIndexOf('/') + 1) : raw;
  if (SHELLS.has(program)) {
    const rest = program === 'busybox' ? args.slice(1) : args;
    const c = rest.findIndex((a) => a === '-c' || (/^-[a-z]*c[a-z]*$/.test(a) && !a.startsWith('--')));
    if (c >= 0 && rest[c + 1] !== undefined) out.scripts.push(rest[c + 1] as string);
    return out;
  }
  const unwrap = WRAPPERS[program];
  if (!unwrap) return out;
  const inner = unwrap(args);
  if (!inner || inner.length === 0) return out;
  out.argvs.push([...inner]);
  const deeper = innerCommands(inner, depth + 1);
  out.argvs.push(...deeper.argvs);
  out.scripts.push(...deeper.scripts);
  return out;
}
