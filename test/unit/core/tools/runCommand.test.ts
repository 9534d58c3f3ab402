import { describe, expect, it } from 'vitest';
import { createRunCommandTool, capText, type CommandApproval, type CommandApprovalRequest } from '../../../../src/core/tools/runCommand';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { FakeSandbox } from '../../../support/fakeSandbox';
import { policy } from '../policy/command/policyHelpers';
import { toolContext } from '../../../support/fixtures';

function setup(opts: { mode?: 'container' | 'local'; answer?: CommandApproval; allow?: string[]; localAutoAllow?: boolean } = {}) {
  const sandbox = new FakeSandbox(opts.mode ?? 'container');
  const asked: CommandApprovalRequest[] = [];
  const tool = createRunCommandTool({
    policy: policy(opts.allow ?? ['ls', 'cat', 'grep', 'npm test', 'cd'], { localAutoAllow: opts.localAutoAllow ?? false }),
    sandbox,
    approve: async (request) => {
      asked.push(request);
      return opts.answer ?? { approved: false };
    },
    defaultTimeoutMs: 60_000,
    maxTimeoutMs: 600_000,
    maxOutputChars: 200,
  });
  const registry = new ToolRegistry([tool]);
  const call = (args: object) => registry.call('run_command', JSON.stringify(args), toolContext({ runId: 'r1', callId: 'c1' }));
  return { sandbox, asked, tool, call };
}

