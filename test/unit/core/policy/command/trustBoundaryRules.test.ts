import { describe, expect, it } from 'vitest';
import { defaultAllowlist } from '../../../../../src/core/policy/command/allowlist';
import { PERSON_ONLY_RISKS } from '../../../../../src/core/policy/command/policyTypes';
import { check } from './policyHelpers';

/**
 * Issue 14, items 3 and 11: writes and code through allowlisted programs' arguments are judged against
 * the one protected list, inline-code channels ask as code, and the everyday forms that cost a person
 * for nothing are allowed. Every case names the class it stands for, not a particular exploit.
 */
const WRITERS = ['cp', 'mv', 'tee', 'dd', 'install', 'ln', 'touch', 'mkdir', 'rm', 'chmod', 'sort', 'uniq', 'tree', 'base64', 'diff', 'git', 'node', 'python', 'python3', 'pytest', 'sed', 'rg', 'make', 'cat', 'head', 'grep', 'npm', 'eslint'];

describe('output operands and flags of allowlisted programs are checked against the protected list', () => {
  it.each([
    ['cp evil .git/hooks/pre-commit'],
    ['cp -t .vscode tasks.json'],
    ['cp --target-directory=.devcontainer x.json'],
    ['mv notes.md AGENTS.md'],
    ['mv .git/config /tmp/x'],
    ['tee .npmrc'],
    ['tee -a src/a.txt .mcp.json'],
    ['dd if=x of=.git/config'],
    ['install -m 755 hook .git/hooks/post-checkout'],
    ['ln -s ../evil .husky/pre-commit'],
    ['touch .envrc'],
    ['mkdir -p .claude/commands'],
    ['rm -rf .git'],
    ['chmod +x .git/hooks/pre-push'],
    ['sort -o .gitattributes in.txt'],
    ['sort --output=.github/skills/x/SKILL.md a'],
    ['uniq in.txt .gitmodules'],
    ['tree -o .vscode/settings.json'],
    ['base64 -d -o .npmrc blob.txt'],
    ['diff --output=.devcontainer.json a b'],
    ['git diff --output=.git/hooks/pre-commit'],
    ['node --test --test-reporter=spec --test-reporter-destination=.vscode/tasks.json'],
    ['python -m json.tool in.json .mcp.json'],
    ['pytest --junitxml=.git/config'],
    ['pytest --log-file .claude/settings.json'],
  ])('%s is denied as a protected write', async (line) => {
    const v = await check(line, WRITERS);
    expect(v.verdict).toBe('deny');
    expect(v.risks).toContain('protected');
  });

  it.each([
    ['cp a.txt b.txt'],
    ['mkdir -p build/out'],
    ['tee out.log'],
    ['node --test --test-reporter=junit --test-reporter-destination=junit.xml'],
    ['pytest --junitxml=reports/junit.xml'],
  ])('%s, an ordinary write by an allowlisted writer, is allowed', async (line) => {
    expect((await check(line, WRITERS)).verdict).toBe('allow');
  });

  it.each([
    ['sort -o out.txt in.txt'],
    ['uniq in.txt out.txt'],
    ['tree -o listing.txt'],
  ])('%s writes a file with a read-only tool: it asks as a write, not as code', async (line) => {
    const v = await check(line, WRITERS);
    expect(v.verdict).toBe('ask');
    expect(v.risks).toEqual(['write']);
  });
});

