import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadProfiles, type LoadedProfile } from '../core/profiles/loadProfiles';
import { EXIT, UsageError, type CliIo } from './cliIo';

const USAGE = 'usage: agent-harness profiles [--workspace DIR] [--json]';

interface ProfilesArgs {
  workspace: string;
  json: boolean;
}

/**
 * `agent-harness profiles`: lists every profile (built-in and the workspace's) with where it came from.
 * Profiles that failed to load are listed on stderr with the file and reason, and make the exit code 1,
 * so a CI step can catch a broken profile; the good ones are still listed.
 */
export async function runProfilesCommand(argv: string[], io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const args = parseArgs(argv);
  const st = await stat(args.workspace).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`workspace folder not found: ${args.workspace}`);

  const { profiles, problems } = await loadProfiles(args.workspace);
  if (args.json) {
    io.stdout(`${JSON.stringify({ workspace: args.workspace, profiles: profiles.map(toJson), problems }, null, 2)}\n`);
  } else {
    io.stdout(renderTable(profiles));
    for (const p of problems) io.stderr(`agent-harness: profile not loaded: ${p.path}: ${p.message}\n`);
  }
  return problems.length > 0 ? EXIT.failed : EXIT.ok;
}

function parseArgs(argv: readonly string[]): ProfilesArgs {
  let workspace = process.cwd();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--workspace' || a.startsWith('--workspace=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!value) throw new UsageError(`--workspace needs a folder; ${USAGE}`);
      workspace = value;
    } else throw new UsageError(`unexpected argument "${a}"; ${USAGE}`);
  }
  return { workspace: resolve(workspace), json };
}

function toJson(p: LoadedProfile) {
  const { profile } = p;
  return {
    name: profile.name,
    source: p.source,
    ...(p.overrides ? { overrides: p.overrides } : {}),
    description: profile.description,
    model: profile.model ?? null,
    tools: profile.tools ?? null,
    skills: profile.skills ?? null,
    commandAllowlist: profile.commandAllowlist,
    sandbox: profile.sandbox,
    limits: profile.limits,
    approvals: profile.approvals,
  };
}

function renderTable(profiles: readonly LoadedProfile[]): string {
  const rows = [
    ['NAME', 'MODEL', 'SANDBOX', 'TOOLS', 'SOURCE', 'DESCRIPTION'],
    ...profiles.map((p) => [
      p.profile.name,
      p.profile.model ?? '(default)',
      p.profile.sandbox,
      p.profile.tools === undefined ? 'all' : String(p.profile.tools.length),
      p.overrides ? `${p.source} (overrides ${p.overrides})` : p.source,
      p.profile.description,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}
