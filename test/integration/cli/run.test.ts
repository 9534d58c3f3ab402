import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../../src/core/agent/runResult';
import { startScriptedServer } from '../../support/scriptedServer/server';
import { expectNoStack, runCli } from './runCli';
import { tempDir, useScriptedServer } from '../../support/fixtures';

let workspace: string;
const KEY = 'sk-cli-test-abcdef0123456789';

const server = useScriptedServer();
beforeEach(async () => {
  server.reset();
  workspace = await tempDir('ah-cli-');
  await mkdir(path.join(workspace, 'src'));
  await writeFile(path.join(workspace, 'README.md'), '# Demo\nA tiny project.\n');
  await writeFile(path.join(workspace, 'src', 'math.js'), 'function add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n');
});

function env(protocol: 'openai' | 'anthropic'): Record<string, string> {
  return {
    AGENT_HARNESS_GATEWAY_URL: protocol === 'openai' ? `${server.url}/v1` : server.url,
    AGENT_HARNESS_PROTOCOL: protocol,
    AGENT_HARNESS_MODEL: protocol === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-5',
    AGENT_HARNESS_API_KEY: KEY,
  };
}

function lastJson(stdout: string) {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return RunResultSchema.parse(JSON.parse(last));
}

describe.each(['openai', 'anthropic'] as const)('agent-harness run over %s', (protocol) => {
  it('does real work with read tools and prints the run result as the last JSON line', async () => {
    server.script([
      { toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }], usage: { input: 300, output: 20 } },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }], usage: { input: 400, output: 20 } },
      { text: 'add() subtracts instead of adding.', usage: { input: 500, output: 15 } },
    ]);
    const out = await runCli(['run', '--workspace', workspace, '--json', 'what is wrong with math.js?'], env(protocol));
    expect(out.code).toBe(0);
    const result = lastJson(out.stdout);
    expect(result).toMatchObject({ status: 'completed', output: 'add() subtracts instead of adding.', filesChanged: [], commandsRun: [], skillsUsed: [] });
    const u = result.usage;
    expect(u).toMatchObject({ inputTokens: 1200, outputTokens: 55 });
    expect(u.totalTokens).toBe(u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    // The tool results the model saw are real: the listing and the file's numbered lines.
    const third = JSON.stringify(server.requests[2]?.body);
    expect(third).toContain('math.js');
    expect(third).toContain('return a - b;');
    expect(out.stderr).toMatch(/→ list_dir/);
    expect(out.stderr).toMatch(/→ read_file/);
    expect(out.stderr).not.toContain(KEY);

    // The run was journaled and is listed, completed, by `agent-harness runs`.
    const runId = /run ([0-9a-f-]{36}) journaled/.exec(out.stderr)?.[1];
    const runs = await runCli(['runs', '--json'], env(protocol));
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toContainEqual(expect.objectContaining({ id: runId, status: 'completed', task: 'what is wrong with math.js?' }));
  });
});

describe('agent-harness run with edits', () => {
  const editTurns = () => [
    { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] },
    { text: 'Fixed add().' },
  ];

  it('writes nothing without --yes and prints the pending diff', async () => {
    server.script(editTurns());
    const out = await runCli(['run', '--workspace', workspace, '--json', 'fix add'], env('openai'));
    expect(out.code).toBe(0);
    expect(await readFile(path.join(workspace, 'src', 'math.js'), 'utf8')).toContain('return a - b;');
    expect(out.stderr).toContain('-  return a - b;');
    expect(out.stderr).toContain('+  return a + b;');
    expect(lastJson(out.stdout).filesChanged).toEqual([]);
  });

  it('applies the edit with --yes', async () => {
    server.script(editTurns());
    const out = await runCli(['run', '--workspace', workspace, '--yes', '--json', 'fix add'], env('openai'));
    expect(out.code).toBe(0);
    expect(await readFile(path.join(workspace, 'src', 'math.js'), 'utf8')).toBe('function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n');
    expect(lastJson(out.stdout).filesChanged).toEqual(['src/math.js']);
  });
});

