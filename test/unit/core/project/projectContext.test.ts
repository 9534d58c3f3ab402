import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detectedCommands, detectProjectContext, nestHeadings, renderProjectSummary } from '../../../../src/core/project/projectContext';
import { tempDir } from '../../../support/fixtures';

let root: string;
let outside: string;

beforeEach(async () => {
  root = await tempDir('ah-proj-');
  outside = await tempDir('ah-proj-out-');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
}

describe('detectProjectContext', () => {
  it('detects a TypeScript pnpm project with test and lint scripts and frameworks', async () => {
    await tree({
      'package.json': JSON.stringify({ scripts: { test: 'vitest run', lint: 'eslint .', build: 'tsc' }, devDependencies: { typescript: '5', vitest: '4' }, dependencies: { react: '19' } }),
      'pnpm-lock.yaml': '',
      'tsconfig.json': '{}',
    });
    const ctx = await detectProjectContext(root);
    expect(ctx.languages).toEqual(['JavaScript', 'TypeScript']);
    expect(ctx.frameworks).toEqual(['React', 'Vitest']);
    expect(ctx.packageManagers).toEqual(['pnpm']);
    expect(detectedCommands(ctx)).toEqual(['pnpm test', 'pnpm lint']);
    expect(ctx.commands.find((c) => c.kind === 'build')?.command).toBe('pnpm build');
  });

  it('maps lockfiles to npm and yarn, and ignores the npm init placeholder test script', async () => {
    await tree({ 'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'eslint' } }), 'yarn.lock': '' });
    const ctx = await detectProjectContext(root);
    expect(ctx.packageManagers).toEqual(['yarn']);
    expect(detectedCommands(ctx)).toEqual(['yarn lint']);
    await rm(path.join(root, 'yarn.lock'));
    await tree({ 'package-lock.json': '{}' });
    expect(detectedCommands(await detectProjectContext(root))).toEqual(['npm run lint']);
  });

  it('detects Python from pyproject with pytest, ruff and poetry', async () => {
    await tree({
      'pyproject.toml': '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "*"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n\n[tool.ruff]\nline-length = 100\n',
    });
    const ctx = await detectProjectContext(root);
    expect(ctx.languages).toEqual(['Python']);
    expect(ctx.frameworks).toEqual(['FastAPI', 'pytest']);
    expect(ctx.packageManagers).toEqual(['poetry']);
    expect(detectedCommands(ctx)).toEqual(['poetry run pytest', 'poetry run ruff check .']);
  });

  it('detects Python from requirements.txt and a PEP 621 dependency array', async () => {
    await tree({ 'requirements.txt': 'Django==5.0\npytest>=8 # tests\n', 'pyproject.toml': '[project]\nname = "y"\ndependencies = [\n  "flask>=3",\n  "mypy",\n]\n' });
    const ctx = await detectProjectContext(root);
    expect(ctx.frameworks).toEqual(['Django', 'Flask', 'pytest']);
    expect(ctx.packageManagers).toEqual(['pip']);
    expect(detectedCommands(ctx)).toEqual(['pytest', 'mypy .']);
  });

  it('detects Go, Rust, Maven with wrapper, Gradle, Ruby, PHP and .NET', async () => {
    await tree({
      'go.mod': 'module example.com/x\n',
      'Cargo.toml': '[package]\nname = "x"\n[dependencies]\ntokio = { version = "1" }\n',
      'pom.xml': '<project><artifactId>spring-boot-starter</artifactId></project>',
      mvnw: '#!/bin/sh\n',
      'build.gradle.kts': 'plugins { kotlin("jvm") }\n',
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'rubocop'\n",
      'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11' }, 'require-dev': { 'phpunit/phpunit': '^11' } }),
      'App.sln': '',
    });
    const ctx = await detectProjectContext(root);
    expect(ctx.languages).toEqual(['C#', 'Go', 'Java', 'Kotlin', 'PHP', 'Ruby', 'Rust']);
    expect(ctx.packageManagers).toEqual(['bundler', 'cargo', 'composer', 'dotnet', 'go modules', 'gradle', 'maven']);
    expect(ctx.frameworks).toEqual(['Laravel', 'Rails', 'Spring Boot', 'Tokio']);
    const cmds = detectedCommands(ctx);
    for (const c of ['go test ./...', 'cargo test', './mvnw test', 'gradle test', 'bin/rails test', 'vendor/bin/phpunit', 'dotnet test', 'cargo clippy', 'bundle exec rubocop', 'go vet ./...']) {
      expect(cmds).toContain(c);
    }
  });

  it('loads AGENTS.md and CLAUDE.md as instructions and renders a byte-stable summary', async () => {
    await tree({ 'AGENTS.md': '# Rules\r\nUse tabs.\r\n', 'CLAUDE.md': 'Be brief.\n', 'go.mod': 'module x\n' });
    const a = await detectProjectContext(root);
    const b = await detectProjectContext(root);
    expect(a.instructions.map((i) => [i.path, i.content])).toEqual([['AGENTS.md', '# Rules\nUse tabs.'], ['CLAUDE.md', 'Be brief.']]);
    const text = renderProjectSummary(a);
    expect(renderProjectSummary(b)).toBe(text);
    expect(text).toBe(
      'Languages: Go\nPackage managers: go modules\nManifests: go.mod\nTest commands: go test ./...\nLint commands: go vet ./...\n\n## Instructions from AGENTS.md\n### Rules\nUse tabs.\n\n## Instructions from CLAUDE.md\nBe brief.\n',
    );
    expect(text).not.toContain(root);
  });

  it('caps long instructions and says so', async () => {
    await tree({ 'AGENTS.md': 'é'.repeat(100) });
    const ctx = await detectProjectContext(root, { maxInstructionBytes: 51 });
    expect(ctx.instructions[0]?.truncated).toBe(true);
    expect(ctx.instructions[0]?.content).toBe('é'.repeat(25));
    expect(renderProjectSummary(ctx)).toContain('[AGENTS.md was cut at the size limit; read the file for the rest]');
  });

  it('does not read an AGENTS.md that links outside the workspace', async () => {
    await writeFile(path.join(outside, 'secret.md'), 'SECRET');
    await symlink(path.join(outside, 'secret.md'), path.join(root, 'AGENTS.md'));
    const ctx = await detectProjectContext(root);
    expect(ctx.instructions).toEqual([]);
    expect(renderProjectSummary(ctx)).not.toContain('SECRET');
  });

  it('reports an invalid package.json as a warning instead of failing', async () => {
    await tree({ 'package.json': '{ not json' });
    const ctx = await detectProjectContext(root);
    expect(ctx.warnings).toEqual(['package.json is not a valid JSON object; it was ignored']);
    expect(ctx.languages).toEqual(['JavaScript']);
  });

  it('renders an empty workspace plainly', async () => {
    const ctx = await detectProjectContext(root);
    expect(renderProjectSummary(ctx)).toBe('Languages: none detected\nPackage managers: none detected\n');
    expect(detectedCommands(ctx)).toEqual([]);
  });
});

