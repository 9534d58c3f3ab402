import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import { scanToml } from './tomlScan';

/**
 * One detector per ecosystem. Each looks only at manifests in the workspace root and adds what it
 * can prove to the findings; the orchestrator sorts everything, so detector order never shows.
 */
export type CommandKind = 'test' | 'lint' | 'typecheck' | 'build';

export interface DetectedCommand {
  kind: CommandKind;
  command: string;
  /** The manifest the command comes from. */
  source: string;
}

export interface Findings {
  languages: Set<string>;
  frameworks: Set<string>;
  packageManagers: Set<string>;
  manifests: Set<string>;
  commands: DetectedCommand[];
  warnings: string[];
}

/** Read access to the workspace root, already behind the path guard. */
export interface ProjectFiles {
  /** Names of the root's entries. */
  names: ReadonlySet<string>;
  isDir(name: string): boolean;
  read(name: string): Promise<string | undefined>;
}

export type Detector = (files: ProjectFiles, f: Findings) => Promise<void>;

function add(f: Findings, kind: CommandKind, command: string, source: string): void {
  if (!f.commands.some((c) => c.kind === kind && c.command === command)) f.commands.push({ kind, command, source });
}

function parseJsonObject(text: string, name: string, f: Findings): Record<string, unknown> | undefined {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
    f.warnings.push(`${name} is not a valid JSON object; it was ignored`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const JS_FRAMEWORKS: ReadonlyArray<[string, string]> = [
  ['next', 'Next.js'], ['react', 'React'], ['vue', 'Vue'], ['nuxt', 'Nuxt'], ['svelte', 'Svelte'], ['@sveltejs/kit', 'SvelteKit'],
  ['@angular/core', 'Angular'], ['express', 'Express'], ['fastify', 'Fastify'], ['@nestjs/core', 'NestJS'], ['electron', 'Electron'],
  ['vite', 'Vite'], ['vitest', 'Vitest'], ['jest', 'Jest'], ['mocha', 'Mocha'], ['astro', 'Astro'], ['remix', 'Remix'],
];

/** `npm test` / `pnpm test` / `yarn test` / `bun run test` (bun's own `bun test` is a different runner). */
function scriptCommand(pm: string, script: string): string {
  if (pm === 'bun') return `bun run ${script}`;
  if (script === 'test') return `${pm} test`;
  return pm === 'npm' ? `npm run ${script}` : `${pm} ${script}`;
}

export const detectNode: Detector = async (files, f) => {
  const text = files.names.has('package.json') ? await files.read('package.json') : undefined;
  if (text === undefined) return;
  f.manifests.add('package.json');
  f.languages.add('JavaScript');
  const pkg = parseJsonObject(text, 'package.json', f);
  if (!pkg) return;
  const deps = { ...stringRecord(pkg.dependencies), ...stringRecord(pkg.devDependencies), ...stringRecord(pkg.peerDependencies) };
  if (files.names.has('tsconfig.json') || 'typescript' in deps) f.languages.add('TypeScript');
  for (const [dep, name] of JS_FRAMEWORKS) if (dep in deps) f.frameworks.add(name);
  const engines = stringRecord(pkg.engines);
  if ('vscode' in engines) f.frameworks.add('VS Code extension');

  let pm = 'npm';
  const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager)?.[1] : undefined;
  if (files.names.has('pnpm-lock.yaml')) pm = 'pnpm';
  else if (files.names.has('yarn.lock')) pm = 'yarn';
  else if (files.names.has('bun.lockb') || files.names.has('bun.lock')) pm = 'bun';
  else if (files.names.has('package-lock.json')) pm = 'npm';
  else if (declared) pm = declared;
  f.packageManagers.add(pm);

  const scripts = stringRecord(pkg.scripts);
  const placeholder = /no test specified/;
  const kinds: Array<[string, CommandKind]> = [['test', 'test'], ['lint', 'lint'], ['typecheck', 'typecheck'], ['type-check', 'typecheck'], ['build', 'build']];
  for (const [script, kind] of kinds) {
    const body = scripts[script];
    if (body !== undefined && !(script === 'test' && placeholder.test(body))) add(f, kind, scriptCommand(pm, script), 'package.json');
  }
};

export const detectDeno: Detector = async (files, f) => {
  const name = ['deno.json', 'deno.jsonc'].find((n) => files.names.has(n));
  if (!name) return;
  f.manifests.add(name);
  f.languages.add('TypeScript');
  f.packageManagers.add('deno');
  add(f, 'test', 'deno test', name);
  add(f, 'lint', 'deno lint', name);
};

export const detectPython: Detector = async (files, f) => {
  const manifests = ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'setup.py', 'setup.cfg', 'Pipfile'].filter((n) => files.names.has(n));
  if (manifests.length === 0) return;
  f.languages.add('Python');
  for (const m of manifests) f.manifests.add(m);
  const deps = new Set<string>();
  let tables = new Set<string>();
  if (files.names.has('pyproject.toml')) {
    const facts = scanToml((await files.read('pyproject.toml')) ?? '');
    tables = facts.tables;
    for (const d of facts.dependencies) deps.add(d);
  }
  for (const req of ['requirements.txt', 'requirements-dev.txt']) {
    if (!files.names.has(req)) continue;
    for (const line of ((await files.read(req)) ?? '').split(/\r?\n/)) {
      const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
      if (name) deps.add(name.toLowerCase());
    }
  }
  let pm = 'pip';
  let prefix = '';
  if (files.names.has('uv.lock')) [pm, prefix] = ['uv', 'uv run '];
  else if (tables.has('tool.poetry') || files.names.has('poetry.lock')) [pm, prefix] = ['poetry', 'poetry run '];
  else if (files.names.has('pdm.lock') || tables.has('tool.pdm')) [pm, prefix] = ['pdm', 'pdm run '];
  else if (files.names.has('Pipfile')) [pm, prefix] = ['pipenv', 'pipenv run '];
  f.packageManagers.add(pm);
  for (const [dep, name] of [['django', 'Django'], ['flask', 'Flask'], ['fastapi', 'FastAPI'], ['pytest', 'pytest']] as const) {
    if (deps.has(dep) || (dep === 'pytest' && tables.has('tool.pytest.ini_options'))) f.frameworks.add(name);
  }
  // pytest also runs unittest-style tests, so it is the test command of any Python project.
  add(f, 'test', `${prefix}pytest`, tables.has('tool.pytest.ini_options') ? 'pyproject.toml' : manifests[0] as string);
  if (tables.has('tool.ruff') || deps.has('ruff') || files.names.has('ruff.toml') || files.names.has('.ruff.toml')) add(f, 'lint', `${prefix}ruff check .`, 'pyproject.toml');
  if (tables.has('tool.mypy') || deps.has('mypy') || files.names.has('mypy.ini')) add(f, 'typecheck', `${prefix}mypy .`, 'pyproject.toml');
};

