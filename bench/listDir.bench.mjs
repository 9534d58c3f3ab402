// list_dir on one folder of 20,000 entries (files, a few folders, a .gitignore hiding some): the
// whole tool call (path guard, ignore rules, sort, sizes of the 500 entries shown, formatting) against
// the floor, Node's readdir with file types, and against `ls -l` (what a person would run; it stats
// every entry), interleaved in one run. A measurement, not a test.
// Usage: npm run bench:listdir [-- --entries 20000] [--runs 9] [--json]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadTs, median, repoRoot } from './support/loadTs.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const ENTRIES = opt('--entries', 20000);
const RUNS = opt('--runs', 9);

const { PathGuard, ToolRegistry, createListDirTool } = await loadTs('bench/grep.bench.entry.ts');
const root = path.join(repoRoot, '.cache', 'bench', `listdir-${ENTRIES}`);
const flat = path.join(root, 'flat');
if (!existsSync(path.join(root, '.complete'))) {
  await rm(root, { recursive: true, force: true });
  await mkdir(flat, { recursive: true });
  await writeFile(path.join(root, '.gitignore'), '*.log\n');
  for (let i = 0; i < ENTRIES; i++) {
    if (i % 1000 === 0) await mkdir(path.join(flat, `dir${i}`));
    else await writeFile(path.join(flat, `entry${String(i).padStart(6, '0')}${i % 50 === 0 ? '.log' : '.txt'}`), 'x'.repeat(i % 2000));
  }
  await writeFile(path.join(root, '.complete'), '');
}

const guard = new PathGuard(root);
const tools = new ToolRegistry([createListDirTool({ guard, root })]);
const ctx = { runId: 'bench', callId: 'c', signal: new AbortController().signal };
const listDir = async () => {
  const r = await tools.call('list_dir', JSON.stringify({ path: 'flat' }), ctx);
  if (r.isError) throw new Error(r.content);
};
const CASES = {
  'list_dir (ours)': listDir,
  'readdir withFileTypes (floor)': () => readdir(flat, { withFileTypes: true }),
  'ls -l (stats every entry)': () => execFileSync('ls', ['-l', flat], { maxBuffer: 64 * 1024 * 1024 }),
};
const times = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (const fn of Object.values(CASES)) await fn(); // warm the page cache
for (let r = 0; r < RUNS; r++) {
  for (const [name, fn] of Object.entries(CASES)) {
    const t0 = performance.now();
    await fn();
    times[name].push(performance.now() - t0);
  }
}
const medians = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
if (args.includes('--json')) {
  console.log(JSON.stringify({ entries: ENTRIES, runs: RUNS, medians }));
  process.exit(0);
}
console.log(`list_dir on a folder of ${ENTRIES} entries, median of ${RUNS} interleaved runs`);
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(32)}${median(xs).toFixed(1).padStart(8)} ms${name.startsWith('list_dir') ? `   goal <= 50 ms: ${median(xs) <= 50 ? 'meets goal' : 'OVER goal'}` : ''}`);
