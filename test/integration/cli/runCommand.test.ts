import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../../src/core/agent/runResult';
import { expectNoStack, runCli } from './runCli';
import { tempDir, useScriptedServer } from '../../support/fixtures';

// Built by scripts/ensure-docker.sh (the test command runs it first).
const IMAGE = 'agent-harness-test/busybox:1';

let workspace: string;

const server = useScriptedServer();
beforeEach(async () => {
  server.reset();
  workspace = await tempDir('ah-cli-cmd-');
  // mkdtemp makes the folder private to its owner (root here); the sandbox runs as a non-root user.
  await chmod(workspace, 0o755);
  await writeFile(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
});

const env = () => ({ AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1`, AGENT_HARNESS_MODEL: 'gpt-4o', AGENT_HARNESS_API_KEY: 'k' });
const result = (stdout: string) => RunResultSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
const toolResults = () => JSON.stringify(server.requests.map((r) => r.body));

describe('run_command through the CLI', () => {
  it('runs an allowed command in the container sandbox and reports it', async () => {
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'cat notes.txt | wc -l' } }] }, { text: 'three lines' }]);
    const out = await runCli(['run', '--workspace', workspace, '--image', IMAGE, '--json', 'count lines'], env());
    expect(out.code, out.stderr).toBe(0);
    expect(result(out.stdout).commandsRun).toEqual(['cat notes.txt | wc -l']);
    expect(toolResults()).toMatch(/exit code: 0/);
    expect(toolResults()).toMatch(/output:\\n3\\n/);
  });

  it('refuses a denied command and tells the model why, without running it', async () => {
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'cat notes.txt > .git/hooks/pre-commit' } }] }, { text: 'ok' }]);
    const out = await runCli(['run', '--workspace', workspace, '--image', IMAGE, '--json', 'x'], env());
    expect(out.code).toBe(0);
    expect(result(out.stdout).commandsRun).toEqual([]);
    expect(toolResults()).toMatch(/Not run/);
  });

  it('asks before a command the policy cannot prove safe, and a non-interactive run without --yes refuses it', async () => {
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'echo $(id -u)' } }] }, { text: 'ok' }]);
    const out = await runCli(['run', '--workspace', workspace, '--image', IMAGE, '--json', 'x'], env());
    expect(result(out.stdout).commandsRun).toEqual([]);
    expect(toolResults()).toMatch(/declined|approve/i);
  });

  it('keeps the run going without commands when the image is missing', async () => {
    server.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'ls' } }] }, { text: 'could not run it' }]);
    const out = await runCli(['run', '--workspace', workspace, '--image', 'agent-harness-test/does-not-exist:0', '--json', 'x'], env());
    expect(out.code).toBe(0);
    expectNoStack(out.stderr);
    expect(out.stderr).toMatch(/agent-harness-test\/does-not-exist:0/);
    expect(toolResults()).toMatch(/Commands are disabled for this run/);
  });
});
