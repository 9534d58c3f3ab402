import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../../src/core/agent/runResult';
import { buildStdioServer } from '../../support/mcpServer/buildStdioServer';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer/server';
import { expectNoStack, runCli } from '../cli/runCli';
import { tempDir } from '../../support/fixtures';

let model: ScriptedServer;
let serverFile: string;
let workspace: string;
let pidFile: string;

beforeAll(async () => {
  [model, serverFile] = await Promise.all([startScriptedServer(), buildStdioServer()]);
});
afterAll(async () => {
  await model.close();
});
beforeEach(async () => {
  model.reset();
  workspace = await tempDir('ah-cli-mcp-');
  pidFile = path.join(workspace, 'mcp.pid');
  await mkdir(path.join(workspace, '.agent-harness'));
  await writeFile(path.join(workspace, 'README.md'), '# Demo\n');
  await writeFile(
    path.join(workspace, '.agent-harness', 'mcp.json'),
    JSON.stringify({
      servers: {
        calc: { command: process.execPath, args: [serverFile], env: { MCP_TEST_PID_FILE: pidFile, GREETING: '${env:MCP_GREETING}' } },
        broken: { command: 'no-such-mcp-program-xyz' },
      },
    }),
  );
});

function env(): Record<string, string> {
  return {
    AGENT_HARNESS_GATEWAY_URL: `${model.url}/v1`,
    AGENT_HARNESS_PROTOCOL: 'openai',
    AGENT_HARNESS_MODEL: 'gpt-4o',
    AGENT_HARNESS_API_KEY: 'sk-cli-mcp-test-abcdef0123456789',
    MCP_GREETING: 'hello via env',
  };
}

const turns = () => [
  { toolCalls: [{ name: 'calc__add', arguments: { a: 2, b: 40 } }] },
  { toolCalls: [{ name: 'calc__env_value', arguments: { name: 'GREETING' } }] },
  { text: 'The sum is 42.' },
];

function lastJson(stdout: string) {
  return RunResultSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
}

/** The tool results the model received, in order (OpenAI wire: role "tool" messages). */
function toolResults(): string[] {
  const last = model.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
  return last.messages.filter((m) => m.role === 'tool').map((m) => m.content);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('agent-harness run with MCP tools', () => {
  it('offers the MCP tools to the model, runs an approved call (--yes) and passes the result back; a broken server is reported', async () => {
    model.script(turns());
    const out = await runCli(['run', '--workspace', workspace, '--trust-workspace', '--json', '--yes', 'add 2 and 40'], env());
    expectNoStack(out.stderr);
    expect(out.code).toBe(0);
    expect(lastJson(out.stdout)).toMatchObject({ status: 'completed', output: 'The sum is 42.' });

    const first = model.requests[0]!.body as { tools: { function: { name: string; parameters: unknown } }[] };
    const add = first.tools.find((t) => t.function.name === 'calc__add');
    expect(add?.function.parameters).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    expect(first.tools.some((t) => t.function.name.startsWith('broken__'))).toBe(false);

    expect(toolResults()).toEqual(['42', 'hello via env']);
    expect(out.stderr).toContain('agent-harness: MCP server "broken" left out: cannot start "no-such-mcp-program-xyz": no such program');
    expect(out.stderr).toMatch(/→ calc__add/);

    // The session ended the server's process when the run was over.
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });

  it('refuses the MCP call in a non-interactive run without --yes, and the model is told why', async () => {
    model.script(turns());
    const out = await runCli(['run', '--workspace', workspace, '--trust-workspace', '--json', 'add 2 and 40'], env());
    expectNoStack(out.stderr);
    expect(out.code).toBe(0);
    const results = toolResults();
    expect(results).toHaveLength(2);
    for (const r of results) expect(r).toMatch(/^Not run: the user declined: no one can approve it in a non-interactive run; re-run with --yes/);
  });

  it('lets a profile select one server by prefix and leave the others out', async () => {
    await mkdir(path.join(workspace, '.agent-harness', 'profiles'));
    await writeFile(path.join(workspace, '.agent-harness', 'profiles', 'calc-only.yaml'), 'name: calc-only\ntools: [read_file, "calc__a*"]\nskills: []\n');
    model.script([{ text: 'ok' }]);
    const out = await runCli(['run', '--workspace', workspace, '--trust-workspace', '--json', '--profile', 'calc-only', 'hi'], env());
    expect(out.code).toBe(0);
    const first = model.requests[0]!.body as { tools: { function: { name: string } }[] };
    expect(first.tools.map((t) => t.function.name).sort()).toEqual(['calc__add', 'read_file']);
  });

  it('does not offer the model a tool mcp.json denies', async () => {
    await writeFile(path.join(workspace, '.agent-harness', 'mcp.json'), JSON.stringify({ servers: { calc: { command: process.execPath, args: [serverFile], tools: { wipe: 'deny' } } } }));
    model.script([{ text: 'ok' }]);
    const out = await runCli(['run', '--workspace', workspace, '--trust-workspace', '--json', 'hi'], env());
    expect(out.code).toBe(0);
    const names = (model.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
    expect(names).toContain('calc__add');
    expect(names).not.toContain('calc__wipe');
  });
});

describe('workspace content that widens what the agent may do waits for a person (issue 14, item 5)', () => {
  it('a stdio MCP server from the workspace does not start without a person or --trust-workspace', async () => {
    model.script([{ text: 'no tools' }]);
    const out = await runCli(['run', '--workspace', workspace, '--json', 'hi'], env());
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/MCP server "calc" left out: not started: it runs ".*" on this machine, and a person has not approved that command line/);
    expect(JSON.stringify(model.requests[0]?.body)).not.toContain('calc__add');
    await expect(readFile(pidFile, 'utf8')).rejects.toThrow();
  });

  it('a workspace skill that grants a command has no grant without trust; the instructions still load', async () => {
    await mkdir(path.join(workspace, '.agents', 'skills', 'deploy'), { recursive: true });
    await writeFile(
      path.join(workspace, '.agents', 'skills', 'deploy', 'SKILL.md'),
      '---\nname: deploy\ndescription: Deploys the app\ntriggers:\n  - deploy\ncommands:\n  - "curl"\n---\nRun curl to deploy.\n',
    );
    model.script([{ toolCalls: [{ name: 'run_command', arguments: { command: 'curl https://example.com' } }] }, { text: 'ok' }]);
    const out = await runCli(['run', '--workspace', workspace, '--sandbox', 'local', '--auto-approve', 'all', '--json', 'deploy it'], env());
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/skill deploy \(\.agents\/skills\/deploy\/SKILL\.md\) grants command "curl"; its grants are off/);
    expect(lastJson(out.stdout).commandsRun).toEqual([]);
    expect(lastJson(out.stdout).skillsUsed.map((s) => s.name)).toContain('deploy');
  });
});
