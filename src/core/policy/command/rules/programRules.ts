import { BUILD_TOOL_RULES } from './buildToolRules';
import { gitRule } from './gitRule';
import { PACKAGE_MANAGER_RULES } from './packageManagerRules';
import { READ_ONLY_RULES } from './readOnlyRules';
import type { ProgramRule } from './ruleKit';
import { RUNTIME_RULES } from './runtimeRules';
import { WRITER_RULES } from './writerRules';

/** The built-in argument rules, by program name. A program without an entry has no argument rules. */
export const PROGRAM_RULES: ReadonlyMap<string, ProgramRule> = new Map(
  Object.entries({ ...READ_ONLY_RULES, ...WRITER_RULES, git: gitRule, ...PACKAGE_MANAGER_RULES, ...RUNTIME_RULES, ...BUILD_TOOL_RULES }),
);

/** Programs whose job is to talk to other machines: an ask for one of them is a network ask. */
export const NETWORK_PROGRAMS: ReadonlySet<string> = new Set([
  'curl', 'wget', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp', 'tftp', 'http', 'https',
  'aria2c', 'httpie', 'xh', 'gh', 'glab', 'aws', 'gcloud', 'az', 'kubectl', 'docker', 'podman', 'ping', 'dig', 'nslookup', 'host',
]);

/**
 * Programs whose job is to run another command, code or shell given in their arguments. The policy
 * cannot judge what they run from the program name, so they ask even when a setting lists them.
 */
export const COMMAND_RUNNERS: ReadonlySet<string> = new Set([
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'busybox', 'env', 'xargs', 'sudo', 'su', 'doas',
  'exec', 'eval', 'source', '.', 'command', 'builtin', 'nohup', 'timeout', 'nice', 'ionice', 'time', 'watch',
  'parallel', 'script', 'stdbuf', 'setsid', 'chroot', 'unshare', 'nsenter', 'flock', 'strace', 'ltrace', 'gdb',
  'ssh', 'awk', 'gawk', 'mawk', 'nawk', 'perl', 'ruby', 'php', 'lua', 'trap', 'alias', 'coproc',
]);