describe('run_command', () => {
  it('is a command tool with the fixed name and arguments', () => {
    const { tool } = setup();
    expect(tool.name).toBe('run_command');
    expect(tool.kind).toBe('command');
    expect(Object.keys((tool.inputSchema as { properties: object }).properties)).toEqual(['command', 'timeout_ms', 'cwd']);
  });

  it('runs an allowed command without asking and reports exit code, duration, output and reasons', async () => {
    const { sandbox, asked, call } = setup();
    sandbox.willReturn({ exitCode: 0, output: 'a.txt\nb.txt\n', durationMs: 42 });
    const out = await call({ command: 'ls -la src' });
    expect(asked).toEqual([]);
    expect(out.isError).toBe(false);
    expect(out.commandsRun).toEqual(['ls -la src']);
    expect(out.content).toContain('exit code: 0 · duration: 42 ms');
    expect(out.content).toContain('a.txt\nb.txt');
    expect(out.content).toMatch(/policy: allowed by the command policy: ls -la src: ls only reads/);
    expect(sandbox.requests[0]).toMatchObject({ commandLine: 'ls -la src', segments: [{ argv: ['ls', '-la', 'src'] }], timeoutMs: 60_000 });
  });

  it('runs in the working directory it is given, relative to the workspace root', async () => {
    const { sandbox, call } = setup();
    await call({ command: 'npm test', cwd: 'packages/app' });
    await call({ command: 'ls', cwd: '.' });
    expect(sandbox.requests[0]?.cwd).toBe('packages/app');
    expect(sandbox.requests[1]?.cwd).toBeUndefined();
  });

  it('reports the audit after the command, refused network requests and changed manifests to the model', async () => {
    const { sandbox, call } = setup();
    sandbox.willReturn({ exitCode: 0, output: 'ok', audit: ['.git/hooks/pre-commit: a protected entry the command created; moved out of the workspace'], egressRefused: ['CONNECT evil.example:443'], manifestsChanged: ['package.json'] });
    const out = await call({ command: 'npm test' });
    expect(out.content).toMatch(/workspace audit after the command[\s\S]*\.git\/hooks\/pre-commit/);
    expect(out.content).toMatch(/refused by the egress allowlist[\s\S]*evil\.example/);
    expect(out.content).toMatch(/changed: package\.json/);
    expect(out.filesChanged).toEqual(['package.json']);
  });

  it('passes the parsed segments with their joiners to the sandbox', async () => {
    const { sandbox, call } = setup();
    await call({ command: 'cat a.txt | grep foo && npm test' });
    expect(sandbox.requests[0]?.segments).toEqual([
      { argv: ['cat', 'a.txt'] },
      { argv: ['grep', 'foo'], joiner: '|' },
      { argv: ['npm', 'test'], joiner: '&&' },
    ]);
  });

  it('refuses a denied command with the reasons, without asking or running', async () => {
    const { sandbox, asked, call } = setup();
    const out = await call({ command: 'echo x > .git/hooks/pre-commit' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/refused this command:\n- .*protected path/);
    expect(asked).toEqual([]);
    expect(sandbox.requests).toEqual([]);
    expect(out.commandsRun).toBeUndefined();
  });

  it('asks with the exact command, the reasons and the sandbox description; a refusal does not run', async () => {
    const { sandbox, asked, call } = setup({ answer: { approved: false, reason: 'not now' } });
    const out = await call({ command: 'rm -rf build' });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ command: 'rm -rf build', reasons: ['rm -rf build: rm is not on the allowlist'], sandbox: 'fake container (image test:1)' });
    expect(sandbox.requests).toEqual([]);
    expect(out.isError).toBe(true);
    expect(out.content).toContain('did not approve');
    expect(out.content).toContain('The user said: not now');
    expect(out.content).toContain('rm is not on the allowlist');
  });

  it('runs an asked command once approved and says so', async () => {
    const { sandbox, call } = setup({ answer: { approved: true } });
    sandbox.willReturn({ exitCode: 1, output: 'boom' });
    const out = await call({ command: 'rm -rf build' });
    expect(sandbox.requests).toHaveLength(1);
    expect(out.isError).toBe(false);
    expect(out.commandsRun).toEqual(['rm -rf build']);
    expect(out.content).toContain('exit code: 1');
    expect(out.content).toContain('policy: approved: rm -rf build: rm is not on the allowlist');
  });

  it('reports a timeout and a kill', async () => {
    const { sandbox, call } = setup();
    sandbox.willReturn({ exitCode: null, timedOut: true, killed: true, durationMs: 1500, output: 'partial' });
    const out = await call({ command: 'npm test', timeout_ms: 1500 });
    expect(sandbox.requests[0]?.timeoutMs).toBe(1500);
    expect(out.content).toContain('exit code: none (killed) · duration: 1.5 s');
    expect(out.content).toContain('timed out after 1500 ms');
  });

  it('clamps a timeout above the maximum and says so', async () => {
    const { sandbox, call } = setup();
    const out = await call({ command: 'npm test', timeout_ms: 9_999_999 });
    expect(sandbox.requests[0]?.timeoutMs).toBe(600_000);
    expect(out.content).toContain('above the maximum of 600000');
  });

  it('caps the output the model sees, keeping head and tail, and points at the full output', async () => {
    const { sandbox, call } = setup();
    const long = `HEAD${'x'.repeat(1000)}TAIL`;
    sandbox.willReturn({ output: long, truncated: true, fullOutputPath: '.agent-harness/output/1.txt' });
    const out = await call({ command: 'cat big.txt' });
    expect(out.content).toContain('HEAD');
    expect(out.content).toContain('TAIL');
    expect(out.content).toMatch(/characters cut/);
    expect(out.content).toContain('full output is in .agent-harness/output/1.txt');
    expect(out.content.length).toBeLessThan(800);
  });

  it('turns a sandbox failure (Docker down) into a tool error, so the run continues', async () => {
    const { sandbox, call } = setup();
    sandbox.willThrow(new Error('Docker is not running'));
    const out = await call({ command: 'ls' });
    expect(out.isError).toBe(true);
    expect(out.content).toBe('The command could not be started: Docker is not running');
  });

  it('streams output to onOutput with the call id', async () => {
    const sandbox = new FakeSandbox().willReturn({ output: 'line 1\n' });
    const chunks: [string, string][] = [];
    const tool = createRunCommandTool({
      policy: policy(['ls']),
      sandbox,
      approve: async () => ({ approved: false }),
      defaultTimeoutMs: 1000,
      maxTimeoutMs: 1000,
      onOutput: (chunk, callId) => chunks.push([chunk, callId]),
    });
    await new ToolRegistry([tool]).call('run_command', '{"command":"ls"}', toolContext({ callId: 'call-7' }));
    expect(chunks).toEqual([['line 1\n', 'call-7']]);
  });

  it('rejects an empty command as invalid arguments', async () => {
    const { call } = setup();
    const out = await call({ command: '' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/Invalid arguments for run_command/);
  });

  describe('local mode', () => {
    it('asks even for an allowlisted command and shows that local mode is not a sandbox', async () => {
      const { asked, call } = setup({ mode: 'local', answer: { approved: true } });
      await call({ command: 'ls' });
      expect(asked).toHaveLength(1);
      expect(asked[0]?.reasons.join('\n')).toMatch(/local mode is not a sandbox/);
    });

    it('runs without asking when the user relaxed it', async () => {
      const { asked, sandbox, call } = setup({ mode: 'local', localAutoAllow: true });
      await call({ command: 'ls' });
      expect(asked).toEqual([]);
      expect(sandbox.requests).toHaveLength(1);
    });

    it('refuses, before asking, a line whose meaning needs a shell', async () => {
      const { asked, sandbox, call } = setup({ mode: 'local', answer: { approved: true } });
      const out = await call({ command: 'echo $(ls)' });
      expect(out.isError).toBe(true);
      expect(out.content).toMatch(/refused this command[\s\S]*without a shell[\s\S]*command substitution/);
      expect(asked).toEqual([]);
      expect(sandbox.requests).toEqual([]);
    });

    it('refuses cd, which cannot carry over between separately run commands', async () => {
      const { call } = setup({ mode: 'local', localAutoAllow: true });
      const out = await call({ command: 'cd sub && ls' });
      expect(out.isError).toBe(true);
      expect(out.content).toMatch(/cd/);
    });

    it('uses the sandbox mode even when the settings say container', async () => {
      const { asked, call } = setup({ mode: 'local', answer: { approved: true } });
      await call({ command: 'npm test' });
      expect(asked[0]?.verdict.verdict).toBe('ask');
    });
  });
});

describe('capText', () => {
  it('leaves short text alone and cuts long text to about the cap', () => {
    expect(capText('abc', 10)).toBe('abc');
    const cut = capText('a'.repeat(50) + 'b'.repeat(50), 20);
    expect(cut.startsWith('a'.repeat(8))).toBe(true);
    expect(cut.endsWith('b'.repeat(12))).toBe(true);
    expect(cut).toContain('[... 80 characters cut ...]');
  });
});
