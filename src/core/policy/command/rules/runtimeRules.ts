import { allow, ask, beforeDoubleDash, isLongOption, positionals, type ProgramRule, type RuleResult } from './ruleKit';
import { firstWriteProblem } from './fileOperands';

/**
 * Interpreters and build drivers. Running a file of the project is allowed (it is what tests do);
 * code given on the command line (`node -e`, `python -c`), code read from stdin (no script) and
 * options that load or execute something else ask. Options are read up to the script name: what
 * follows belongs to the script.
 */

const NODE_SAFE = new Set(['--test', '--enable-source-maps', '--no-warnings', '--trace-warnings', '--trace-uncaught', '--no-deprecation', '--throw-deprecation', '--experimental-vm-modules', '--experimental-strip-types', '--experimental-test-coverage', '--test-only', '--check', '-c', '--version', '-v', '--help', '-h']);
const NODE_SAFE_WITH_VALUE = ['--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-timeout', '--max-old-space-size', '--stack-size', '--conditions', '--stack-trace-limit'];
const NODE_CODE = ['-e', '--eval', '-p', '--print', '-i', '--interactive', '-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--env-file-if-exists', '--experimental-default-config-file', '--experimental-config-file'];
/** The test reporters built into node; any other value is a module (a path, a package, a data: URL) that node loads and runs. */
const NODE_BUILTIN_REPORTERS = new Set(['spec', 'tap', 'dot', 'junit', 'lcov']);

/** `--opt=value` or `--opt value`: the value and how many words it used. */
function longValue(args: readonly string[], i: number): { value: string | undefined; used: number } {
  const a = args[i] as string;
  return a.includes('=') ? { value: a.slice(a.indexOf('=') + 1), used: 1 } : { value: args[i + 1], used: 2 };
}

const node: ProgramRule = {
  check(args) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '-') return ask('node - reads a program from stdin');
      if (!a.startsWith('-')) return allow(`node runs the script ${a}`, 'code');
      const key = a.split('=')[0] as string;
      if (NODE_CODE.includes(key) || (!a.startsWith('--') && /^-[a-zA-Z]*[epir]/.test(a))) return ask(`node ${a} runs code given on the command line or loads extra modules`);
      if (key === '--test-reporter') {
        const { value, used } = longValue(args, i);
        if (value === undefined || !NODE_BUILTIN_REPORTERS.has(value)) return ask(`node --test-reporter=${value ?? ''} loads a module as the reporter (only spec, tap, dot, junit and lcov are built in), which runs its code`);
        i += used - 1;
        continue;
      }
      if (key === '--test-reporter-destination') {
        const { value, used } = longValue(args, i);
        const problem = value === undefined ? ask('node --test-reporter-destination without a file', 'write') : value === 'stdout' || value === 'stderr' ? undefined : firstWriteProblem('node', [{ path: value, how: '--test-reporter-destination' }]);
        if (problem) return problem;
        i += used - 1;
        continue;
      }
      if (key === '--watch' || key === '--watch-path') return ask(`node ${key} never ends by itself`, 'syntax');
      if (NODE_SAFE.has(a)) continue;
      if (NODE_SAFE_WITH_VALUE.includes(key)) {
        if (!a.includes('=')) i++;
        continue;
      }
      return ask(`node option ${a} is not one the policy knows to be safe`);
    }
    if (args.some((a) => a === '--test')) return allow('node runs its test runner on the project\'s tests', 'code');
    if (args.some((a) => a === '--version' || a === '-v' || a === '--help' || a === '-h' || a === '--check' || a === '-c')) return allow('node prints information');
    return ask('node without a script reads a program from stdin');
  },
};

/** Modules that run the project's tests or analyse it. Not timeit (it runs the code in its arguments) nor pydoc (it writes files and serves). */
const PYTHON_MODULES = new Set(['pytest', 'unittest', 'mypy', 'pyflakes', 'flake8', 'pylint', 'doctest', 'py_compile', 'compileall']);

/** `python -m json.tool [IN [OUT]]` writes OUT. */
function jsonTool(rest: readonly string[]): RuleResult {
  const files = rest.filter((a) => !a.startsWith('-'));
  if (files.length > 1) return firstWriteProblem('python -m json.tool', [{ path: files[1] as string, how: 'OUTFILE' }]) ?? ask(`python -m json.tool writes ${JSON.stringify(files[1])}`, 'write');
  return allow('python -m json.tool formats JSON');
}

const python: ProgramRule = {
  check(args) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '-') return ask('python - reads a program from stdin');
      if (!a.startsWith('-')) return allow(`python runs the script ${a}`, 'code');
      if (a === '--version' || a === '-V' || a === '--help' || a === '-h') return allow('python prints information');
      if (a.startsWith('--')) return ask(`python option ${a} is not one the policy knows to be safe`);
      // A cluster of one-letter flags; `-c`, `-m`, `-W` and `-X` take the rest (or the next word) as a value.
      for (let j = 1; j < a.length; j++) {
        const f = a[j] as string;
        if (f === 'c') return ask('python -c runs code given on the command line');
        if (f === 'i') return ask('python -i starts an interactive interpreter');
        if (f === 'm') {
          const attached = a.slice(j + 1);
          const mod = attached !== '' ? attached : args[i + 1];
          if (mod === undefined) return ask('python -m without a module');
          const rest = args.slice(attached !== '' ? i + 1 : i + 2);
          if (mod === 'json.tool') return jsonTool(rest);
          if (mod === 'pytest') return pytest.check(rest);
          if (mod === 'timeit') return ask('python -m timeit runs the code given in its arguments');
          return PYTHON_MODULES.has(mod) ? allow(`python -m ${mod} runs a test or analysis tool`, 'code') : ask(`python -m ${mod} runs a module the policy has no rules for`);
        }
        if (f === 'W' || f === 'X') {
          if (j === a.length - 1) i++;
          break;
        }
        if (!'BuOsEIqbd'.includes(f)) return ask(`python option -${f} is not one the policy knows to be safe`);
      }
    }
    return ask('python without a script reads a program from stdin');
  },
};

