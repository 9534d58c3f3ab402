/**
 * The environment a command sees is built from an allowlist, never by copying the host's: the host
 * environment holds API keys and tokens, and variables such as NODE_OPTIONS, LD_PRELOAD or GIT_* change
 * what an allowed program does (GIT_SSH_COMMAND or NODE_OPTIONS=--require run arbitrary code), which
 * would undo the command policy's verdict.
 */

/** Names no command environment may carry, even when a devcontainer.json sets them. */
const deniedExact = new Set([
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE',
  'BASH_ENV', 'ENV', 'PROMPT_COMMAND', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'PS4', 'CDPATH', 'GLOBIGNORE',
  'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT',
  'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'RUBYOPT', 'RUBYLIB',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS',
  'EDITOR', 'VISUAL', 'PAGER', 'GIT_PAGER', 'LESSOPEN', 'LESSCLOSE',
  'SSH_AUTH_SOCK', 'DOCKER_HOST', 'DOCKER_CONFIG', 'KUBECONFIG',
]);

const deniedPrefixes = ['LD_', 'DYLD_', 'GIT_', 'NPM_CONFIG_', 'npm_config_', 'BASH_FUNC_', 'AGENT_HARNESS_'];

/** Names whose values look like credentials; refused even from devcontainer.json, so a key never lands in a command's view by accident. */
const secretLike = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)($|_)/i;

const validName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a variable may not be passed to a command, or undefined when it may. */
export function envDenialReason(name: string): string | undefined {
  if (!validName.test(name)) return 'not a valid variable name';
  if (deniedExact.has(name) || deniedExact.has(name.toUpperCase())) return 'it changes how programs start or run code';
  if (deniedPrefixes.some((p) => name.startsWith(p) || name.toUpperCase().startsWith(p.toUpperCase()))) {
    return 'it changes how programs start or run code';
  }
  if (secretLike.test(name)) return 'it looks like a credential';
  return undefined;
}

/** Host variables that are safe to pass through and that tools need to behave (locale, terminal, time zone). */
const hostPassThrough = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'LC_COLLATE', 'LC_NUMERIC', 'LC_TIME', 'TZ'];

export interface EnvResult {
  env: Record<string, string>;
  /** One sentence per variable that was dropped, for the run's diagnostics. */
  dropped: string[];
}

export interface ContainerEnvInput {
  hostEnv: Record<string, string | undefined>;
  /** containerEnv from devcontainer.json (already variable-substituted). */
  containerEnv: Record<string, string>;
  /** The home directory of the user commands run as inside the container. */
  home: string;
  /** The PATH the image declares; the host PATH means nothing inside the container. */
  imagePath?: string;
}

export const defaultContainerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment for commands in the dev container: a few safe basics, then the devcontainer's containerEnv. */
export function buildContainerEnv(input: ContainerEnvInput): EnvResult {
  const env: Record<string, string> = {
    PATH: input.imagePath || defaultContainerPath,
    HOME: input.home,
    TERM: 'dumb',
    CI: 'true',
  };
  copyHostPassThrough(input.hostEnv, env);
  if (!env.LANG) env.LANG = 'C.UTF-8';
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(input.containerEnv)) {
    const reason = envDenialReason(name);
    if (reason) {
      dropped.push(`containerEnv.${name} was not passed to commands: ${reason}.`);
      continue;
    }
    env[name] = value;
  }
  return { env, dropped };
}

/** The environment for local mode: the host's PATH, HOME and user identity plus locale, nothing else. */
export function buildLocalEnv(hostEnv: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { TERM: 'dumb', CI: 'true' };
  for (const name of ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'SHELL', 'SYSTEMROOT', 'COMSPEC', 'PATHEXT', 'WINDIR']) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  copyHostPassThrough(hostEnv, env);
  return env;
}

function copyHostPassThrough(hostEnv: Record<string, string | undefined>, env: Record<string, string>): void {
  for (const name of hostPassThrough) {
    const value = hostEnv[name];
    if (value !== undefined && !/[\0\n\r]/.test(value)) env[name] = value;
  }
}

/** Docker wants `NAME=value` strings. */
export function toDockerEnv(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}
