// Layering is enforced here: the core must run in plain Node, so it may not import the editor,
// the Docker client or process spawning. Adapters may not import `vscode` either.
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const forbiddenInCore = [
  { name: 'vscode', message: 'src/core must not import vscode; add a port in src/core/ports.ts.' },
  { name: 'dockerode', message: 'src/core must not import dockerode; use the Sandbox port.' },
  { name: 'child_process', message: 'src/core must not spawn processes; use a port implemented in src/adapters.' },
  { name: 'node:child_process', message: 'src/core must not spawn processes; use a port implemented in src/adapters.' },
  { name: 'openai', message: 'src/core speaks the ModelClient port; the SDK lives in src/adapters/gateway.' },
  { name: '@anthropic-ai/sdk', message: 'src/core speaks the ModelClient port; the SDK lives in src/adapters/gateway.' },
  { name: '@modelcontextprotocol/sdk', message: 'MCP clients live in src/adapters/mcp.' },
  { name: '@dbos-inc/dbos-sdk', message: 'src/core stays engine-free: durable steps go through core/durable (src/adapters/team implements it).' },
  { name: 'pg', message: 'src/core stays engine-free: the database lives in src/adapters/team.' },
];
const oneGatewayFactory = [
  { group: ['**/gateway/createModelClient', '**/gateway/openaiClient', '**/gateway/anthropicClient', '**/gateway/resilience/createResilientClient'], message: 'model clients come from src/adapters/gateway/gatewayFactory.ts (gatewayModelFactory, or gatewayProbe for a connection test).' },
  { group: ['**/gateway/resilience/productionGateway'], importNames: ['createRunGateway'], message: "a run's client comes from gatewayModelFactory in src/adapters/gateway/gatewayFactory.ts." },
];
const forbiddenPatternsInCore = ['openai/*', '@anthropic-ai/sdk/*', '@modelcontextprotocol/sdk/*', '@dbos-inc/dbos-sdk/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/node_modules/**', '.test-artifacts/**', '.cache/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenInCore,
          patterns: [
            { group: ['**/adapters/**', '**/extension/**', '**/cli/**', '**/team/**'], message: 'src/core depends on nothing outside it.' },
            { group: forbiddenPatternsInCore, message: 'src/core speaks ports; SDKs and engines live in src/adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/cli/**/*.ts', 'src/team/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only src/extension may import vscode.' }] }],
    },
  },
  {
    // One gateway factory (issue 15): outside src/adapters/gateway nobody builds a model client
    // themselves, so no work escapes the ledger, budgets, retries, fallbacks or breakers.
    files: ['src/cli/**/*.ts', 'src/team/**/*.ts', 'src/adapters/!(gateway)/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only src/extension may import vscode.' }], patterns: oneGatewayFactory }] },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: oneGatewayFactory }] },
  },
  {
    // No import cycles in src: a newcomer can read a module without its dependents (issue 15).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/**', '**/adapters/**', '**/extension/**', 'vscode', 'node:*'], message: 'the webview imports only src/shared.' }] }],
    },
  },
);
