import { EXIT, UsageError, processIo, type CliIo } from './cliIo';
import { reportError } from './reportError';

export const HELP = `agent-harness: a governed coding agent, headless

Usage:
  agent-harness run [--workspace DIR] [--gateway-url URL] [--protocol openai|anthropic] [--model NAME]
                    [--profile NAME] [--sandbox container|local] [--image NAME] [--allow PROG,...]
                    [--allow-network] [--egress-allow HOST,...] [--fallback-model NAME[@openai|@anthropic]]...
                    [--max-tokens N] [--max-cost USD] [--max-turns N] [--yes | --auto-approve off|edits|commands|all]
                    [--trust-workspace] [--json] "TASK"
  agent-harness runs [--json]
  agent-harness resume RUN_ID|--last [--yes] [--json]
  agent-harness review [--workspace DIR] [--base REF | --staged] [--format markdown|json|sarif]
                       [--fail-on error|warning|never] [--accept-agent-changes]
  agent-harness checkpoint list [--json] | restore RUN_ID|--last [--force] [--json]
  agent-harness eval SUITE.yaml [--model NAME]... [--profile NAME]... [--repeat N] [--concurrency N]
                    [--sandbox container|local] [--json] [--report FILE.md|FILE.html]
                    [--baseline FILE.json] [--gate] [--gateway-url URL] [--protocol openai|anthropic]
  agent-harness usage [--since DATE|7d] [--by model|profile|skill|day] [--json]
  agent-harness gc [--days N] [--ledger-months N] [--dry-run] [--json]
  agent-harness policy check-command [--allow PROG,...] [--deny ENTRY,...] [--mode container|local] [--json] -- "COMMAND"
  agent-harness policy check-path --root DIR [--write] [--json] -- PATH
  agent-harness profiles [--workspace DIR] [--json]
  agent-harness team init|worker|submit|status|approve|reject|cancel|result|usage|budget [--database-url URL] [--json]
                    (agent-harness team --help for each; AGENT_HARNESS_DATABASE_URL is the default database)
  agent-harness --help | --version

Environment: AGENT_HARNESS_GATEWAY_URL, AGENT_HARNESS_API_KEY, AGENT_HARNESS_PROTOCOL, AGENT_HARNESS_MODEL,
AGENT_HARNESS_HEADERS (JSON object of extra headers), AGENT_HARNESS_HOME (state: usage ledger, traces, run
journals, checkpoints; default ~/.agent-harness), AGENT_HARNESS_RETENTION_DAYS (30) and AGENT_HARNESS_LEDGER_MONTHS
(13) (how long runs keep state; every run cleans up once a day, agent-harness gc on demand), AGENT_HARNESS_EGRESS_ALLOW (hosts commands may reach besides the
package registries), AGENT_HARNESS_EGRESS_CREDENTIALS ({"host": "ENV_VAR"}: tokens the egress proxy adds).
The key is read only from the environment. --yes is --auto-approve all; no tier approves code execution,
protected writes, credentials, network, destructive commands or commands after untrusted content.
`;

type Handler = (argv: string[], io: CliIo) => Promise<number>;

/** Sub-commands load their modules on demand, so `--help` and policy checks never load the SDKs. */
const COMMANDS: Record<string, Handler> = {
  run: async (argv, io) => (await import('./runTask')).runTaskCommand(argv, io),
  policy: async (argv, io) => {
    const [sub, ...rest] = argv;
    if (sub === 'check-command') return (await import('./policyCheckCommand')).runPolicyCheckCommand(rest, io);
    if (sub === 'check-path') return (await import('./policyCheckPath')).runPolicyCheckPath(rest, io);
    throw new UsageError(`unknown policy sub-command "${sub ?? ''}": use check-command or check-path`);
  },
  profiles: async (argv, io) => (await import('./profilesCommand')).runProfilesCommand(argv, io),
  usage: async (argv, io) => (await import('./usageCommand')).runUsageCommand(argv, io),
  runs: async (argv, io) => (await import('./runsCommand')).runRunsCommand(argv, io),
  resume: async (argv, io) => (await import('./resumeCommand')).runResumeCommand(argv, io),
  review: async (argv, io) => (await import('./reviewCommand')).runReviewCommand(argv, io),
  checkpoint: async (argv, io) => (await import('./checkpointCommand')).runCheckpointCommand(argv, io),
  gc: async (argv, io) => (await import('./gcCommand')).runGcCommand(argv, io),
  eval: async (argv, io) => (await import('./evalCommand')).runEvalCommand(argv, io),
  // Team mode (DBOS + PostgreSQL) lives in its own bundle, loaded only for `team`.
  team: async (argv, io) => (await import('../team/teamCommand')).runTeamCommand(argv, io),
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout(HELP);
    return cmd ? EXIT.ok : EXIT.usage;
  }
  if (cmd === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const handler = COMMANDS[cmd];
  try {
    if (!handler) throw new UsageError(`unknown command "${cmd}"; run agent-harness --help`);
    return await handler(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
