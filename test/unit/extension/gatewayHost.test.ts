import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelCallRecord } from '../../../src/core/model/resilience/callRecord';
import { fallbackEndpoints, GatewayHost, runBudgets } from '../../../src/extension/gatewayHost';
import { SettingsError, type GatewayChoice } from '../../../src/extension/extensionSettings';
import { GatewayConfigSchema } from '../../../src/adapters/gateway/gatewayConfig';

const primary = GatewayConfigSchema.parse({ url: 'http://gw.local/v1', protocol: 'openai', model: 'main' });
const gateway: GatewayChoice = { url: 'http://gw.local/v1', protocol: 'openai', model: 'main', headers: { 'x-team': 'team-header-secret-1' }, fallbackModels: [], prices: {} };

describe('runBudgets', () => {
  it('takes the run cost from the setting, else the profile, and the day budget from the environment', () => {
    expect(runBudgets({ maxTokens: 1000, maxCostUsd: 2, profileMaxCostUsd: 5, env: {} })).toEqual({ run: { tokens: 1000, costUsd: 2 } });
    expect(runBudgets({ maxTokens: 1000, maxCostUsd: 0, profileMaxCostUsd: 5, env: {} })).toEqual({ run: { tokens: 1000, costUsd: 5 } });
    expect(runBudgets({ maxTokens: 1000, maxCostUsd: 0, env: { AGENT_HARNESS_MAX_COST_PER_DAY: '$3.50', AGENT_HARNESS_MAX_TOKENS_PER_DAY: '90000' } })).toEqual({
      run: { tokens: 1000 },
      day: { tokens: 90000, costUsd: 3.5 },
    });
  });
  it('names the variable of a malformed day budget', () => {
    expect(() => runBudgets({ maxTokens: 1, maxCostUsd: 0, env: { AGENT_HARNESS_MAX_COST_PER_DAY: 'lots' } })).toThrow(/AGENT_HARNESS_MAX_COST_PER_DAY/);
  });
});

describe('fallbackEndpoints', () => {
  it('keeps the primary protocol by default and moves the URL for the other protocol', () => {
    const eps = fallbackEndpoints(['backup', 'claude-x@anthropic', 'org/model@v2'], primary, 'k');
    expect(eps.map((e) => [e.config.model, e.config.protocol, e.config.url])).toEqual([
      ['backup', 'openai', 'http://gw.local/v1'],
      ['claude-x', 'anthropic', 'http://gw.local'],
      ['org/model@v2', 'openai', 'http://gw.local/v1'],
    ]);
    expect(eps.every((e) => e.apiKey === 'k')).toBe(true);
  });
  it('reports a bad entry with the setting name', () => {
    expect(() => fallbackEndpoints(['model@gemini'], primary, undefined)).toThrow(SettingsError);
    expect(() => fallbackEndpoints(['model@gemini'], primary, undefined)).toThrow(/agentHarness\.gateway\.fallbackModels.*gemini/);
  });
});

describe('GatewayHost', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps one set of services per key and gateway, rebuilds for a new key, and redacts both', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gwhost-'));
    const host = new GatewayHost(dir);
    const a = await host.services('first-secret-key-123', gateway);
    expect(await host.services('first-secret-key-123', gateway)).toBe(a);
    const b = await host.services('second-secret-key-456', gateway);
    expect(b).not.toBe(a);
    expect(b.redact.text('k=second-secret-key-456 h=team-header-secret-1')).not.toMatch(/second-secret|team-header/);
    expect(b.location.root).toBe(dir);
  });

  it('sums the ledger for today and the last 7 days, by model', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gwhost-'));
    const host = new GatewayHost(dir);
    const s = await host.services('a-secret-key-0000', gateway);
    const now = new Date(2026, 2, 10, 15, 0, 0);
    const row = (d: Date, model: string, cost: number, outcome: ModelCallRecord['outcome'] = 'ok'): ModelCallRecord => ({
      time: d.toISOString(),
      skills: [],
      model,
      protocol: 'openai',
      attempt: 1,
      usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 },
      costUsd: cost,
      latencyMs: 5,
      outcome,
    });
    s.ledger.append(row(new Date(2026, 2, 10, 9), 'main', 0.5));
    s.ledger.append(row(new Date(2026, 2, 8, 9), 'backup', 0.25));
    s.ledger.append(row(new Date(2026, 2, 1, 9), 'main', 9)); // older than a week
    const summary = await host.usageSummary(s, now);
    expect(summary.today).toMatchObject({ calls: 1, tokens: 110, costUsd: 0.5 });
    expect(summary.week).toMatchObject({ calls: 2, tokens: 220, costUsd: 0.75 });
    expect(summary.byModel.map((m) => m.key)).toEqual(['main', 'backup']);
    expect(summary.byDay.map((d) => d.key)).toEqual(['2026-03-08', '2026-03-10']);
    expect(await readdir(path.join(dir, 'usage'))).not.toHaveLength(0);
  });
});