/** pytest options whose value is a file it writes. */
const PYTEST_OUTPUTS = ['--junitxml', '--junit-xml', '--log-file', '--resultlog', '--result-log', '--html', '--report-log', '--json-report-file'];

const pytest: ProgramRule = {
  check(args) {
    const opts = beforeDoubleDash(args);
    for (let i = 0; i < opts.length; i++) {
      const a = opts[i] as string;
      const key = a.split('=')[0] as string;
      if (isLongOption(a, '--basetemp', 4)) return ask('pytest --basetemp deletes and recreates that folder', 'write');
      if (a === '-p' || (a.startsWith('-p') && !a.startsWith('--'))) {
        const plugin = a === '-p' ? opts[i + 1] : a.slice(2);
        if (plugin === undefined || !plugin.startsWith('no:')) return ask(`pytest -p ${plugin ?? ''} loads a plugin module, which runs its code`);
        if (a === '-p') i++;
        continue;
      }
      if (a === '-c' || key === '--config-file' || a === '-o' || key === '--override-ini' || key === '--rootdir' || key === '--confcutdir' || key === '--pyargs') {
        if (key === '--rootdir' || key === '--confcutdir') continue;
        return ask(`pytest ${key} changes which configuration and plugins pytest loads`);
      }
      if (PYTEST_OUTPUTS.includes(key) || key === '--cov-report') {
        const { value, used } = longValue(opts, i);
        const target = key === '--cov-report' ? value?.split(':').slice(1).join(':') : value;
        if (target) {
          const problem = firstWriteProblem('pytest', [{ path: target, how: key }]);
          if (problem) return problem;
        }
        if (!a.includes('=')) i += used - 1;
      }
    }
    return allow('pytest runs the project\'s tests', 'code');
  },
};

const GO_ALLOWED = new Set(['test', 'vet', 'build', 'run', 'list', 'version', 'doc', 'help']);
const GO_DANGEROUS_FLAGS = ['-exec', '--exec', '-toolexec', '--toolexec', '-vettool', '--vettool', '-overlay', '--overlay'];

const go: ProgramRule = {
  check(args) {
    const sub = args[0];
    if (sub === undefined) return allow('go without a sub-command prints help');
    if (sub === 'env') return args.some((a) => a === '-w' || a === '-u') ? ask('go env -w/-u changes the Go configuration') : allow('go env prints the Go environment');
    if (sub === 'fmt') return ask('go fmt rewrites source files');
    if (!GO_ALLOWED.has(sub)) return ask(`go ${sub} can download modules, change go.mod or run generators`);
    const flag = beforeDoubleDash(args).find((a) => GO_DANGEROUS_FLAGS.includes(a.split('=')[0] as string));
    if (flag) return ask(`go ${sub} ${flag} runs another program`);
    return allow(`go ${sub} builds or tests the project`, sub === 'test' || sub === 'run' || sub === 'build' ? 'code' : undefined);
  },
  commandWords: (args) => [...args],
};

const CARGO_ALLOWED = new Set(['test', 't', 'check', 'c', 'build', 'b', 'clippy', 'doc', 'd', 'tree', 'metadata', 'bench', 'run', 'r', 'version', 'help', '--version', '-V']);

const cargo: ProgramRule = {
  check(args) {
    const opts = beforeDoubleDash(args);
    const config = opts.find((a) => isLongOption(a, '--config') || a.startsWith('-Z'));
    if (config) return ask(`cargo ${config} changes configuration (runners, rustc wrappers)`);
    const sub = positionals(opts)[0];
    if (sub === undefined) return opts.length === 0 ? allow('cargo prints help') : ask('cargo without a sub-command');
    if (sub === 'fmt') return opts.includes('--check') ? allow('cargo fmt --check only reports') : ask('cargo fmt rewrites source files');
    if (sub === 'clippy' && opts.some((a) => a === '--fix')) return ask('cargo clippy --fix rewrites source files');
    if (!CARGO_ALLOWED.has(sub)) return ask(`cargo ${sub} can download crates, change Cargo.toml or publish`, 'network');
    return allow(`cargo ${sub} builds or tests the project`, 'code');
  },
  commandWords: (args) => [...args],
};

const make: ProgramRule = {
  check(args) {
    for (const a of beforeDoubleDash(args)) {
      if (isLongOption(a, '--eval', 4) || a === '-E' || a.startsWith('-E')) return ask('make --eval runs makefile code given on the command line');
      if (a === '-f' || isLongOption(a, '--file', 4) || isLongOption(a, '--makefile', 4) || /^-[a-zA-Z]*f/.test(a)) return ask('make -f reads recipes from another file, which the policy has not seen');
      // `make SHELL=...` or `make CC=...` replaces the programs the recipes run.
      if (!a.startsWith('-') && a.includes('=')) return ask(`make ${a} overrides a variable that recipes use to run programs`);
    }
    return allow('make runs the project\'s own recipes', 'code');
  },
  commandWords: (args) => positionals(args),
};

export const RUNTIME_RULES: Record<string, ProgramRule> = {
  node,
  python,
  python3: python,
  pytest,
  'py.test': pytest,
  go,
  cargo,
  make,
};
