/**
 * Environment variables that change which program runs or load code into one (`NODE_OPTIONS=--require
 * x.js npm test`, `LD_PRELOAD`, `PYTHONSTARTUP`, `PATH`, `GIT_*` hooks and pagers, npm configuration).
 * Setting one of them for a command is code execution; setting anything else (`CI=1`, `NODE_ENV=test`)
 * is only shell syntax the policy judges around.
 */
const CODE_LOADING = [
  /^LD_/, /^DYLD_/, /^NODE_OPTIONS$/, /^NODE_PATH$/, /^NODE_REPL_EXTERNAL_MODULE$/, /^PYTHON/, /^PERL5?(OPT|LIB|DB)/, /^RUBY(OPT|LIB)$/,
  /^BASH_ENV$/, /^ENV$/, /^SHELL$/, /^SHELLOPTS$/, /^BASHOPTS$/, /^PATH$/, /^IFS$/, /^PS4$/, /^PROMPT_COMMAND$/, /^GIT_/, /^NPM_CONFIG_/i,
  /^YARN_/, /^PNPM_/, /^BUN_/, /^COREPACK_/, /^CARGO_/, /^RUSTC/, /^RUSTFLAGS$/, /^RUSTDOCFLAGS$/, /^GOFLAGS$/, /^GOTOOLCHAIN$/, /^CGO_/,
  /^CC$/, /^CXX$/, /^LD$/, /^AR$/, /^CFLAGS$/, /^CXXFLAGS$/, /^LDFLAGS$/, /^MAKEFLAGS$/, /^MAKE$/, /^JAVA_TOOL_OPTIONS$/, /^_JAVA_OPTIONS$/,
  /^JDK_JAVA_OPTIONS$/, /^CLASSPATH$/, /^EDITOR$/, /^VISUAL$/, /^PAGER$/, /^LESSOPEN$/, /^LESSCLOSE$/, /^BROWSER$/, /^MANPAGER$/,
  /^SSH_ASKPASS$/, /^SUDO_ASKPASS$/, /^PIP_/, /^UV_/, /^TOX_/, /^PYTEST_ADDOPTS$/, /^PYTEST_PLUGINS$/, /^VITEST_/, /^JEST_/, /^ESLINT_/,
  /^TS_NODE_/, /^TSX_/, /^ZDOTDIR$/, /^HOME$/, /^XDG_CONFIG_HOME$/, /^TMPDIR$/,
];

export function isCodeLoadingVariable(name: string): boolean {
  return CODE_LOADING.some((re) => re.test(name));
}

/** The variable names assigned in a `NAME=value ...` or `export NAME=value` text (best effort, for a reason). */
export function assignedNames(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s;])([A-Za-z_][A-Za-z0-9_]*)\+?=/g)].map((m) => m[1] as string);
}
