import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixtures';

// The standalone entry, bundled the way the lead's build will bundle it and run as its own process.

let dir: string;
let bundle: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await tempDir('scripted-main-');
  bundle = join(dir, 'scriptedServer.cjs');
  await build({ entryPoints: [join(__dirname, '..', 'support', 'scriptedServer', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'silent' });
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});

/** Starts the bundle and resolves with its URL once it prints `listening on URL`. */
function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /^listening on (http:\/\/\S+)$/m.exec(out);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${err.trim()}`)));
  });
}

function exitOf(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('scripted server entry (main.ts)', () => {
  it('serves a scenario, then the demo, and stops cleanly on SIGTERM', async () => {
    const scenario = join(dir, 'one.json');
    await writeFile(scenario, JSON.stringify({ description: 'one turn', turns: [{ text: 'from the scenario' }] }));
    const { url, child } = await start(['--scenario', scenario, '--demo']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 });
    const first = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(first.choices[0]?.message.content).toBe('from the scenario');
    const second = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(second.choices[0]?.message.content).toMatch(/offline demo model/);
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says what is wrong in one line and exits 2 on bad input', async () => {
    const unknown = await exitOf(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^scripted-server: .*--bogus/);

    const port = await exitOf(['--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr.trim()).toBe('scripted-server: --port must be a non-negative integer, got "abc"');

    const missing = await exitOf(['--scenario', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read scenario .*nope\.json: ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
