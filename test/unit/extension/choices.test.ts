import { describe, expect, it } from 'vitest';
import { ChoiceHost, pickerView } from '../../../src/extension/panel/choices';

const memento = () => {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void m.set(k, v), m };
};
const profiles = [
  { name: 'coder', description: 'writes code' },
  { name: 'reviewer', description: 'reads only' },
];

describe('the model and profile pickers (issue 16 item 4)', () => {
  it('offer the model in use first, then the configured one, the fallbacks and the gateway list, without repeats', () => {
    const v = pickerView({ configuredModel: 'gpt-4.1', fallbacks: ['gpt-4.1-mini'], listed: ['gpt-4.1', 'o3', 'gpt-4.1-mini'], profiles, settingsProfile: 'coder', choice: { model: 'o3' } });
    expect(v.model).toBe('o3');
    expect(v.models).toEqual(['o3', 'gpt-4.1', 'gpt-4.1-mini']);
    expect(v.profile).toBe('coder');
  });

  it("show the model a run will use: the chosen one, else the active profile's, else the configured one", () => {
    const pinned = [...profiles, { name: 'fast', description: 'a small model', model: 'gpt-4.1-mini' }];
    expect(pickerView({ configuredModel: 'gpt-4.1', fallbacks: [], listed: [], profiles: pinned, settingsProfile: 'fast', choice: {} }).model).toBe('gpt-4.1-mini');
    expect(pickerView({ configuredModel: 'gpt-4.1', fallbacks: [], listed: [], profiles: pinned, settingsProfile: 'coder', choice: { profile: 'fast', model: 'o3' } }).model).toBe('o3');
    const v = pickerView({ configuredModel: 'gpt-4.1', fallbacks: [], listed: [], profiles: pinned, settingsProfile: 'coder', choice: {} });
    expect(v.model).toBe('gpt-4.1');
    expect(pickerView({ configuredModel: 'gpt-4.1', fallbacks: [], listed: [], profiles: pinned, settingsProfile: 'coder', choice: { profile: 'fast' } }).models).toEqual(['gpt-4.1-mini', 'gpt-4.1']);
  });

  it('a chosen profile the workspace no longer has is still shown, and said so', () => {
    const v = pickerView({ configuredModel: 'm', fallbacks: [], listed: [], profiles, settingsProfile: 'coder', choice: { profile: 'gone' } });
    expect(v.profile).toBe('gone');
    expect(v.profiles[0]).toEqual({ name: 'gone', description: 'not found in this workspace' });
  });

  it('the choice is kept in the workspace state and applied to runs; settings stay as they are', async () => {
    const kv = memento();
    const host = new ChoiceHost(kv);
    const settings = { profile: 'coder', other: 1 };
    const gateway = { model: 'gpt-4.1', url: 'u' };
    expect(host.apply(settings, gateway)).toEqual({ settings, gateway });
    await host.set({ model: 'o3' });
    await host.set({ profile: 'reviewer' });
    expect(host.get()).toEqual({ model: 'o3', profile: 'reviewer' });
    expect(host.apply(settings, gateway)).toEqual({ settings: { profile: 'reviewer', other: 1 }, gateway: { model: 'o3', url: 'u' } });
    expect(settings.profile).toBe('coder');
    // Whatever else is in the state is ignored rather than trusted.
    kv.m.set('agentHarness.choice.v1', { model: 42 });
    expect(host.get()).toEqual({});
  });

  it('asks the gateway for its list once per gateway, and a failure lists nothing with one log line', async () => {
    const host = new ChoiceHost(memento());
    let calls = 0;
    const lines: string[] = [];
    const list = async () => {
      calls++;
      return ['a', 'b'];
    };
    expect(await host.gatewayModels('g1', list, (l) => lines.push(l))).toEqual(['a', 'b']);
    expect(await host.gatewayModels('g1', list, (l) => lines.push(l))).toEqual(['a', 'b']);
    expect(calls).toBe(1);
    expect(await host.gatewayModels('g2', async () => Promise.reject(new Error('404 no route')), (l) => lines.push(l))).toEqual([]);
    expect(lines).toEqual(['the gateway did not list its models (the picker offers the configured ones): 404 no route']);
  });
});
