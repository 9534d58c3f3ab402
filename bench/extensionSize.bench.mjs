// Size and activation cost of the VS Code extension. A measurement, not a test.
// Usage: node bench/extensionSize.bench.mjs [--runs 15] [--json]
//
// 1. dist/extension.js minified: scripts/build.mjs --production runs in a temp copy of the sources
//    (so a concurrent dev build of dist/ cannot skew it), with the lazily required SDK files listed.
// 2. The .vsix: the same files `npm run package` ships (.vscodeignore) packed with vsce in a temp copy.
// 3. activate(): the minified bundle is loaded in a fresh plain-Node process with a stub `vscode`
//    module, and activate() is called with a stub context; median of --runs processes. "load" is
//    require() of the bundle (parse and top-level evaluation), "activate" is the call itself.
// Goals (issue 6): extension.js < 1 MB, .vsix < 3 MB, activate() < 50 ms.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 15;
const JSON_OUT = args.includes('--json');
// The child: a stub `vscode` whose every member is a callable, constructible no-op, enough for
// activate() to register its commands, providers and status bar item.
const CHILD = String.raw`
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
function stub(name) {
  const fn = function () { return stub(name + '()'); };
  return new Proxy(fn, {
    get(_t, p) {
      if (p === Symbol.toPrimitive) return () => name;
      if (p === 'then') return undefined;
      if (p === 'dispose') return () => {};
      return stub(name + '.' + String(p));
    },
    set() { return true; },
    apply() { return stub(name + '()'); },
    construct() { return stub('new ' + name); },
  });
}
// esbuild's namespace import copies the module's own enumerable keys, so the namespaces are listed.
const vscode = {};
for (const k of ['window', 'workspace', 'commands', 'languages', 'env', 'Uri', 'EventEmitter', 'Range', 'Position', 'CodeLens', 'StatusBarAlignment', 'ProgressLocation', 'DiagnosticSeverity', 'TabInputTextDiff', 'WorkspaceEdit', 'Disposable', 'ThemeIcon', 'CodeAction', 'CodeActionKind', 'l10n']) vscode[k] = stub('vscode.' + k);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const t0 = performance.now();
const ext = require(process.argv[2]);
const t1 = performance.now();
const subscriptions = [];
ext.activate({ subscriptions, extensionUri: stub('uri'), extensionPath: '/ext', workspaceState: stub('ws'), globalState: stub('gs'), secrets: stub('secrets'), storageUri: undefined, globalStorageUri: stub('gsu') });
const t2 = performance.now();
if (subscriptions.length < 10) throw new Error('activate registered too little: ' + subscriptions.length);
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1 }));
`;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ah-extsize-'));

try {
  // 1. The production build of scripts/build.mjs itself, run in a temp copy of the sources so a
  //    concurrent dev build of dist/ cannot skew the numbers and the bench follows the real build.
  const pkgDir = path.join(tmp, 'pkg');
  mkdirSync(pkgDir, { recursive: true });
  for (const d of ['src', 'scripts', 'test/support']) cpSync(path.join(root, d), path.join(pkgDir, d), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(pkgDir, 'node_modules'));
  cpSync(path.join(root, 'package.json'), path.join(pkgDir, 'package.json'));
  execFileSync(process.execPath, [path.join(pkgDir, 'scripts/build.mjs'), '--production'], { cwd: pkgDir, stdio: 'ignore' });
  const dist = path.join(pkgDir, 'dist');
  const extBytes = statSync(path.join(dist, 'extension.js')).size;
  const webviewBytes = statSync(path.join(dist, 'webview.js')).size;
  const lazyFiles = readdirSync(dist).filter((f) => /^(gateway-.*|extension-features|eval-vscode|team-vscode|mcp|prices)\.js$/.test(f));
  const lazyBytes = Object.fromEntries(lazyFiles.map((f) => [f, statSync(path.join(dist, f)).size]));

  // 2. The .vsix from a temp copy holding what .vscodeignore lets through.
  for (const f of ['.vscodeignore', 'README.md', 'LICENSE']) cpSync(path.join(root, f), path.join(pkgDir, f));
  cpSync(path.join(root, 'media'), path.join(pkgDir, 'media'), { recursive: true });
  cpSync(path.join(root, 'skills'), path.join(pkgDir, 'skills'), { recursive: true });
  // vsce packs node_modules unless told not to; the symlink only served the build.
  rmSync(path.join(pkgDir, 'node_modules'));
  const vsix = path.join(tmp, 'ext.vsix');
  execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', vsix], { cwd: pkgDir, stdio: 'ignore' });
  const vsixBytes = statSync(vsix).size;

  // 3. activate() in fresh processes with a stub vscode.
  const child = path.join(tmp, 'activate.cjs');
  writeFileSync(child, CHILD);
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    let out;
    try {
      out = execFileSync(process.execPath, [child, path.join(dist, 'extension.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`activate() failed in the stub host: ${String(e.stderr).split('\n').filter((l) => /Error/.test(l)).slice(0, 3).join(' / ')}`);
    }
    samples.push(JSON.parse(out));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = {
    extensionJsBytes: extBytes,
    webviewJsBytes: webviewBytes,
    lazyFilesBytes: lazyBytes,
    vsixBytes,
    loadMsMedian: median(samples.map((s) => s.loadMs)),
    activateMsMedian: median(samples.map((s) => s.activateMs)),
    runs: RUNS,
    node: process.version,
  };
  if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
  else {
    const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
    const ok = (v, goal) => (v < goal ? 'meets goal' : 'OVER goal');
    console.log(`dist/extension.js (minified)  ${mb(extBytes)}   goal < 1 MB: ${ok(extBytes, 1024 * 1024)}`);
    console.log(`dist/webview.js (minified)    ${mb(webviewBytes)}`);
    const WHEN = { 'extension-features.js': 'first run, chat or review', 'eval-vscode.js': 'first eval', 'team-vscode.js': 'first Team Runs listing', 'mcp.js': 'a run with an mcp.json', 'prices.js': 'first run', 'gateway-openai.js': 'first OpenAI-protocol call', 'gateway-anthropic.js': 'first Anthropic-protocol call' };
    for (const [f, n] of Object.entries(lazyBytes)) console.log(`dist/${f.padEnd(27)}${mb(n)}   (required on ${WHEN[f] ?? 'first use'})`);
    console.log(`agent-harness.vsix            ${mb(vsixBytes)}   goal < 3 MB: ${ok(vsixBytes, 3 * 1024 * 1024)}`);
    console.log(`activate()                    ${result.activateMsMedian.toFixed(2)} ms median of ${RUNS}   goal < 50 ms: ${ok(result.activateMsMedian, 50)}`);
    console.log(`require(extension.js)         ${result.loadMsMedian.toFixed(2)} ms median (parse + top-level code, before activate)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

