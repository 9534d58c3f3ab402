import type { Finding } from './command/policyTypes';

/**
 * Operations that destroy work, flagged once, here, for every program and every entry point: they
 * always need a person (risk `destructive`), even when the program is allowlisted or an auto-approval
 * tier is on. A deny rule still wins. The table is data: a row names the program, how to recognise the
 * destructive form, and why.
 */
interface DestructiveRow {
  programs: readonly string[];
  /** Why, when the arguments are the destructive form; undefined otherwise. */
  test(args: readonly string[]): string | undefined;
}

/** The workspace root, a parent of it, the filesystem root or a home folder, as a command names them. */
export function isRootLike(target: string): boolean {
  const t = target.replace(/\/+$/, '') || '/';
  if (['.', '*', './*', '..', '/', '/*', '~', '$HOME', '${HOME}', '~/*', '$HOME/*'].includes(t)) return true;
  if (t.startsWith('../') || t === '..') return true;
  return /^\/[^/]*$/.test(t) && t !== '/tmp'; // a top-level system folder: /etc, /usr, /home …
}

const shortFlags = (args: readonly string[]) => new Set(args.filter((a) => /^-[A-Za-z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
const operands = (args: readonly string[]) => {
  const end = args.indexOf('--');
  return [...(end < 0 ? args : args.slice(0, end)).filter((a) => !a.startsWith('-')), ...(end < 0 ? [] : args.slice(end + 1))];
};
const hasLong = (args: readonly string[], ...names: string[]) => args.some((a) => names.includes(a.split('=')[0] as string));

const ROWS: readonly DestructiveRow[] = [
  {
    programs: ['rm'],
    test(args) {
      const f = shortFlags(args);
      if (!(f.has('r') || f.has('R') || hasLong(args, '--recursive'))) return undefined;
      const target = operands(args).find(isRootLike);
      return target !== undefined ? `rm -r on ${JSON.stringify(target)} deletes the workspace, a parent of it, the filesystem root or a home folder` : undefined;
    },
  },
  {
    programs: ['git'],
    test(all) {
      const args = afterGitGlobals(all);
      const words = args.filter((a) => !a.startsWith('-'));
      const sub = words[0];
      if (sub === 'reset' && hasLong(args, '--hard')) return 'git reset --hard throws away uncommitted work';
      if (sub === 'clean' && (shortFlags(args).has('f') || hasLong(args, '--force'))) return 'git clean -f deletes untracked files for good';
      if (sub === 'push' && (shortFlags(args).has('f') || hasLong(args, '--force', '--force-with-lease', '--mirror') || words.slice(1).some((w) => w.startsWith('+')))) {
        return 'git push --force rewrites history on the remote';
      }
      if ((sub === 'checkout' || sub === 'restore') && (operands(args.slice(1)).some((o) => o === '.' || o === ':/' || o === '*') || (sub === 'checkout' && (shortFlags(args).has('f') || hasLong(args, '--force'))))) {
        return `git ${sub} over the whole tree throws away uncommitted work`;
      }
      if (sub === 'stash' && (words[1] === 'clear' || words[1] === 'drop')) return `git stash ${words[1]} deletes stashed work`;
      return undefined;
    },
  },
  {
    programs: ['find'],
    test(args) {
      if (!args.some((a) => a === '-delete' || ((a === '-exec' || a === '-execdir') && /(^|\/)rm$/.test(args[args.indexOf(a) + 1] ?? '')))) return undefined;
      const start = args.find((a) => !a.startsWith('-') && !a.startsWith('(') && !a.startsWith('!')) ?? '.';
      return isRootLike(start) ? `find ${start} -delete deletes across the whole tree` : undefined;
    },
  },
  { programs: ['truncate'], test: () => 'truncate cuts files to a size, losing their content' },
  { programs: ['shred'], test: () => 'shred overwrites files so they cannot be recovered' },
  { programs: ['dd'], test: (args) => (args.some((a) => a.startsWith('of=')) ? 'dd of= overwrites its target' : undefined) },
  { programs: ['wipefs', 'mkfs', 'mke2fs', 'mkswap', 'fdisk', 'sfdisk', 'parted'], test: () => 'it rewrites a disk or a file system' },
  {
    programs: ['chmod', 'chown', 'chgrp'],
    test(args) {
      if (!(shortFlags(args).has('R') || hasLong(args, '--recursive'))) return undefined;
      const target = operands(args).slice(1).find(isRootLike);
      return target !== undefined ? `a recursive ownership or mode change on ${JSON.stringify(target)} touches the whole tree` : undefined;
    },
  },
];

/** git's arguments after its global options (`-C DIR`, `-c KEY=VALUE`, `--git-dir=…`). */
function afterGitGlobals(args: readonly string[]): readonly string[] {
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith('-')) {
    if (args[i] === '-C' || args[i] === '-c') i++;
    i++;
  }
  return args.slice(i);
}

export function destructiveFindings(argv: readonly string[]): Finding[] {
  const [raw = '', ...args] = argv;
  const program = raw.includes('/') ? raw.slice(raw.lastIndexOf('/') + 1) : raw;
  const name = program.startsWith('mkfs.') ? 'mkfs' : program;
  const out: Finding[] = [];
  for (const row of ROWS) {
    if (!row.programs.includes(name)) continue;
    const why = row.test(args);
    if (why) out.push({ verdict: 'ask', reason: `destructive: ${why}; a person must approve it every time`, risk: 'destructive' });
  }
  return out;
}
