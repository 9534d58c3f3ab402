import { allow, ask, hasShortFlag, isLongOption, positionals, unlessOptions, type ProgramRule } from './ruleKit';

/**
 * Type checkers, linters, formatters and test runners. Reporting is allowed; rewriting files
 * (`--fix`, `--write`, formatting in place, snapshot updates) asks, so edits keep going through review.
 */

const tsc = unlessOptions('tsc type-checks (and may write its configured build output)', (a) => (isLongOption(a, '--watch') || a === '-w' ? 'tsc --watch never ends' : undefined));

const eslint = unlessOptions('eslint only reports', (a) => {
  if (a === '--fix' || a.startsWith('--fix-type')) return ask('eslint --fix rewrites source files', 'write');
  if (isLongOption(a, '--output-file') || a === '-o') return ask('eslint --output-file writes a file', 'write');
  if (a === '--init') return 'eslint --init installs packages and writes config';
  if (isLongOption(a, '--rulesdir') || isLongOption(a, '--plugin') || isLongOption(a, '--resolve-plugins-relative-to') || a === '-c' || isLongOption(a, '--config')) return `eslint ${a} loads rules or plugins from elsewhere, which is code`;
  return undefined;
}, 'code');

const prettier = unlessOptions('prettier only checks or prints', (a) => {
  if (a === '--write' || a === '-w') return ask('prettier --write rewrites files', 'write');
  if (isLongOption(a, '--plugin') || isLongOption(a, '--config')) return `prettier ${a} loads plugins or configuration from elsewhere, which is code`;
  return undefined;
});

const ruff: ProgramRule = {
  check(args) {
    const sub = positionals(args)[0];
    if (args.some((a) => a === '--fix' || a === '--unsafe-fixes' || a === '--add-noqa')) return ask('ruff --fix rewrites source files');
    if (sub === 'format') return args.includes('--check') || args.includes('--diff') ? allow('ruff format --check only reports') : ask('ruff format rewrites source files');
    if (sub === 'clean') return ask('ruff clean deletes caches');
    return allow('ruff only reports');
  },
  commandWords: (args) => positionals(args).slice(0, 1),
};

const black: ProgramRule = {
  check: (args) => (args.includes('--check') || args.includes('--diff') ? allow('black --check only reports') : ask('black rewrites source files (use --check or --diff to report)')),
};

const gofmt = unlessOptions('gofmt only prints', (a) => (hasShortFlag(a, 'w') ? 'gofmt -w rewrites source files' : undefined));

const snapshotUpdate = (name: string): ProgramRule =>
  unlessOptions(`${name} runs the project's tests`, (a) => (a === '-u' || isLongOption(a, '--update') || isLongOption(a, '--updateSnapshot') ? ask(`${name} ${a} rewrites snapshot files`, 'write') : undefined), 'code');

export const BUILD_TOOL_RULES: Record<string, ProgramRule> = {
  tsc,
  eslint,
  prettier,
  ruff,
  black,
  gofmt,
  mypy: unlessOptions('mypy only reports', () => undefined),
  flake8: unlessOptions('flake8 only reports', () => undefined),
  pylint: unlessOptions('pylint only reports', () => undefined),
  vitest: snapshotUpdate('vitest'),
  jest: snapshotUpdate('jest'),
};
