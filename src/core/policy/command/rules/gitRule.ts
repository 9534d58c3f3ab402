import { allow, ask, beforeDoubleDash, hasShortFlag, isLongOption, positionals, type ProgramRule, type RuleResult } from './ruleKit';
import { firstWriteProblem } from './fileOperands';
import { isGitInternalPath } from '../../protectedPaths';

/**
 * git: read-only sub-commands are allowed; everything that changes the repository, its config or
 * talks to a remote asks. Options that make any git command run a program or write a file (`-c`,
 * `--config-env`, `--exec-path`, `--output`, `--ext-diff`, a pager for grep) ask wherever they appear.
 */

/** Global options that are harmless; `-C DIR` takes a value. */
const SAFE_GLOBALS = new Set(['--no-pager', '-P', '--no-replace-objects', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-optional-locks', '--version', '--no-advice']);

interface Split {
  sub?: string;
  rest: string[];
  problem?: RuleResult;
}

function splitGlobals(args: readonly string[]): Split {
  let i = 0;
  while (i < args.length) {
    const a = args[i] as string;
    if (!a.startsWith('-')) break;
    if (a === '-C') {
      const dir = args[i + 1];
      // Another folder is another repository, with its own config (fsmonitor, hooks, pagers): it runs
      // what that folder says, which the policy has not read. The workspace itself is fine.
      // A folder outside the workspace, or inside a git directory, is another repository with its own
      // config (fsmonitor, hooks, pagers) the policy has not read. A folder of the workspace is the same
      // repository (a git directory planted in one is caught by the path guard and the audit).
      if (dir !== undefined && (dir.startsWith('/') || dir.startsWith('~') || dir.split('/').includes('..') || isGitInternalPath(dir))) {
        return { rest: [], problem: ask(`git -C ${dir} runs git with the configuration of the repository in ${dir}, which can run programs (core.fsmonitor, hooks)`) };
      }
      i += 2;
      continue;
    }
    if (a.startsWith('-c') || isLongOption(a, '--config-env', 4)) return { rest: [], problem: ask(`git ${a} sets configuration that can run programs (core.pager, core.fsmonitor, aliases)`) };
    if (isLongOption(a, '--exec-path', 4)) return { rest: [], problem: ask('git --exec-path chooses where git finds the programs it runs') };
    if (isLongOption(a, '--git-dir', 5) || isLongOption(a, '--work-tree', 4) || a === '--bare') {
      return { rest: [], problem: ask(`git ${a} points git at another repository, with its own config and hooks`) };
    }
    if (!SAFE_GLOBALS.has(a)) return { rest: [], problem: ask(`git option ${a} is not one the policy knows to be safe`) };
    i++;
  }
  const sub = args[i];
  return sub === undefined ? { rest: [] } : { sub, rest: args.slice(i + 1) };
}

/** Options that run a program or write a file from diff-producing commands. */
function diffOptionProblem(args: readonly string[]): RuleResult | undefined {
  for (const a of beforeDoubleDash(args)) {
    if (isLongOption(a, '--output', 3)) {
      const target = a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined;
      return (target !== undefined ? firstWriteProblem('git', [{ path: target, how: '--output' }]) : undefined) ?? ask('git --output writes the result to a file', 'write');
    }
    if (isLongOption(a, '--ext-diff', 4)) return ask('git --ext-diff runs an external diff program');
    if (isLongOption(a, '--textconv', 4)) return ask('git --textconv runs the configured conversion programs');
  }
  return undefined;
}

const READ_SUBCOMMANDS = new Set([
  'status', 'diff', 'log', 'show', 'rev-parse', 'ls-files', 'ls-tree', 'cat-file', 'merge-base', 'show-ref',
  'describe', 'blame', 'annotate', 'shortlog', 'count-objects', 'for-each-ref', 'name-rev', 'rev-list',
  'diff-tree', 'diff-files', 'diff-index', 'check-ignore', 'check-attr', 'whatchanged', 'range-diff', 'version',
]);

const BRANCH_WRITES = ['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-f', '--force', '--set-upstream-to', '-u', '--unset-upstream', '--edit-description', '-t', '--track', '--no-track', '--create-reflog'];
const BRANCH_LIST_MODES = ['-l', '--list', '-a', '--all', '-r', '--remotes', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--show-current'];

function branch(rest: readonly string[]): RuleResult {
  for (const a of rest) {
    const key = a.split('=')[0] as string;
    if (BRANCH_WRITES.includes(key) || (/^-[a-zA-Z]+$/.test(a) && /[dDmMcCfut]/.test(a.slice(1)))) return ask(`git branch ${a} creates, renames, deletes or re-tracks branches`);
  }
  const listing = rest.some((a) => BRANCH_LIST_MODES.includes(a.split('=')[0] as string) || (/^-[a-zA-Z]+$/.test(a) && /[lar]/.test(a.slice(1))));
  if (positionals(rest).length > 0 && !listing) return ask('git branch NAME creates a branch');
  return allow('git branch lists branches');
}

function tag(rest: readonly string[]): RuleResult {
  const listing = rest.some((a) => a === '-l' || a === '--list' || a.startsWith('--contains') || a.startsWith('--points-at') || a.startsWith('--merged') || a.startsWith('-n'));
  const writes = rest.find((a) => /^-[a-zA-Z]*[dasfmFu]/.test(a) || ['--delete', '--annotate', '--sign', '--force', '--message', '--file', '--edit'].includes(a.split('=')[0] as string));
  if (writes) return ask(`git tag ${writes} creates or deletes tags`);
  if (positionals(rest).length > 0 && !listing) return ask('git tag NAME creates a tag');
  return allow('git tag lists tags');
}

/** Sub-commands whose first word picks a read-only or a writing mode. */
const MODAL: Record<string, { readOnly: readonly string[]; bare: boolean; what: string }> = {
  stash: { readOnly: ['list', 'show'], bare: false, what: 'changes the stash and the working tree' },
  remote: { readOnly: ['-v', '--verbose', 'show', 'get-url'], bare: true, what: 'changes remotes' },
  reflog: { readOnly: ['show', 'exists'], bare: true, what: 'expires or deletes reflog entries' },
  worktree: { readOnly: ['list'], bare: false, what: 'adds, moves or removes worktrees' },
  notes: { readOnly: ['list', 'show'], bare: true, what: 'changes notes' },
};

export const gitRule: ProgramRule = {
  check(args) {
    const { sub, rest, problem } = splitGlobals(args);
    if (problem) return problem;
    if (sub === undefined) return allow('git without a sub-command prints help or its version');
    const diffProblem = diffOptionProblem(rest);
    if (READ_SUBCOMMANDS.has(sub)) return diffProblem ?? allow(`git ${sub} only reads the repository`);
    if (sub === 'grep') {
      const pager = beforeDoubleDash(rest).find((a) => isLongOption(a, '--open-files-in-pager', 4) || hasShortFlag(a, 'O'));
      return pager ? ask('git grep -O opens the matches in a pager program') : allow('git grep only searches');
    }
    if (sub === 'branch') return diffProblem ?? branch(rest);
    if (sub === 'tag') return tag(rest);
    if (sub === 'config') return ask('git config reads or changes configuration that can run programs');
    const modal = MODAL[sub];
    if (modal) {
      const first = rest[0];
      if (first === undefined ? modal.bare : modal.readOnly.includes(first)) return diffProblem ?? allow(`git ${sub} ${first ?? ''} only reads`.replace(/ +only/, ' only'));
      return ask(`git ${sub} ${first ?? ''} ${modal.what}`.replace(/ +/g, ' '));
    }
    if (sub === 'push') return ask('git push sends commits to a remote', 'network');
    if (sub === 'fetch' || sub === 'pull' || sub === 'clone' || sub === 'ls-remote' || sub === 'submodule') return ask(`git ${sub} contacts a remote`, 'network');
    return ask(`git ${sub} can change the repository, run hooks or contact a remote`);
  },
  commandWords(args) {
    const { sub, rest } = splitGlobals(args);
    return sub === undefined ? [] : [sub, ...rest];
  },
};