describe('task runners teams use besides package.json', () => {
  const commands = async () => (await detectProjectContext(root)).commands.map((c) => `${c.kind}: ${c.command} (${c.source})`);

  it('reads just recipes (with arguments, quiet @, aliases and settings that are not recipes)', async () => {
    await tree({ justfile: 'set shell := ["bash", "-c"]\nalias t := test\n\n# run the tests\ntest *args:\n    cargo test {{args}}\n\n@lint:\n    cargo clippy\n\nbuild:\n    cargo build\n\ndeploy env:\n    ./deploy {{env}}\n' });
    expect(await commands()).toEqual(['test: just test (justfile)', 'lint: just lint (justfile)', 'build: just build (justfile)']);
  });

  it('reads Taskfile tasks', async () => {
    await tree({ 'Taskfile.yml': "version: '3'\ntasks:\n  test:\n    cmds: [go test ./...]\n  lint:\n    cmds: [golangci-lint run]\n  typecheck:\n    cmds: [tsc --noEmit]\n  release:\n    cmds: [goreleaser]\n" });
    expect(await commands()).toEqual(['test: task test (Taskfile.yml)', 'lint: task lint (Taskfile.yml)', 'typecheck: task typecheck (Taskfile.yml)']);
  });

  it('reads tox environments and nox sessions', async () => {
    await tree({
      'tox.ini': '[tox]\nenvlist = py311\n\n[testenv]\ncommands = pytest\n\n[testenv:lint]\ncommands = ruff check .\n\n[testenv:type]\ncommands = mypy .\n',
      'noxfile.py': 'import nox\n\n@nox.session\ndef tests(session):\n    session.run("pytest")\n\n@nox.session(python=["3.12"], name="lint")\ndef run_linters(session):\n    session.run("ruff", "check")\n\n@nox.session\ndef docs(session):\n    pass\n',
    });
    const cmds = await commands();
    expect(cmds).toContain('test: tox (tox.ini)');
    expect(cmds).toContain('lint: tox -e lint (tox.ini)');
    expect(cmds).toContain('test: nox -s tests (noxfile.py)');
    expect(cmds).toContain('lint: nox -s lint (noxfile.py)');
    expect(cmds.some((c) => c.includes('docs'))).toBe(false);
  });

  it('reads Cargo aliases and Makefile targets beyond test and lint', async () => {
    await tree({
      'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n',
      '.cargo/config.toml': '[build]\njobs = 4\n\n[alias]\nlint = "clippy --all-targets -- -D warnings"\nxtask = "run --package xtask --"\n\n[env]\nFOO = "1"\n',
      Makefile: 'CC := gcc\n\ntest: build\n\t./run-tests\n\ntypecheck:\n\tmypy .\n\n.PHONY: test\n',
    });
    const cmds = await commands();
    expect(cmds).toContain('lint: cargo lint (.cargo/config.toml)');
    expect(cmds.some((c) => c.includes('xtask'))).toBe(false);
    expect(cmds).toContain('test: make test (Makefile)');
    expect(cmds).toContain('typecheck: make typecheck (Makefile)');
    // The allowlist takes them (builds excluded), as it takes npm test.
    expect(detectedCommands(await detectProjectContext(root))).toEqual(expect.arrayContaining(['make test', 'cargo lint', 'make typecheck']));
  });

  it('reports a broken Taskfile instead of failing', async () => {
    await tree({ 'Taskfile.yml': 'tasks: [\n' });
    const ctx = await detectProjectContext(root);
    expect(ctx.warnings).toEqual(['Taskfile.yml is not valid YAML; its tasks were ignored']);
  });
});

describe("an instruction file's headings sit under the prompt's", () => {
  it('moves the top level to ###, keeps relative depth, converts setext headings and leaves code alone', () => {
    const md = ['# Project rules', 'Use pnpm.', '', '## Testing', 'Run `pnpm test`.', '', 'Style', '=====', 'Short lines.', '', 'Notes', '-----', '```sh', '# not a heading', '```', '#### Deep', '- item', '---'].join('\n');
    expect(nestHeadings(md, 3)).toBe(['### Project rules', 'Use pnpm.', '', '#### Testing', 'Run `pnpm test`.', '', '### Style', 'Short lines.', '', '#### Notes', '```sh', '# not a heading', '```', '###### Deep', '- item', '---'].join('\n'));
  });

  it('renders AGENTS.md nested under its "## Instructions from" heading', async () => {
    await tree({ 'AGENTS.md': '# Setup\nnpm ci\n## Tests\nnpm test\n' });
    const text = renderProjectSummary(await detectProjectContext(root));
    expect(text).toContain('## Instructions from AGENTS.md\n### Setup\nnpm ci\n#### Tests\nnpm test');
    expect(text).not.toMatch(/^# Setup/m);
  });
});