describe('inline code and module loading through arguments ask as code execution', () => {
  it.each([
    ['node --test "--test-reporter=data:text/javascript;base64,AAAA"', /loads a module as the reporter/],
    ['node --test --test-reporter=./my-reporter.mjs', /loads a module/],
    ['node --test --test-reporter ./r.js', /loads a module/],
    ['node --import ./x.mjs --test', /loads extra modules/],
    ['node -r ./x.js app.js', /loads extra modules/],
    ['node --env-file=.env.test app.js', /loads extra modules/],
    ['python -m timeit "import os; os.system(\'id\')"', /timeit runs the code/],
    ['python3 -m pytest -p evil_plugin', /loads a plugin/],
    ['pytest -p mymod', /loads a plugin/],
    ['pytest -o addopts=-pevil', /configuration and plugins/],
    ['pytest -c /tmp/evil.ini', /configuration and plugins/],
    ['NODE_OPTIONS=--require=./x.js npm test', /NODE_OPTIONS/],
    ['PYTHONSTARTUP=x.py python app.py', /PYTHONSTARTUP/],
    ['LD_PRELOAD=./x.so ls', /LD_PRELOAD/],
    ['export NODE_OPTIONS=--require=./x.js; npm test', /changes shell state/],
    ['rg --pre ./decode.sh foo', /--pre runs a program/],
    ['rg -z secret', /decompression programs/],
    ['make -f /tmp/evil.mk', /make -f/],
    ['git -C /tmp/other status', /configuration of the repository/],
    ['git -C .git status', /configuration of the repository/],
    ['eslint --rulesdir ./rules src', /loads rules or plugins/],
  ])('%s', async (line, reason) => {
    const v = await check(line, [...WRITERS, 'npm test', 'ls']);
    expect(v.verdict).toBe('ask');
    expect(v.reasons.join('\n')).toMatch(reason);
    expect(v.risks).toContain('code');
  });

  it('a here-document written to a protected path is denied', async () => {
    for (const line of ['cat <<EOF > .git/config\n[core]\nEOF', 'cat > .vscode/tasks.json <<EOF\n{}\nEOF', 'tee .npmrc <<EOF\nx\nEOF']) {
      const v = await check(line, WRITERS);
      expect(v.verdict, line).toBe('deny');
    }
  });
});

describe('reading git internals or credentials through a command asks, as read_file does', () => {
  it.each([['cat .git/config'], ['head -n 5 .env'], ['grep token .env.production'], ['cp .env leak.txt'], ['wc -l < .env']])('%s', async (line) => {
    const v = await check(line, WRITERS);
    expect(v.verdict).toBe('ask');
    expect(v.risks).toContain('secret');
  });

  it('a pattern that mentions .env is not a file read', async () => {
    expect((await check('grep -rn .env src', WRITERS)).verdict).toBe('allow');
  });
});

describe('everyday forms that cost a person for nothing are allowed (issue 14, item 11)', () => {
  const defaults = defaultAllowlist(['npm test']);
  it.each([
    ['npm test; echo "exit=$?"'],
    ['ls src/*.ts'],
    ['wc -l lib/*.py test/*.py'],
    ['cd packages/app && npm test'],
    ['id'],
    ['ps aux'],
    ['git -C packages/app status'],
  ])('%s', async (line) => {
    const v = await check(line, defaults);
    expect(v.verdict, v.reasons.join('; ')).toBe('allow');
  });

  it('a glob stays a question where it can reach dot files or credentials, or feeds a program that acts on names', async () => {
    for (const line of ['cat .g*/config', 'cat *.pem', 'node scripts/*.js', 'ls ~/*']) expect((await check(line, [...defaults, 'node'])).verdict, line).toBe('ask');
  });
});

describe('risks', () => {
  it('an unclassified question counts as code, so no auto-approval tier can answer it', async () => {
    const v = await check('bash -c "echo hi"', ['ls']);
    expect(v.risks).toEqual(['code']);
    expect(PERSON_ONLY_RISKS.has('code')).toBe(true);
  });

  it('an unlisted program, a write and shell syntax are the kinds a tier may approve', async () => {
    expect((await check('shellcheck x.sh', ['ls'])).risks).toEqual(['unlisted']);
    expect((await check('echo hi > notes.txt', ['echo'])).risks).toEqual(['write']);
    expect((await check('for f in a b; do ls $f; done', ['ls'])).risks).toEqual(['syntax']);
  });

  it('network programs ask as network', async () => {
    expect((await check('curl https://example.com', ['ls'])).risks).toEqual(['network']);
    expect((await check('git push origin main', ['git'])).risks).toEqual(['network']);
  });

  it('allowed commands that run project code carry that capability', async () => {
    const v = await check('npm test && ls', ['npm test', 'ls']);
    expect(v.verdict).toBe('allow');
    expect(v.segments.map((s) => s.capability)).toEqual(['code', undefined]);
  });

  it('local mode asks only as local for what a container would allow', async () => {
    const v = await check('ls', ['ls'], { mode: 'local' });
    expect(v.verdict).toBe('ask');
    expect(v.risks).toEqual(['local']);
  });
});
