import { allow, ask, type ProgramRule, type RuleResult } from './ruleKit';

/**
 * npm, pnpm and yarn: running the project's own scripts (test, run NAME) is allowed, because that is
 * what the allowlist entry asked for; installing, executing packages (`npm exec`, `npx`, `dlx`) and
 * changing configuration ask. npm turns unknown `--flags` into configuration (`--script-shell`,
 * `--node-options`), so only a small set of known flags is accepted before `--`.
 */

interface ManagerSpec {
  name: string;
  /** Alias -> canonical sub-command, for the sub-commands that are allowed. */
  allowed: Record<string, string>;
  /** Sub-commands (canonical or alias) that ask, with why. */
  asks: Record<string, string>;
  /** What an unknown first word is: yarn and pnpm run a script by its bare name. */
  unknownIsScript: boolean;
  /** What the program does with no sub-command at all. */
  bare: RuleResult;
}

const SAFE_FLAGS = new Set(['--silent', '-s', '--quiet', '-q', '--if-present', '--workspaces', '--ws', '--no-color', '--json', '--all', '--long', '--parseable', '--recursive', '-r', '--version', '-v', '--help', '-h']);
const SAFE_FLAGS_WITH_VALUE = new Set(['--workspace', '-w', '--loglevel', '--color', '--depth', '--filter', '-F', '--reporter']);

const INSTALL = 'installs packages, which runs their install scripts';
const EXEC = 'runs a package binary, possibly downloaded from the registry';
const CONFIG = 'changes package-manager configuration';
const PUBLISH = 'publishes or changes the registry';
const MODIFY = 'changes package.json, the lockfile or node_modules';

function asksFor(words: string[], why: string): Record<string, string> {
  return Object.fromEntries(words.map((w) => [w, why]));
}

const NPM: ManagerSpec = {
  name: 'npm',
  allowed: { test: 'test', t: 'test', tst: 'test', run: 'run', 'run-script': 'run', rum: 'run', urn: 'run', start: 'start', ls: 'ls', list: 'ls', la: 'ls', ll: 'ls', outdated: 'outdated', explain: 'explain', why: 'explain', view: 'view', info: 'view', show: 'view', prefix: 'prefix', root: 'root', help: 'help' },
  asks: {
    ...asksFor(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean', 'install-test', 'it', 'install-ci-test', 'cit', 'rebuild', 'rb'], INSTALL),
    ...asksFor(['exec', 'x', 'explore', 'init', 'create', 'innit'], EXEC),
    ...asksFor(['config', 'c', 'set', 'get', 'pkg'], CONFIG),
    ...asksFor(['publish', 'unpublish', 'deprecate', 'dist-tag', 'owner', 'access', 'login', 'logout', 'adduser', 'token', 'star', 'team', 'org', 'hook'], PUBLISH),
    ...asksFor(['uninstall', 'un', 'remove', 'rm', 'r', 'unlink', 'update', 'up', 'upgrade', 'udpate', 'link', 'ln', 'dedupe', 'ddp', 'prune', 'audit', 'version', 'pack', 'cache', 'shrinkwrap', 'fund', 'edit'], MODIFY),
  },
  unknownIsScript: false,
  bare: allow('npm without a sub-command prints help'),
};

const PNPM: ManagerSpec = {
  name: 'pnpm',
  allowed: { test: 'test', t: 'test', tst: 'test', run: 'run', 'run-script': 'run', start: 'start', ls: 'ls', list: 'ls', ll: 'ls', la: 'ls', outdated: 'outdated', why: 'why', root: 'root', help: 'help' },
  asks: {
    ...asksFor(['install', 'i', 'add', 'ci', 'install-test', 'it', 'rebuild', 'rb', 'fetch', 'import'], INSTALL),
    ...asksFor(['exec', 'dlx', 'create', 'init'], EXEC),
    ...asksFor(['config', 'c', 'set', 'get', 'setup', 'env'], CONFIG),
    ...asksFor(['publish', 'login', 'logout'], PUBLISH),
    ...asksFor(['remove', 'rm', 'uninstall', 'un', 'update', 'up', 'upgrade', 'link', 'ln', 'unlink', 'prune', 'audit', 'patch', 'patch-commit', 'store', 'dedupe', 'pack', 'deploy'], MODIFY),
  },
  unknownIsScript: true,
  bare: ask('pnpm without a sub-command'),
};

const YARN: ManagerSpec = {
  name: 'yarn',
  allowed: { test: 'test', run: 'run', start: 'start', list: 'ls', ls: 'ls', outdated: 'outdated', why: 'why', info: 'info', help: 'help' },
  asks: {
    ...asksFor(['install', 'add', 'rebuild'], INSTALL),
    ...asksFor(['exec', 'dlx', 'create', 'init', 'node'], EXEC),
    ...asksFor(['config', 'set', 'plugin', 'policies'], CONFIG),
    ...asksFor(['publish', 'npm', 'login', 'logout', 'owner', 'tag', 'team'], PUBLISH),
    ...asksFor(['remove', 'upgrade', 'up', 'upgrade-interactive', 'link', 'unlink', 'autoclean', 'cache', 'import', 'patch', 'patch-commit', 'dedupe', 'pack', 'version', 'global', 'workspace', 'workspaces'], MODIFY),
  },
  unknownIsScript: true,
  bare: ask('yarn without a sub-command installs packages, which runs their install scripts'),
};

interface Parsed {
  sub?: string;
  /** Sub-command and script name, canonical (`npm t` -> ["test"], `yarn lint` -> ["lint"]). */
  words: string[];
  flagProblem?: string;
}

/** Flags may come anywhere before `--`; the first word is the sub-command, the second the script. */
function parse(spec: ManagerSpec, args: readonly string[]): Parsed {
  const words: string[] = [];
  let flagProblem: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      const key = a.split('=')[0] as string;
      if (SAFE_FLAGS.has(a)) continue;
      if (SAFE_FLAGS_WITH_VALUE.has(key)) {
        if (!a.includes('=')) i++;
        continue;
      }
      flagProblem ??= `${spec.name} option ${a} is not one the policy knows to be safe (${spec.name} turns unknown options into configuration)`;
      continue;
    }
    words.push(a);
  }
  const [first, ...restWords] = words;
  if (first === undefined) return { words: [], ...(flagProblem ? { flagProblem } : {}) };
  const canonical = spec.allowed[first] ?? first;
  const named = canonical === 'run' || canonical === 'test' || canonical === 'start' ? restWords.slice(0, canonical === 'run' ? 1 : 0) : [];
  return { sub: first, words: [canonical, ...named], ...(flagProblem ? { flagProblem } : {}) };
}

