import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../../src/core/agent/runResult';
import { expectNoStack, runCli } from './runCli';
import { tempDir, useScriptedServer } from '../../support/fixtures';

/**
 * Prices through the real CLI: the maintained catalog prices known models, a model nobody prices
 * costs "unknown" (never $0) in the result and the ledger, a cost budget on it is refused up front
 * unless --prices gives its price, and a bad price file is a clear mistake.
 */
let home: string;
let workspace: string;

const server = useScriptedServer();
beforeEach(async () => {
  server.reset();
  home = await tempDir('ah-price-home-');
  workspace = await tempDir('ah-price-ws-');
  await writeFile(path.join(workspace, 'README.md'), '# x\n');
});

const env = (model: string) => ({ AGENT_HARNESS_GATEWAY_URL: `${server.url}/v1`, AGENT_HARNESS_MODEL: model, AGENT_HARNESS_API_KEY: 'sk-price-test-0123456789', AGENT_HARNESS_HOME: home });
const result = (stdout: string) => RunResultSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));

describe('prices', () => {
  it('prices a catalog model at its own price (gpt-5-nano is not gpt-5)', async () => {
    server.script([{ text: 'ok', usage: { input: 1_000_000, output: 0 } }]);
    const nano = result((await runCli(['run', '--workspace', workspace, '--json', 'hi'], env('gpt-5-nano'))).stdout);
    server.script([{ text: 'ok', usage: { input: 1_000_000, output: 0 } }]);
    const full = result((await runCli(['run', '--workspace', workspace, '--json', 'hi'], env('gpt-5'))).stdout);
    expect(nano.usage.costUsd).toBeCloseTo(0.05, 6);
    expect(full.usage.costUsd).toBeCloseTo(1.25, 6);
    expect(nano.usage.costUnknown).toBeUndefined();
  });

  it('a model without a known price costs "unknown" in the result, the progress line and the ledger, never $0', async () => {
    server.script([{ text: 'ok', usage: { input: 1000, output: 10 } }]);
    const out = await runCli(['run', '--workspace', workspace, '--json', 'hi'], env('llama3.1:8b'));
    expect(out.code, out.stderr).toBe(0);
    const r = result(out.stdout);
    expect(r.usage).toMatchObject({ costUsd: 0, costUnknown: true });
    expect(out.stderr).toMatch(/cost unknown/);
    // The built-in profile's $5 limit is a default nobody chose: said, not enforced, not refused.
    expect(out.stderr).toMatch(/the profile's default cost limit of \$5 cannot apply: the price of "llama3\.1:8b" is unknown/);
    const usage = await runCli(['usage', '--by', 'model'], env('llama3.1:8b'));
    expect(usage.stdout).toMatch(/llama3\.1:8b .* unknown/);
    expect(usage.stdout).not.toMatch(/llama3\.1:8b .* 0\.0000/);
  });

  it('refuses a cost budget on a model without a price, before sending anything', async () => {
    const out = await runCli(['run', '--workspace', workspace, '--max-cost', '0.50', 'hi'], env('llama3.1:8b'));
    expect(out.code).toBe(2);
    expectNoStack(out.stderr);
    expect(out.stderr).toMatch(/a cost budget is set, but the price of "llama3\.1:8b" is unknown, so the budget could not stop it; give the price with --prices FILE/);
    expect(server.requests).toHaveLength(0);
    // The day budget counts too.
    const day = await runCli(['run', '--workspace', workspace, 'hi'], { ...env('llama3.1:8b'), AGENT_HARNESS_MAX_COST_PER_DAY: '5' });
    expect(day.code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('--prices FILE gives a model its price (JSON or YAML), and then the budget holds', async () => {
    const json = path.join(home, 'prices.json');
    await writeFile(json, JSON.stringify({ 'llama3.1:8b': { input: 2, output: 4 } }));
    server.script([{ text: 'ok', usage: { input: 1_000_000, output: 0 } }]);
    const out = await runCli(['run', '--workspace', workspace, '--max-cost', '5', '--prices', json, '--json', 'hi'], env('llama3.1:8b'));
    expect(out.code, out.stderr).toBe(0);
    expect(result(out.stdout).usage).toMatchObject({ costUsd: 2 });
    const yaml = path.join(home, 'prices.yaml');
    await writeFile(yaml, 'gpt-4o:\n  input: 1\n  output: 1\n');
    server.script([{ text: 'ok', usage: { input: 1_000_000, output: 0 } }]);
    const over = await runCli(['run', '--workspace', workspace, '--prices', yaml, '--json', 'hi'], env('gpt-4o'));
    // The user's price wins over the catalog's ($2.50).
    expect(result(over.stdout).usage.costUsd).toBeCloseTo(1, 6);
  });

  it('a bad price file names the file and the entry', async () => {
    const bad = path.join(home, 'bad.json');
    await writeFile(bad, JSON.stringify({ 'my-model': { input: 'cheap', output: 1 } }));
    const out = await runCli(['run', '--workspace', workspace, '--prices', bad, 'hi'], env('my-model'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--prices: .*bad\.json: "my-model\.input": /);
    const missing = await runCli(['run', '--workspace', workspace, '--prices', path.join(home, 'none.json'), 'hi'], env('my-model'));
    expect(missing.stderr).toMatch(/--prices: cannot read .*none\.json: no such file/);
    expect(server.requests).toHaveLength(0);
  });
});
