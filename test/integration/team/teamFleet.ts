import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, runCli, type CliOutcome } from '../cli/runCli';
import type { Conversation } from '../../support/scriptedServer/conversations';

/** A worker process of the fleet, as a person starts one: `agent-harness team worker`. */
export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  log(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

export interface FleetEnv {
  databaseUrl: string;
  gatewayUrl: string;
  home: string;
  apiKey: string;
}

export function teamEnv(f: FleetEnv, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AGENT_HARNESS_DATABASE_URL: f.databaseUrl,
    AGENT_HARNESS_GATEWAY_URL: f.gatewayUrl,
    AGENT_HARNESS_MODEL: 'gpt-4o',
    AGENT_HARNESS_API_KEY: f.apiKey,
    AGENT_HARNESS_HOME: f.home,
    ...extra,
  };
}

/** Runs `agent-harness team …` with the fleet's environment. */
export function team(f: FleetEnv, args: string[], extra: Record<string, string> = {}): Promise<CliOutcome> {
  return runCli(['team', ...args], teamEnv(f, extra));
}

export async function teamJson<T>(f: FleetEnv, args: string[]): Promise<T> {
  const out = await team(f, [...args, '--json']);
  // `team result` exits with the run's own code (like `run`); its JSON is there either way.
  if (out.code !== 0 && !(args[0] === 'result' && out.stdout.trim())) throw new Error(`team ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

/** Starts a worker and waits until it says it is ready. */
export async function startWorker(f: FleetEnv, id: string, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...teamEnv(f, extraEnv) };
  const child = spawn(process.execPath, [CLI, 'team', 'worker', '--id', id, '--sandbox', 'local', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!log.includes(`worker ${id} ready`)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker ${id} did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { id, child, log: () => log, exited };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A git repository with the demo's broken add.js and its test, one commit on main, and a tag. */
export function makeRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ah-team-repo-'));
  writeFileSync(path.join(dir, 'add.js'), '// Adds two numbers.\nfunction add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n');
  writeFileSync(path.join(dir, 'test.js'), "const { add } = require('./add');\nif (add(2, 3) !== 5) { console.error('add(2, 3) should be 5'); process.exit(1); }\nconsole.log('ok');\n");
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...a], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'broken add');
  git('tag', 'v1');
  return dir;
}

/** The conversation of a run that fixes add.js, then (maybe) runs the test, then answers. */
export function fixConversation(match: string, opts: { runTests?: boolean; delayMs?: number } = {}): Conversation {
  const d = opts.delayMs ? { delayMs: opts.delayMs } : {};
  return {
    match,
    turns: [
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'add.js', old_string: 'return a - b;', new_string: 'return a + b;' } }], usage: { input: 900, output: 30 }, ...d },
      ...(opts.runTests ? [{ toolCalls: [{ name: 'run_command', arguments: { command: 'node test.js' } }], usage: { input: 1000, output: 20 }, ...d }] : []),
      { text: `Fixed add.js (${match}).`, usage: { input: 1100, output: 10 }, ...d },
    ],
  } as Conversation;
}