function managerRule(spec: ManagerSpec): ProgramRule {
  return {
    check(args) {
      const parsed = parse(spec, args);
      if (parsed.flagProblem) return ask(parsed.flagProblem);
      const sub = parsed.sub;
      if (sub === undefined) return spec.bare;
      const why = spec.asks[sub];
      if (why) return ask(`${spec.name} ${sub} ${why}`, why === PUBLISH ? 'network' : why === INSTALL || why === EXEC ? 'code' : 'write');
      const canonical = spec.allowed[sub];
      if (canonical === 'run') {
        const script = parsed.words[1];
        return allow(script ? `${spec.name} run ${script} runs the project's own "${script}" script` : `${spec.name} run lists the project's scripts`, script ? 'code' : undefined);
      }
      if (canonical === 'test' || canonical === 'start') return allow(`${spec.name} ${canonical} runs the project's own "${canonical}" script`, 'code');
      if (canonical) return allow(`${spec.name} ${sub} only reads`);
      if (spec.unknownIsScript) return allow(`${spec.name} ${sub} runs the project's "${sub}" script`, 'code');
      return ask(`${spec.name} ${sub} is not a sub-command the policy knows`, 'unlisted');
    },
    commandWords: (args) => parse(spec, args).words,
    // `yarn lint` may be a script or a built-in the policy does not know: only an entry that names it allows it.
    needsNamedEntry: (args) => {
      const sub = parse(spec, args).sub;
      return spec.unknownIsScript && sub !== undefined && spec.allowed[sub] === undefined && spec.asks[sub] === undefined;
    },
  };
}

const npx: ProgramRule = { check: () => ask('npx runs a package binary, possibly downloaded from the registry') };

export const PACKAGE_MANAGER_RULES: Record<string, ProgramRule> = {
  npm: managerRule(NPM),
  pnpm: managerRule(PNPM),
  yarn: managerRule(YARN),
  npx,
  pnpx: npx,
  bunx: npx,
};
