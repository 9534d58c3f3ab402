import { describe, expect, it } from 'vitest';
import { parseSettings, resolveGateway, SettingsError, type SettingKey } from '../../../src/extension/gateway/extensionSettings';

const from = (values: Partial<Record<SettingKey, unknown>>) => parseSettings((k) => values[k]);

describe('parseSettings', () => {
  it('fills defaults for unset settings', () => {
    const s = from({});
    expect(s['gateway.protocol']).toBe('openai');
    expect(s['sandbox.mode']).toBe('container');
    expect(s['limits.maxTurns']).toBe(50);
    expect(s['approvals.autoApproveEdits']).toEqual([]);
  });

  it('names the bad setting in the error', () => {
    expect(() => from({ 'sandbox.mode': 'vm' })).toThrow(SettingsError);
    expect(() => from({ 'sandbox.mode': 'vm' })).toThrow(/agentHarness\.sandbox\.mode/);
    expect(() => from({ 'limits.maxTurns': 0 })).toThrow(/agentHarness\.limits\.maxTurns/);
    expect(() => from({ 'gateway.headers': { a: 1 } })).toThrow(/agentHarness\.gateway\.headers/);
  });
});

describe('resolveGateway', () => {
  it('settings win over the environment; the environment fills what settings leave empty', () => {
    const env = { AGENT_HARNESS_GATEWAY_URL: 'http://env/v1', AGENT_HARNESS_MODEL: 'env-model', AGENT_HARNESS_PROTOCOL: 'anthropic' };
    const viaEnv = resolveGateway(from({}), env, false);
    expect(viaEnv).toEqual({ ok: true, gateway: { url: 'http://env/v1', protocol: 'anthropic', model: 'env-model', headers: {}, fallbackModels: [], prices: {} } });
    const viaSettings = resolveGateway(from({ 'gateway.url': 'https://gw.example', 'gateway.model': 'm', 'gateway.protocol': 'openai' }), env, true);
    expect(viaSettings).toMatchObject({ ok: true, gateway: { url: 'https://gw.example', model: 'm', protocol: 'openai' } });
  });

  it('takes secret headers from AGENT_HARNESS_HEADERS in the environment, the settings adding to them', () => {
    const env = { AGENT_HARNESS_GATEWAY_URL: 'http://env/v1', AGENT_HARNESS_MODEL: 'm', AGENT_HARNESS_HEADERS: '{"x-portkey-api-key": "pk-1", "x-team": "env"}' };
    expect(resolveGateway(from({ 'gateway.headers': { 'x-team': 'web' } }), env, false)).toMatchObject({ ok: true, gateway: { headers: { 'x-portkey-api-key': 'pk-1', 'x-team': 'web' } } });
    expect(resolveGateway(from({}), { ...env, AGENT_HARNESS_HEADERS: '[1]' }, false)).toEqual({ ok: false, message: 'AGENT_HARNESS_HEADERS must be a JSON object of header names to string values.' });
  });

  it('says what is missing or wrong', () => {
    expect(resolveGateway(from({}), {}, false)).toEqual({ ok: false, message: expect.stringContaining('No model gateway is configured') });
    expect(resolveGateway(from({ 'gateway.url': 'ftp://x' }), {}, false)).toEqual({ ok: false, message: expect.stringContaining('must be an http(s) URL') });
    expect(resolveGateway(from({ 'gateway.url': 'http://x' }), {}, false)).toEqual({ ok: false, message: expect.stringContaining('No model is configured') });
  });
});
