import { allow, ask, beforeDoubleDash, isLongOption, positionals, unlessOptions, type ProgramRule } from './ruleKit';

/**
 * Interpreters and build drivers. Running a file of the project is allowed (it is what tests do);
 * code given on the command line (`node -e`, `python -c`), code read from stdin (no script) and
 * options that load or execute something else ask. Options are read up to the script name: what
 * follows belongs to the script.
 */

const NODE_SAFE = new Set(['--test', '--enable-source-maps', '--no-warnings', '--trace-warnings', '--trace-uncaught', '--no-deprecation', '--throw-deprecation', '--experimental-vm-modules', '--experimental-strip-types', '--experimental-test-coverage', '--test-only', '--check', '-c', '--version', '-v', '--help', '-h']);
const NODE_SAFE_WITH_VALUE = ['--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-concurrency', '--test-timeout', '--max-old-space-size', '--stack-size', '--conditions', '--stack-trace-limit'];
const NODE_CODE = ['-e', '--eval', '-p', '--print', '-i', '--interactive', '-r', '--require', '--import', '--loader', '--experimental-loader'];

const node: ProgramRule = {
  check(args) {
    for (const a of args) {
      if (a === '-') return ask('node - reads a program from stdin');
      if (!a.startsWith('-')) return allow(`node runs the script ${a}`);
      const key = a.split('=')[0] as string;
      if (NODE_CODE.includes(key) || (!a.startsWith('--') && /^-[a-zA-Z]*[epir]/.test(a))) return ask(`node ${a} runs code given on the command line or loads extra modules`);
      if (NODE_SAFE.has(a) || NODE_SAFE_WITH_VALUE.includes(key)) continue;
      return ask(`node option ${a} is not one the policy knows to be safe`);
    }
    if (args.some((a) => a === '--test' || a === '--version' || a === '-v' || a === '--help' || a === '-h' || a === '--check' || a === '-c')) return allow('node runs its test runner or prints information');
    return ask('node without a script reads a program from stdin');
  },
};

const PYTHON_MODULES = new Set(['pytest', 'unittest', 'mypy', 'pyflakes', 'flake8', 'pylint', 'doctest', 'pydoc', 'timeit', 'json.tool', 'py_compile', 'compileall']);

const python: ProgramRule = {
  check(args) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '-') return ask('python - reads a program from stdin');
      if (!a.startsWith('-')) return allow(`python runs the script ${a}`);
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
          return PYTHON_MODULES.has(mod) ? allow(`python -m ${mod} runs a test or analysis tool`) : ask(`python -m ${mod} runs a module the policy has no rules for`);
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

const pytest = unlessOptions('pytest runs the project\'s tests', (a) => (isLongOption(a, '--basetemp', 4) ? 'pytest --basetemp deletes and recreates that folder' : undefined));

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
    return allow(`go ${sub} builds or tests the project`);
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
    if (!CARGO_ALLOWED.has(sub)) return ask(`cargo ${sub} can download crates, change Cargo.toml or publish`);
    return allow(`cargo ${sub} builds or tests the project`);
  },
  commandWords: (args) => [...args],
};

const make: ProgramRule = {
  check(args) {
    for (const a of beforeDoubleDash(args)) {
      if (isLongOption(a, '--eval', 4) || a === '-E' || a.startsWith('-E')) return ask('make --eval runs makefile code given on the command line');
      // `make SHELL=...` or `make CC=...` replaces the programs the recipes run.
      if (!a.startsWith('-') && a.includes('=')) return ask(`make ${a} overrides a variable that recipes use to run programs`);
    }
    return allow('make runs the project\'s own recipes');
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
