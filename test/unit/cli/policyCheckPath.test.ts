import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runPolicyCheckPath } from '../../../src/cli/policyCheckPath';
import { tempDir } from '../../support/fixtures';

let base: string;
let root: string;

beforeAll(async () => {
  base = await realpath(await tempDir('checkpath-'));
  root = path.join(base, 'ws');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(root, 'src', 'a.ts'), 'x');
  await symlink(path.join(base, 'outside'), path.join(root, 'out'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runPolicyCheckPath(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('agent-harness policy check-path', () => {
  it('prints allow as JSON with the resolved path', async () => {
    const r = await run(['--root', root, '--json', '--', 'src/a.ts']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'allow', resolved: path.join(root, 'src', 'a.ts'), relative: 'src/a.ts' });
    expect(r.stderr).toBe('');
  });

  it('asks for a protected write and allows the same path for reading', async () => {
    const w = JSON.parse((await run(['--root', root, '--write', '--json', '--', '.VSCode/settings.json'])).stdout);
    expect(w.verdict).toBe('ask');
    expect(w.reason).toMatch(/protected/);
    const r = JSON.parse((await run([`--root=${root}`, '--json', '--', '.vscode/settings.json'])).stdout);
    expect(r.verdict).toBe('allow');
  });

  it('denies escapes with exit code 0', async () => {
    for (const p of ['../outside/x', 'out/x', '~/x', 'file:///etc/passwd']) {
      const r = await run(['--root', root, '--json', '--', p]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).verdict, p).toBe('deny');
    }
  });

  it('prints a readable line without --json', async () => {
    const r = await run(['--root', root, '--write', '--', 'AGENTS.md']);
    expect(r.stdout).toMatch(/^ask \(write\): AGENTS\.md is protected/);
    expect(r.stdout).toContain(`resolved: ${path.join(root, 'AGENTS.md')}`);
  });

  it('accepts a path that starts with a dash after --', async () => {
    const r = await run(['--root', root, '--json', '--', '-weird-name']);
    expect(JSON.parse(r.stdout).verdict).toBe('allow');
  });

  it('exits 2 with one clear line on usage mistakes', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--', 'a'], /--root DIR is required/],
      [['--root', root], /exactly one PATH/],
      [['--root', root, '--', 'a', 'b'], /exactly one PATH, got 2/],
      [['--root', root, '--frobnicate', '--', 'a'], /unknown option --frobnicate/],
      [['--root'], /--root needs a folder/],
      [['--root', path.join(base, 'missing'), '--', 'a'], /is not an existing folder/],
    ];
    for (const [argv, why] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
