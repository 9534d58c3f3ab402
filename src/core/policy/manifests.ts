import { canonicalSegment } from './protectedPaths';

/**
 * Files that decide what a runner executes. `npm test` is safe to allow while package.json's "test"
 * script is the one the person saw; once the run has changed package.json, `npm test` runs whatever
 * the agent wrote there, so from then on it needs a person (for the rest of the run). The same holds
 * for a Makefile and `make`, conftest.py and `pytest`, build.rs and `cargo`, and so on.
 *
 * Data, read by the approval rules (which programs to hold back) and by the edit tools and the
 * post-command audit (which changed files count).
 */
export interface ManifestRule {
  /** Canonical file names (lower case), matched at any depth. A trailing `.*` matches any extension. */
  files: readonly string[];
  programs: readonly string[];
  /** What the file controls, for the reason shown to the person. */
  what: string;
}

const JS_CONFIG = (name: string) => [`${name}.config.*`];

export const MANIFEST_RULES: readonly ManifestRule[] = [
  {
    files: ['package.json', '.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs', 'bunfig.toml', 'pnpm-workspace.yaml'],
    programs: ['npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx', 'bunx'],
    what: 'the scripts and configuration package managers run',
  },
  { files: ['makefile', 'gnumakefile', '*.mk'], programs: ['make'], what: 'the recipes make runs' },
  {
    files: ['pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini', 'noxfile.py', 'conftest.py', 'pytest.ini', 'sitecustomize.py', 'usercustomize.py', '.pth'],
    programs: ['pytest', 'py.test', 'python', 'python3', 'tox', 'nox', 'pip', 'pip3', 'uv', 'poetry', 'hatch', 'pdm'],
    what: 'what Python test runners and build tools load and run',
  },
  { files: ['cargo.toml', 'build.rs', 'config.toml'], programs: ['cargo'], what: 'build scripts and cargo configuration' },
  { files: ['justfile', '.justfile'], programs: ['just'], what: 'the recipes just runs' },
  { files: ['taskfile.yml', 'taskfile.yaml', 'taskfile.dist.yml', 'taskfile.dist.yaml'], programs: ['task'], what: 'the tasks Task runs' },
  { files: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties'], programs: ['gradle', 'gradlew', './gradlew'], what: 'the Gradle build' },
  { files: ['pom.xml'], programs: ['mvn', 'mvnw', './mvnw'], what: 'the Maven build' },
  { files: ['rakefile', 'gemfile'], programs: ['rake', 'bundle'], what: 'the tasks rake and bundler run' },
  {
    files: [...JS_CONFIG('vitest'), ...JS_CONFIG('jest'), ...JS_CONFIG('eslint'), ...JS_CONFIG('prettier'), '.eslintrc.js', '.eslintrc.cjs'],
    programs: ['vitest', 'jest', 'eslint', 'prettier', 'npm', 'pnpm', 'yarn'],
    what: 'test runner and linter configuration, which is code they run',
  },
];

/** The rules a file name falls under (by its last path segment). */
export function manifestRulesFor(relativePath: string): ManifestRule[] {
  const name = canonicalSegment(relativePath.split(/[\\/]+/).pop() ?? '');
  return MANIFEST_RULES.filter((r) => r.files.some((f) => matchesName(f, name)));
}

export function isManifest(relativePath: string): boolean {
  return manifestRulesFor(relativePath).length > 0;
}

function matchesName(pattern: string, name: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1)) && !name.slice(pattern.length - 1).includes('/');
  return name === pattern;
}

/**
 * Tracks the manifests a run changed, through its own edits or its commands. `hold(program)` says why
 * a command of that program now needs a person, or undefined.
 */
export class ManifestTracker {
  private readonly changed = new Map<string, ManifestRule[]>();

  /** Notes a changed file; returns true when it is a manifest. */
  note(relativePath: string): boolean {
    const rules = manifestRulesFor(relativePath);
    if (rules.length === 0) return false;
    this.changed.set(relativePath, rules);
    return true;
  }

  hold(program: string): string | undefined {
    const base = program.includes('/') && !program.startsWith('./') ? program.split('/').pop()! : program;
    for (const [file, rules] of this.changed) {
      const rule = rules.find((r) => r.programs.includes(base) || r.programs.includes(program));
      if (rule) return `this run changed ${file} (${rule.what}), so ${base} now runs what the agent wrote; it needs a person for the rest of the run`;
    }
    return undefined;
  }

  list(): string[] {
    return [...this.changed.keys()].sort();
  }
}
