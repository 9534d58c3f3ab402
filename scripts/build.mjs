// Builds the three bundles (extension host, webview, CLI) and the dev-only scripted model server.
// Usage: node scripts/build.mjs [--production]
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
/** `--analyze`: also writes dist/<bundle>.meta.json (esbuild's metafile), to see what a bundle is made of. */
const analyze = process.argv.includes('--analyze');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  metafile: analyze,
};
// Node 20 is the floor for the CLI; the extension host of VS Code runs Node 22 or later.
// Two packages need a specific build: jsonc-parser's CommonJS build is a UMD wrapper whose inner
// requires esbuild cannot follow (its ESM build bundles cleanly), and web-tree-sitter's ESM build
// reaches for import.meta.url, which a CommonJS bundle does not have (its CommonJS build does not).
// dockerode loads gRPC/protobuf (BuildKit sessions) and ssh2 (ssh:// hosts) eagerly; we use neither.
const UNUSED_DOCKER_FEATURES = ['@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'ssh2'];
/** Resolves zod's locale barrel to a module with English only (see scripts/buildStubs/zodLocales.mjs). */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(root, 'scripts/buildStubs/zodLocales.mjs') } : undefined,
    );
  },
};
/**
 * Each protocol's SDK goes into its own file (dist/gateway-openai.js, dist/gateway-anthropic.js) that
 * the main bundles require on first use: activation never parses an SDK, and only the configured
 * protocol's SDK is ever loaded.
 */
