// A local team fleet for the demo (npm run demo:team) and the benchmark (npm run bench:team): a
// throwaway PostgreSQL (scripts/postgres.sh), worker processes of the built CLI, and a demo git
// repository. Everything it starts is stopped by `stop()`.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'dist/cli.js');

export function cli(args, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export async function cliJson(args, env) {
  const out = await cli([...args, '--json'], env);
  if (!out.stdout.trim()) throw new Error(`agent-harness ${args.join(' ')} failed (${out.code}): ${out.stderr}`);
  return JSON.parse(out.stdout);
}

/** A repository with a broken add.js, its test, and a README: what the demo runs fix. */
export function makeDemoRepo() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ah-fleet-repo-'));
  writeFileSync(path.join(dir, 'add.js'), '// Adds two numbers.\nfunction add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n');
  writeFileSync(path.join(dir, 'test.js'), "const { add } = require('./add');\nif (add(2, 3) !== 5) process.exit(1);\nconsole.log('ok');\n");
  writeFileSync(path.join(dir, 'README.md'), '# demo\n\nA tiny project for the team demo.\n');
  const git = (...a) => execFileSync('git', ['-c', 'user.email=demo@example.com', '-c', 'user.name=demo', '-c', 'init.defaultBranch=main', ...a], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'demo project');
  return dir;
}

/** One scripted conversation per task: fix add.js, then answer. */
export function fixConversations(tasks, delayMs = 0) {
  const d = delayMs ? { delayMs } : {};
  return tasks.map((match) => ({
    match,
    turns: [
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'add.js', old_string: 'return a - b;', new_string: 'return a + b;' } }], usage: { input: 900, output: 30 }, ...d },
      { text: `Fixed add(): it subtracted instead of adding. (${match})`, usage: { input: 1100, output: 20 }, ...d },
    ],
  }));
}

export async function startFleet({ gatewayUrl, log = () => undefined }) {
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'ah-fleet-pg-'));
  const home = mkdtempSync(path.join(os.tmpdir(), 'ah-fleet-home-'));
  const databaseUrl = execFileSync('bash', [path.join(root, 'scripts/postgres.sh'), 'start', pgDir], { encoding: 'utf8' }).trim();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    AGENT_HARNESS_DATABASE_URL: databaseUrl,
    AGENT_HARNESS_GATEWAY_URL: gatewayUrl,
    AGENT_HARNESS_PROTOCOL: 'openai',
    AGENT_HARNESS_MODEL: 'gpt-4o',
    AGENT_HARNESS_API_KEY: 'sk-fleet-demo-key-0123456789',
    AGENT_HARNESS_HOME: home,
  };
  const workers = new Map();
  const init = await cli(['team', 'init'], env);
  if (init.code !== 0) throw new Error(`team init failed: ${init.stderr}`);

  async function startWorker(id, args = []) {
    const child = spawn(process.execPath, [CLI, 'team', 'worker', '--id', id, '--sandbox', 'local', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr.on('data', (d) => {
      text += d.toString();
      for (const line of d.toString().split('\n').filter(Boolean)) log(line);
    });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    const deadline = Date.now() + 30_000;
    while (!text.includes(`worker ${id} ready`)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker ${id} did not start:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const w = { id, child, exited, log: () => text };
    workers.set(id, w);
    return w;
  }

  async function stop() {
    for (const w of workers.values()) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.race([Promise.all([...workers.values()].map((w) => w.exited)), new Promise((r) => setTimeout(r, 15_000))]);
    for (const w of workers.values()) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    execFileSync('bash', [path.join(root, 'scripts/postgres.sh'), 'stop', pgDir]);
    rmSync(pgDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }

  return { databaseUrl, env, startWorker, stop, workers };
}
