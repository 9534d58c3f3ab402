import { describe, expect, it } from 'vitest';
import { GrantStore, canonicalJson, commandSubjectKey, type StandingGrant } from '../../../../src/core/policy/approvalsGrants';

const clock = () => new Date('2026-01-02T03:04:05Z');

describe('GrantStore', () => {
  it('matches exactly the tool and command granted', () => {
    const store = new GrantStore([], undefined, clock);
    const make = commandSubjectKey([{ argv: ['make', 'fmt'] }]);
    store.add('run', { tool: 'run_command', command: make });
    expect(store.match({ tool: 'run_command', command: make })).toEqual({ scope: 'run', subject: { tool: 'run_command', command: make }, grantedAt: '2026-01-02T03:04:05.000Z' });
    expect(store.match({ tool: 'run_command', command: commandSubjectKey([{ argv: ['make', 'fmt', 'x'] }]) })).toBeUndefined();
    expect(store.match({ tool: 'run_command' })).toBeUndefined();
    expect(store.match({ tool: 'other', command: make })).toBeUndefined();
  });

  it('keeps run grants in memory and reports workspace grants to be saved', () => {
    const saved: StandingGrant[][] = [];
    const store = new GrantStore([], (g) => saved.push(g), clock);
    store.add('run', { tool: 'a' });
    expect(saved).toEqual([]);
    store.add('workspace', { tool: 'b' });
    expect(saved).toEqual([[{ scope: 'workspace', subject: { tool: 'b' }, grantedAt: '2026-01-02T03:04:05.000Z' }]]);
    // A new run starts from the saved workspace grants only.
    const next = new GrantStore(saved[0]!, undefined, clock);
    expect(next.match({ tool: 'b' })?.scope).toBe('workspace');
    expect(next.match({ tool: 'a' })).toBeUndefined();
  });

  it('drops stored grants that do not parse or claim run scope', () => {
    const bogus = [{ scope: 'run', subject: { tool: 'x' }, grantedAt: 't' }, { scope: 'workspace', subject: { tool: '' }, grantedAt: 't' }, { nope: 1 }] as unknown as StandingGrant[];
    expect(new GrantStore(bogus).list()).toEqual([]);
  });

  it('revokes by subject and scope', () => {
    const saved: StandingGrant[][] = [];
    const store = new GrantStore([], (g) => saved.push(g), clock);
    store.add('workspace', { tool: 'b' });
    expect(store.revoke({ tool: 'b' }, 'run')).toBe(false);
    expect(store.revoke({ tool: 'b' }, 'workspace')).toBe(true);
    expect(store.match({ tool: 'b' })).toBeUndefined();
    expect(saved.at(-1)).toEqual([]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