const ADAPTERS = { openaiClient: 'gateway-openai.js', anthropicClient: 'gateway-anthropic.js' };
/** Loaded on first use from their own files too: the SDKs above, and the price catalog (~0.5 MB of data). */
const LAZY = { ...ADAPTERS, genaiPricesCatalog: 'prices.js' };
const LAZY_SOURCES = { 'gateway-openai.js': 'src/adapters/gateway/openaiClient.ts', 'gateway-anthropic.js': 'src/adapters/gateway/anthropicClient.ts', 'prices.js': 'src/adapters/prices/genaiPricesCatalog.ts', 'mcp.js': 'src/adapters/mcp/openMcpTools.ts' };
/** The extension's eval command (core/eval and its runner) is dist/eval-vscode.js, required when the command is first run. */
const lazyEval = {
  name: 'lazy-eval',
  setup(b) {
    // From the activation bundle only: src/extension/extension.ts and the command handlers it registers.
    const activation = (importer) => importer.endsWith(`${path.sep}extension${path.sep}extension.ts`) || importer.endsWith(`${path.sep}commands${path.sep}createCommands.ts`);
    b.onResolve({ filter: /^\.\.\/run\/evalFeature$/ }, (args) => (activation(args.importer) ? { path: './eval-vscode.js', external: true } : undefined));
    // The controller, the core and the code review (src/extension/features.ts) are dist/extension-features.js, required on first use.
    b.onResolve({ filter: /^\.{1,2}\/features$/ }, (args) => (activation(args.importer) ? { path: './extension-features.js', external: true } : undefined));
  },
};
/** MCP clients (the MCP SDK and its JSON-schema validator) are dist/mcp.js, required when a run opens its MCP servers. */
const lazyMcp = {
  name: 'lazy-mcp',
  setup(b) {
    b.onResolve({ filter: /^\.\/openMcpTools$/ }, (args) => (args.importer.endsWith(`${path.sep}openMcpSession.ts`) ? { path: './mcp.js', external: true } : undefined));
  },
};
const lazyAdapters = {
  name: 'lazy-protocol-adapters',
  setup(b) {
    b.onResolve({ filter: /^(\.\.?\/)+(?:[\w]+\/)?(openaiClient|anthropicClient|genaiPricesCatalog)$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}adapters${path.sep}`)) return undefined;
      return { path: `./${LAZY[path.basename(args.path)]}`, external: true };
    });
  },
};
/** Team mode (src/team, DBOS and pg) is its own bundle, dist/team.js, required by the CLI only for `agent-harness team`. */
const lazyTeam = {
  name: 'lazy-team',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/team\/teamCommand$/ }, (args) => (args.importer.includes(`${path.sep}cli${path.sep}`) ? { path: './team.js', external: true } : undefined));
    // The extension's Team Runs view: its backend (DBOS, pg) is dist/team-vscode.js, loaded when the view first lists runs.
    b.onResolve({ filter: /^\.\/teamRunsBackend$/ }, (args) => (args.importer.includes(`${path.sep}extension${path.sep}team${path.sep}`) ? { path: './team-vscode.js', external: true } : undefined));
  },
};
/**
 * Each CLI command is its own bundle (dist/cli-<command>.js) that dist/cli.js requires when the command
 * is called: `--version`, `--help` and `policy check-command` never parse the loop, the SDKs or Docker.
 */
const CLI_COMMANDS = {
  runTask: 'cli-run.js',
  policyCheckCommand: 'cli-check-command.js',
  policyCheckPath: 'cli-check-path.js',
  profilesCommand: 'cli-profiles.js',
  usageCommand: 'cli-usage.js',
  runsCommand: 'cli-runs.js',
  resumeCommand: 'cli-resume.js',
  reviewCommand: 'cli-review.js',
  checkpointCommand: 'cli-checkpoint.js',
  evalCommand: 'cli-eval.js',
  gcCommand: 'cli-gc.js',
};
const lazyCliCommands = {
  name: 'lazy-cli-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/\w+$/ }, (args) => {
      if (!args.importer.endsWith(`${path.sep}cli${path.sep}main.ts`)) return undefined;
      const out = CLI_COMMANDS[args.path.slice(2)];
      return out ? { path: `./${out}`, external: true } : undefined;
    });
  },
};
/** DBOS's optional OpenTelemetry/winston exporters (used only with enableOTLP, never here), pg's native driver, and DBOS's enterprise add-on. */
const TEAM_EXTERNALS = ['@opentelemetry/*', 'winston', 'winston-transport', 'pg-native', '@dbos-inc/dbos-enterprise', 'cpu-features', '*.node'];
const nodeTarget = {
  ...common,
  plugins: [englishOnlyZod],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // A lazily loaded bundle is a CommonJS file: require() it (import() of CommonJS goes through the ESM
  // loader, which costs ~90 ms wall and ~170 ms CPU for an SDK bundle).
  supported: { 'dynamic-import': false },
  alias: {
    'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js'),
    'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs'),
    ...Object.fromEntries(UNUSED_DOCKER_FEATURES.map((pkg) => [pkg, path.join(root, 'scripts/buildStubs/unsupported.cjs')])),
  },
};

/** One Node bundle: `entry` (relative to the repository) to dist/`out`. */
const bundle = (entry, out, options = {}) => build({ ...nodeTarget, entryPoints: [path.join(root, entry)], outfile: path.join(root, 'dist', out), ...options });
/** What a bundle the extension host loads leaves out: VS Code itself, and ssh2's optional native helpers. */
const VSCODE_EXTERNALS = ['vscode', 'cpu-features', '*.node'];

await mkdir(path.join(root, 'dist'), { recursive: true });
const results = await Promise.all([
  // dockerode reaches ssh2, whose native helpers (cpu-features, sshcrypto.node) are optional and
  // loaded in try/catch: leaving them out of the bundle keeps ssh2 on its pure-JS path.
  bundle('src/extension/extension.ts', 'extension.js', { plugins: [englishOnlyZod, lazyTeam, lazyEval], external: VSCODE_EXTERNALS }),
  bundle('src/extension/features.ts', 'extension-features.js', { plugins: [englishOnlyZod, lazyAdapters, lazyTeam, lazyMcp], external: VSCODE_EXTERNALS }),
  bundle('src/extension/run/evalFeature.ts', 'eval-vscode.js', { plugins: [englishOnlyZod, lazyAdapters, lazyMcp], external: VSCODE_EXTERNALS }),
  bundle('src/extension/team/teamRunsBackend.ts', 'team-vscode.js', { external: TEAM_EXTERNALS }),
  bundle('src/cli/bin.ts', 'cli.js', { plugins: [englishOnlyZod, lazyCliCommands, lazyTeam], external: ['cpu-features', '*.node'], banner: { js: '#!/usr/bin/env node' } }),
  ...Object.entries(CLI_COMMANDS).map(([source, out]) => bundle(`src/cli/${source}.ts`, out, { plugins: [englishOnlyZod, lazyAdapters, lazyTeam, lazyMcp], external: ['cpu-features', '*.node'] })),
  bundle('src/team/teamCommand.ts', 'team.js', { plugins: [englishOnlyZod, lazyAdapters, lazyMcp], external: TEAM_EXTERNALS }),
  ...Object.entries(LAZY_SOURCES).map(([out, source]) => bundle(source, out)),
  build({
    ...common,
    plugins: [englishOnlyZod],
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: [path.join(root, 'src/webview/main.ts')],
    outfile: path.join(root, 'dist/webview.js'),
  }),
  build({
    ...nodeTarget,
    entryPoints: [path.join(root, 'test/support/scriptedServer/main.ts')],
    outfile: path.join(root, 'dist/dev/scriptedServer.js'),
  }),
]);
await chmod(path.join(root, 'dist/cli.js'), 0o755);
if (analyze) {
  for (const r of results) {
    const [out] = Object.keys(r.metafile.outputs).filter((o) => o.endsWith('.js'));
    await writeFile(path.join(root, `${out}`.replace(/\.js$/, '.meta.json')), JSON.stringify(r.metafile));
  }
}

// The shell grammar for the command policy runs as WebAssembly next to the bundles.
for (const [pkgName, file] of [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-bash', 'tree-sitter-bash.wasm'],
]) {
  const from = path.join(root, 'node_modules', pkgName, file);
  await copyFile(from, path.join(root, 'dist', file));
}
console.log(`built dist/ (${production ? 'production' : 'development'})`);