export const detectGo: Detector = async (files, f) => {
  if (!files.names.has('go.mod')) return;
  f.manifests.add('go.mod');
  f.languages.add('Go');
  f.packageManagers.add('go modules');
  add(f, 'test', 'go test ./...', 'go.mod');
  add(f, 'lint', 'go vet ./...', 'go.mod');
  if (['.golangci.yml', '.golangci.yaml', '.golangci.toml'].some((n) => files.names.has(n))) add(f, 'lint', 'golangci-lint run', '.golangci.yml');
};

export const detectRust: Detector = async (files, f) => {
  if (!files.names.has('Cargo.toml')) return;
  f.manifests.add('Cargo.toml');
  f.languages.add('Rust');
  f.packageManagers.add('cargo');
  const facts = scanToml((await files.read('Cargo.toml')) ?? '');
  for (const [dep, name] of [['tokio', 'Tokio'], ['actix-web', 'Actix Web'], ['axum', 'Axum']] as const) if (facts.dependencies.has(dep)) f.frameworks.add(name);
  add(f, 'test', 'cargo test', 'Cargo.toml');
  add(f, 'lint', 'cargo clippy', 'Cargo.toml');
};

export const detectJvm: Detector = async (files, f) => {
  if (files.names.has('pom.xml')) {
    f.manifests.add('pom.xml');
    f.languages.add('Java');
    f.packageManagers.add('maven');
    const pom = (await files.read('pom.xml')) ?? '';
    if (pom.includes('spring-boot')) f.frameworks.add('Spring Boot');
    add(f, 'test', files.names.has('mvnw') ? './mvnw test' : 'mvn test', 'pom.xml');
  }
  const gradle = ['build.gradle', 'build.gradle.kts'].find((n) => files.names.has(n));
  if (gradle) {
    f.manifests.add(gradle);
    f.languages.add(gradle.endsWith('.kts') ? 'Kotlin' : 'Java');
    f.packageManagers.add('gradle');
    const text = (await files.read(gradle)) ?? '';
    if (text.includes('org.springframework.boot')) f.frameworks.add('Spring Boot');
    if (/kotlin\(|org\.jetbrains\.kotlin/.test(text)) f.languages.add('Kotlin');
    add(f, 'test', files.names.has('gradlew') ? './gradlew test' : 'gradle test', gradle);
  }
};

export const detectRuby: Detector = async (files, f) => {
  if (!files.names.has('Gemfile')) return;
  f.manifests.add('Gemfile');
  f.languages.add('Ruby');
  f.packageManagers.add('bundler');
  const gems = new Set([...((await files.read('Gemfile')) ?? '').matchAll(/^\s*gem\s+["']([^"']+)["']/gm)].map((m) => m[1] as string));
  if (gems.has('rails')) f.frameworks.add('Rails');
  if (gems.has('rspec') || gems.has('rspec-rails') || files.isDir('spec')) add(f, 'test', 'bundle exec rspec', 'Gemfile');
  else add(f, 'test', gems.has('rails') ? 'bin/rails test' : 'bundle exec rake test', 'Gemfile');
  if (gems.has('rubocop') || files.names.has('.rubocop.yml')) add(f, 'lint', 'bundle exec rubocop', 'Gemfile');
};

export const detectPhp: Detector = async (files, f) => {
  const text = files.names.has('composer.json') ? await files.read('composer.json') : undefined;
  if (text === undefined) return;
  f.manifests.add('composer.json');
  f.languages.add('PHP');
  f.packageManagers.add('composer');
  const composer = parseJsonObject(text, 'composer.json', f);
  if (!composer) return;
  const deps = { ...stringRecord(composer.require), ...stringRecord(composer['require-dev']) };
  if ('laravel/framework' in deps) f.frameworks.add('Laravel');
  if (Object.keys(deps).some((d) => d.startsWith('symfony/framework-bundle'))) f.frameworks.add('Symfony');
  const scripts = typeof composer.scripts === 'object' && composer.scripts !== null ? (composer.scripts as Record<string, unknown>) : {};
  if ('test' in scripts) add(f, 'test', 'composer test', 'composer.json');
  else if ('phpunit/phpunit' in deps) add(f, 'test', 'vendor/bin/phpunit', 'composer.json');
  if ('lint' in scripts) add(f, 'lint', 'composer lint', 'composer.json');
  if ('phpstan/phpstan' in deps) add(f, 'typecheck', 'vendor/bin/phpstan analyse', 'composer.json');
};

export const detectDotnet: Detector = async (files, f) => {
  const projects = [...files.names].filter((n) => /\.(sln|csproj|fsproj)$/i.test(n)).sort();
  if (projects.length === 0) return;
  for (const p of projects) f.manifests.add(p);
  f.languages.add(projects.some((p) => p.toLowerCase().endsWith('.fsproj')) ? 'F#' : 'C#');
  f.packageManagers.add('dotnet');
  add(f, 'test', 'dotnet test', projects[0] as string);
};

/** The command kind a task runner's target name stands for (test, lint, typecheck, build), if any. */
export function kindOfTarget(name: string): CommandKind | undefined {
  const n = name.toLowerCase();
  if (['test', 'tests', 'unit', 'unittest', 'unit-test', 'test-unit'].includes(n)) return 'test';
  if (['lint', 'linter', 'style', 'fmt-check', 'format-check', 'check-format'].includes(n)) return 'lint';
  if (['typecheck', 'type-check', 'types', 'check-types', 'tsc', 'mypy'].includes(n)) return 'typecheck';
  if (n === 'build') return 'build';
  return undefined;
}

function addTargets(f: Findings, targets: Iterable<string>, command: (t: string) => string, source: string): void {
  for (const t of targets) {
    const kind = kindOfTarget(t);
    if (kind) add(f, kind, command(t), source);
  }
}

export const detectMake: Detector = async (files, f) => {
  const name = ['Makefile', 'makefile', 'GNUmakefile'].find((n) => files.names.has(n));
  if (!name) return;
  const text = (await files.read(name)) ?? '';
  f.manifests.add(name);
  // Rules at the start of a line (`test:`, `lint: deps`), not variables (`X := y`) or recipes.
  const targets = [...text.matchAll(/^([A-Za-z0-9][\w.-]*)\s*:(?!=)/gm)].map((m) => m[1] as string);
  addTargets(f, targets, (t) => `make ${t}`, name);
};

/** just: recipes at the start of a line (`test:`, `lint *args:`, `@build:`), and aliases (`alias t := test`). */
export const detectJust: Detector = async (files, f) => {
  const name = ['justfile', 'Justfile', '.justfile', 'JUSTFILE'].find((n) => files.names.has(n));
  if (!name) return;
  const text = (await files.read(name)) ?? '';
  f.manifests.add(name);
  f.frameworks.add('just');
  const recipes = [...text.matchAll(/^@?([A-Za-z0-9_][\w-]*)(?:\s+[^:=\n]*)?:(?!=)/gm)].map((m) => m[1] as string).filter((r) => !['set', 'alias', 'export', 'import', 'mod'].includes(r));
  addTargets(f, recipes, (t) => `just ${t}`, name);
};

/** Task (taskfile.dev): the keys under `tasks:`. */
export const detectTaskfile: Detector = async (files, f) => {
  const name = ['Taskfile.yml', 'Taskfile.yaml', 'taskfile.yml', 'taskfile.yaml', 'Taskfile.dist.yml', 'Taskfile.dist.yaml'].find((n) => files.names.has(n));
  if (!name) return;
  f.manifests.add(name);
  f.frameworks.add('Task');
  let doc: unknown;
  try {
    doc = parseYaml((await files.read(name)) ?? '');
  } catch {
    f.warnings.push(`${name} is not valid YAML; its tasks were ignored`);
    return;
  }
  const tasks = typeof doc === 'object' && doc !== null ? (doc as { tasks?: unknown }).tasks : undefined;
  if (typeof tasks !== 'object' || tasks === null) return;
  addTargets(f, Object.keys(tasks), (t) => `task ${t}`, name);
};

/** tox: `tox` runs the envlist; `[testenv:lint]` and the like are their own commands. nox: `@nox.session` functions. */
export const detectToxNox: Detector = async (files, f) => {
  if (files.names.has('tox.ini')) {
    const text = (await files.read('tox.ini')) ?? '';
    f.manifests.add('tox.ini');
    f.frameworks.add('tox');
    add(f, 'test', 'tox', 'tox.ini');
    const envs = [...text.matchAll(/^\[testenv:([\w.-]+)\]/gm)].map((m) => m[1] as string);
    for (const e of envs) {
      const kind = kindOfTarget(e);
      if (kind && kind !== 'test') add(f, kind, `tox -e ${e}`, 'tox.ini');
    }
  }
  if (files.names.has('noxfile.py')) {
    const text = (await files.read('noxfile.py')) ?? '';
    f.manifests.add('noxfile.py');
    f.frameworks.add('nox');
    // `@nox.session` (with or without arguments, `name=` overrides the function name), then `def NAME(`.
    for (const m of text.matchAll(/@nox\.session(?:\(([^)]*)\))?\s*\n\s*def\s+([A-Za-z_]\w*)\s*\(/g)) {
      const named = /name\s*=\s*["']([^"']+)["']/.exec(m[1] ?? '')?.[1];
      const session = named ?? (m[2] as string);
      const kind = kindOfTarget(session) ?? (session === 'tests' ? 'test' : undefined);
      if (kind) add(f, kind, `nox -s ${session}`, 'noxfile.py');
    }
  }
};

/** Cargo aliases in `.cargo/config.toml` (`[alias]`, `lint = "clippy --all-targets"`): `cargo lint`. */
export const detectCargoAliases: Detector = async (files, f) => {
  if (!files.isDir('.cargo')) return;
  const name = (await files.read('.cargo/config.toml')) !== undefined ? '.cargo/config.toml' : (await files.read('.cargo/config')) !== undefined ? '.cargo/config' : undefined;
  if (!name) return;
  const text = (await files.read(name)) ?? '';
  const section = /^\[alias\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const aliases = [...section.matchAll(/^\s*([A-Za-z0-9_-]+)\s*=/gm)].map((m) => m[1] as string);
  if (aliases.length > 0) f.manifests.add(name);
  addTargets(f, aliases, (t) => `cargo ${t}`, name);
};

export const DETECTORS: readonly Detector[] = [detectNode, detectDeno, detectPython, detectGo, detectRust, detectJvm, detectRuby, detectPhp, detectDotnet, detectMake, detectJust, detectTaskfile, detectToxNox, detectCargoAliases];
