// Layering is enforced here: the core must run in plain Node, so it may not import the editor,
// the Docker client or process spawning. Adapters may not import `vscode` either.
import tseslint from 'typescript-eslint';

const forbiddenInCore = [
  { name: 'vscode', message: 'src/core must not import vscode; add a port in src/core/ports.ts.' },
  { name: 'dockerode', message: 'src/core must not import dockerode; use the Sandbox port.' },
  { name: 'child_process', message: 'src/core must not spawn processes; use a port implemented in src/adapters.' },
  { name: 'node:child_process', message: 'src/core must not spawn processes; use a port implemented in src/adapters.' },
];

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
      'no-restricted-imports': ['error', { paths: forbiddenInCore, patterns: [{ group: ['**/adapters/**', '**/extension/**', '**/cli/**'], message: 'src/core depends on nothing outside it.' }] }],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only src/extension may import vscode.' }] }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/**', '**/adapters/**', '**/extension/**', 'vscode', 'node:*'], message: 'the webview imports only src/shared.' }] }],
    },
  },
);
