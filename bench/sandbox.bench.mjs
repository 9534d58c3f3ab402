// Per-command cost of the dev-container sandbox on a real Docker engine: a command through
// DockerSandbox.run in its warm container, against a bare dockerode exec into the same kind of
// container (create exec, start, read the stream to its end, inspect the exit code: the least any
// exec-based runner must do), against a fresh `docker run --rm` per command, and the `docker exec` CLI.
// A measurement, not a test. Usage: node bench/sandbox.bench.mjs [--runs 30] [--image NAME] [--json]
// Needs the engine and the test image: bash scripts/ensure-docker.sh
//
// Goal (issue 4): the sandbox's per-command cost within 1.2x of the bare dockerode exec.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', 30)) || 30;
const image = option('--image', process.env.AGENT_HARNESS_TEST_IMAGE ?? 'agent-harness-test/busybox:1');
const asJson = args.includes('--json');
const command = 'echo ok';

/**
 * Bundles the sandbox source as the product would (see the build notes in the issue). dockerode reaches ssh2, whose native add-ons
 * (cpu-features, sshcrypto.node) are optional and loaded inside try/catch; they stay external, so
 * ssh2 falls back to its JavaScript code, which a Unix-socket Docker client never uses anyway.
 */
async function loadSandbox() {
  const dir = path.join(repoRoot, '.cache', 'bench');
  await mkdir(dir, { recursive: true });
  const entry = path.join(dir, `sandbox-entry-${randomUUID()}.ts`);
  const outfile = entry.replace(/\.ts$/, '.mjs');
  writeFileSync(
    entry,
    [
      "export { DockerSandbox } from '../../src/adapters/sandbox/dockerSandbox';",
      "export { resolveDevcontainer } from '../../src/adapters/sandbox/devcontainerConfig';",
      "export { default as Docker } from 'dockerode';",
    ].join('\n'),
  );
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      external: ['cpu-features', '*.node'],
      // jsonc-parser's "main" is a UMD build whose inner require() calls esbuild cannot follow; its ES build bundles cleanly.
      mainFields: ['module', 'main'],
      // ssh2's bundled WebAssembly loader reads __dirname, which an ES module does not have.
      banner: {
        js: [
          "import { createRequire as __cr } from 'node:module';",
          "import { fileURLToPath as __fu } from 'node:url';",
          'const require = __cr(import.meta.url);',
          'const __filename = __fu(import.meta.url);',
          "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
        ].join(' '),
      },
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(entry, { force: true });
    await rm(outfile, { force: true });
  }
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const { DockerSandbox, resolveDevcontainer, Docker } = await loadSandbox();
const docker = new Docker();
try {
  await docker.getImage(image).inspect();
} catch {
  console.error(`bench: image ${image} is missing; run: bash scripts/ensure-docker.sh`);
  process.exit(2);
}

const workspace = mkdtempSync(path.join(os.tmpdir(), 'ah-bench-sbx-'));
writeFileSync(path.join(workspace, 'hello.txt'), 'hello\n');
const sandbox = new DockerSandbox({
  workspaceRoot: workspace,
  settings: resolveDevcontainer({ image }, workspace, {}, undefined),
  spillDir: path.join(workspace, '.agent-harness', 'spill'),
});

// The baseline container: same image and hardening, started directly with dockerode.
const bare = await docker.createContainer({
  Image: image,
  Entrypoint: ['/bin/sh', '-c', 'while :; do sleep 3600; done'],
  name: `agent-harness-bench-bare-${process.pid}`,
  HostConfig: { NetworkMode: 'none', CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Init: true, Binds: [`${workspace}:/workspace`] },
});
await bare.start();

async function bareExec() {
  const exec = await bare.exec({ Cmd: ['/bin/sh', '-c', command], AttachStdout: true, AttachStderr: true, WorkingDir: '/workspace' });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks = [];
  await new Promise((resolve, reject) => {
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  let info = await exec.inspect();
  while (info.Running) info = await exec.inspect();
  if (info.ExitCode !== 0) throw new Error(`bare exec failed: ${info.ExitCode}`);
}

async function sandboxRun() {
  const result = await sandbox.run({ commandLine: command, segments: [], timeoutMs: 30_000 });
  if (result.exitCode !== 0 || result.output !== 'ok\n') throw new Error(`sandbox run failed: ${JSON.stringify(result)}`);
}

async function freshRun() {
  await run('docker', ['run', '--rm', '--network', 'none', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '-v', `${workspace}:/workspace`, image, 'sh', '-c', command]);
}

async function cliExec() {
  await run('docker', ['exec', bare.id, 'sh', '-c', command]);
}

const cases = { 'dockerode exec (bare)': bareExec, 'DockerSandbox.run (warm)': sandboxRun, 'docker exec (CLI)': cliExec, 'docker run --rm (fresh)': freshRun };
let bigOutput;
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  await sandbox.start();
  // Warm-up: connections, code paths, page cache.
  for (const fn of Object.values(cases)) {
    await fn();
    await fn();
  }
  for (let i = 0; i < runs; i++) {
    // Interleaved, so drift in machine load hits every case alike. The fresh run is slow; sample it less.
    for (const [name, fn] of Object.entries(cases)) {
      if (name.startsWith('docker run') && i % 3 !== 0) continue;
      const t0 = performance.now();
      await fn();
      samples[name].push(performance.now() - t0);
    }
  }
  // Large output: the result is capped and the rest streams to the spill file, so memory stays flat.
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const big = await sandbox.run({ commandLine: "head -c 104857600 /dev/zero | tr '\\0' 'a'", segments: [], timeoutMs: 120_000 });
  bigOutput = { bytes: 104857600, ms: Math.round(performance.now() - t0), resultChars: big.output.length, truncated: big.truncated, rssGrowthMb: +((rssPeak - rssBefore) / 1048576).toFixed(1) };
  clearInterval(sampler);
} finally {
  await sandbox.dispose();
  await bare.remove({ force: true });
  rmSync(workspace, { recursive: true, force: true });
}

const base = percentile(samples['dockerode exec (bare)'], 50);
const rows = Object.entries(samples).map(([name, xs]) => ({
  case: name,
  n: xs.length,
  medianMs: +percentile(xs, 50).toFixed(1),
  p90Ms: +percentile(xs, 90).toFixed(1),
  vsBareExec: +(percentile(xs, 50) / base).toFixed(2),
}));
const ratio = rows.find((r) => r.case.startsWith('DockerSandbox')).vsBareExec;
if (asJson) {
  console.log(JSON.stringify({ image, command, runs, rows, goal: 1.2, withinGoal: ratio <= 1.2, bigOutput }));
} else {
  console.log(`sandbox per-command cost, command "${command}", image ${image}, ${runs} rounds`);
  console.table(rows);
  console.log(`DockerSandbox.run / bare dockerode exec (median): ${ratio}x (goal <= 1.2x): ${ratio <= 1.2 ? 'met' : 'NOT met'}`);
  console.log(`100 MB of output: ${bigOutput.ms} ms, result ${bigOutput.resultChars} chars (truncated: ${bigOutput.truncated}), peak RSS growth ${bigOutput.rssGrowthMb} MB`);
}