describe('agent-harness run configuration mistakes', () => {
  it('a missing gateway is one clear line and exit 2', async () => {
    const out = await runCli(['run', '--workspace', workspace, 'task'], { AGENT_HARNESS_MODEL: 'm' });
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe('agent-harness: no gateway configured: pass --gateway-url URL or set AGENT_HARNESS_GATEWAY_URL');
  });

  it('an unknown protocol is one clear line and exit 2', async () => {
    const out = await runCli(['run', '--workspace', workspace, '--protocol', 'grpc', 'task'], env('openai'));
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/unknown protocol "grpc": use openai or anthropic/);
  });

  it('an unreachable gateway is one line naming the URL and a non-zero exit', async () => {
    const dead = await startScriptedServer();
    const url = `${dead.url}/v1`;
    await dead.close();
    const out = await runCli(['run', '--workspace', workspace, '--gateway-url', url, 'task'], { ...env('openai'), AGENT_HARNESS_GATEWAY_URL: '' });
    expect(out.code).toBe(1);
    expectNoStack(out.stderr);
    expect(out.stderr).toContain(`cannot reach the gateway at ${url}`);
  });

  it('a rejected key says how to fix it, without printing the key', async () => {
    server.script([{ fault: 'status', status: 401 }, { fault: 'status', status: 401 }, { fault: 'status', status: 401 }]);
    const out = await runCli(['run', '--workspace', workspace, '--json', 'task'], env('anthropic'));
    expect(out.code).toBe(1);
    expectNoStack(out.stderr);
    expect(out.stderr).toMatch(/rejected the API key \(HTTP 401\).*AGENT_HARNESS_API_KEY/);
    expect(out.stderr + out.stdout).not.toContain(KEY);
    expect(lastJson(out.stdout).status).toBe('failed');
  });

  it('a missing task, an unknown flag and a missing workspace are usage errors', async () => {
    for (const args of [['run'], ['run', '--frobnicate', 'x'], ['run', '--workspace', '/nonexistent/dir', 'x'], ['launch']]) {
      const out = await runCli(args, env('openai'));
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expectNoStack(out.stderr);
    }
  });
});

describe('agent-harness checkpoint', () => {
  it('undoes every file change of a run, including files it created', async () => {
    server.script([
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'src/new/helper.js', content: 'module.exports = 1;\n' } }] },
      { text: 'done' },
    ]);
    const out = await runCli(['run', '--workspace', workspace, '--yes', '--json', 'fix and add a helper'], env('openai'));
    expect(out.code).toBe(0);
    expect(lastJson(out.stdout).filesChanged).toEqual(['src/math.js', 'src/new/helper.js']);
    const runId = /checkpoint restore ([0-9a-f-]{36})/.exec(out.stderr)?.[1];
    expect(runId).toBeTruthy();

    const listed = await runCli(['checkpoint', 'list', '--json'], env('openai'));
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ runId, files: expect.arrayContaining(['src/math.js', 'src/new/helper.js']) }));

    const restored = await runCli(['checkpoint', 'restore', runId!, '--json'], env('openai'));
    expect(restored.code, restored.stderr).toBe(0);
    expect(await readFile(path.join(workspace, 'src', 'math.js'), 'utf8')).toContain('return a - b;');
    await expect(readFile(path.join(workspace, 'src', 'new', 'helper.js'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses to restore over a file changed after the run, unless forced', async () => {
    server.script([{ toolCalls: [{ name: 'edit_file', arguments: { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] }, { text: 'done' }]);
    const out = await runCli(['run', '--workspace', workspace, '--yes', '--json', 'fix'], env('openai'));
    const runId = /checkpoint restore ([0-9a-f-]{36})/.exec(out.stderr)?.[1] ?? 'missing-run-id';
    await writeFile(path.join(workspace, 'src', 'math.js'), 'my own later work\n');
    const refused = await runCli(['checkpoint', 'restore', runId], env('openai'));
    expect(refused.code).toBe(1);
    expect(await readFile(path.join(workspace, 'src', 'math.js'), 'utf8')).toBe('my own later work\n');
    const forced = await runCli(['checkpoint', 'restore', runId, '--force'], env('openai'));
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(workspace, 'src', 'math.js'), 'utf8')).toContain('return a - b;');
  });
});
