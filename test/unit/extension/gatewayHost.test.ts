import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelCallRecord } from '../../../src/core/model/resilience/callRecord';
import { asSettingsError, extensionBudgets, fallbackModels, GatewayHost } from '../../../src/extension/gateway/gatewayHost';
import { fallbackEndpoints } from '../../../src/adapters/gateway/gatewayFactory';
import { resolveBudgets } from '../../../src/core/model/budgetChoice';
import { SettingsError, type GatewayChoice } from '../../../src/extension/gateway/extensionSettings';
import { GatewayConfigSchema } from '../../../src/adapters/gateway/gatewayConfig';
import { tempDir } from '../../support/fixtures';

const primary = GatewayConfigSchema.parse({ url: 'http://gw.local/v1', protocol: 'openai', model: 'main' });
const gateway: GatewayChoice = { url: 'http://gw.local/v1', protocol: 'openai', model: 'main', headers: { 'x-team': 'team-header-secret-1' }, fallbackModels: [], prices: {} };

describe('extensionBudgets', () => {
  it('gives the settings to the one budget rule: the setting wins over the profile, 0 leaves the profile its limit', () => {
    expect(resolveBudgets(extensionBudgets({ 'limits.maxTokens': 1000, 'limits.maxCostUsd': 2 }), { maxCostUsd: 5, builtIn: false }).budgets.run).toEqual({ tokens: 1000, costUsd: 2 });
    expect(resolveBudgets(extensionBudgets({ 'limits.maxTokens': 1000, 'limits.maxCostUsd': 0 }), { maxCostUsd: 5, builtIn: false }).budgets.run).toEqual({ tokens: 1000, costUsd: 5 });
    // An eval case's own cost limit replaces the setting's.
    expect(resolveBudgets(extensionBudgets({ 'limits.maxTokens': 1000, 'limits.maxCostUsd': 2 }, 0.5), { builtIn: true }).budgets.run).toEqual({ tokens: 1000, costUsd: 0.5 });
  });
  it('a malformed day budget is a settings error that names its variable', () => {
    const saved = process.env.AGENT_HARNESS_MAX_COST_PER_DAY;
    process.env.AGENT_HARNESS_MAX_COST_PER_DAY = 'lots';
    try {
      let caught: unknown;
      try {
        resolveBudgets(extensionBudgets({ 'limits.maxTokens': 1, 'limits.maxCostUsd': 0 }), { builtIn: false });
      } catch (e) {
        caught = asSettingsError(e);
      }
      expect(caught).toBeInstanceOf(SettingsError);
      expect((caught as Error).message).toMatch(/^AGENT_HARNESS_MAX_COST_PER_DAY must be .*"lots"\.$/);
    } finally {
      if (saved === undefined) delete process.env.AGENT_HARNESS_MAX_COST_PER_DAY;
      else process.env.AGENT_HARNESS_MAX_COST_PER_DAY = saved;
    }
  });
});

describe('fallbackModels', () => {
  it('keeps the primary protocol by default and moves the URL for the other protocol', () => {
    const eps = fallbackEndpoints(fallbackModels(['backup', 'claude-x@anthropic', 'org/model@v2']), primary, 'k');
    expect(eps.map((e) => [e.config.model, e.config.protocol, e.config.url])).toEqual([
      ['backup', 'openai', 'http://gw.local/v1'],
      ['claude-x', 'anthropic', 'http://gw.local'],
      ['org/model@v2', 'openai', 'http://gw.local/v1'],
    ]);
    expect(eps.every((e) => e.apiKey === 'k')).toBe(true);
  });
  it('reports a bad entry with the setting name', () => {
    expect(() => fallbackModels(['model@gemini'])).toThrow(SettingsError);
    expect(() => fallbackModels(['model@gemini'])).toThrow(/agentHarness\.gateway\.fallbackModels.*gemini/);
  });
});

describe('GatewayHost', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps one set of services per key and gateway, rebuilds for a new key, and redacts both', async () => {
    dir = await tempDir('gwhost-');
    const host = new GatewayHost(dir);
    const a = await host.services('first-secret-key-123', gateway);
    expect(await host.services('first-secret-key-123', gateway)).toBe(a);
    const b = await host.services('second-secret-key-456', gateway);
    expect(b).not.toBe(a);
    expect(b.redact.text('k=second-secret-key-456 h=team-header-secret-1')).not.toMatch(/second-secret|team-header/);
    expect(b.location.root).toBe(dir);
  });

  it('sums the ledger for today and the last 7 days, by model', async () => {
    dir = await tempDir('gwhost-');
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
