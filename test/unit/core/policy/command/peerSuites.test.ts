import { describe, expect, it } from 'vitest';
import { PEER_CASES, type PeerCase } from './peerCases';
import { check } from './policyHelpers';

/**
 * The peers' own command-safety expectations as a standing test (issue 22, item 4). Every case runs
 * through this project's policy with the peer's rules; where the verdicts differ the case must say
 * which is right and why, and this project may never allow what the peer refuses.
 */
function agrees(c: PeerCase, ours: 'allow' | 'ask' | 'deny'): boolean {
  if (c.expected === 'refuse') return ours !== 'allow';
  return c.expected === ours;
}

describe('the peers\' command-safety suites', () => {
  it.each(PEER_CASES.map((c) => [`${c.peer}: ${JSON.stringify(c.command)}`, c] as const))('%s', async (_name, c) => {
    const v = await check(c.command, c.allow, { deny: c.deny ?? [] });
    // Never allowed where the peer refuses.
    if (c.expected !== 'allow') expect(v.verdict, v.reasons.join('; ')).not.toBe('allow');
    if (agrees(c, v.verdict)) {
      expect(c.difference, `documented as different but agrees (ours: ${v.verdict})`).toBeUndefined();
    } else {
      expect(c.difference, `differs (peer ${c.expected}, ours ${v.verdict}: ${v.reasons.join('; ')}) without a documented reason`).toBeDefined();
    }
  });

  it('reports the agreement', async () => {
    let agree = 0;
    let allowedWherePeerRefuses = 0;
    const byPeer = new Map<string, [number, number]>();
    for (const c of PEER_CASES) {
      const v = await check(c.command, c.allow, { deny: c.deny ?? [] });
      const ok = agrees(c, v.verdict);
      if (ok) agree++;
      if (c.expected !== 'allow' && v.verdict === 'allow') allowedWherePeerRefuses++;
      const [a, n] = byPeer.get(c.peer) ?? [0, 0];
      byPeer.set(c.peer, [a + (ok ? 1 : 0), n + 1]);
    }
    const per = [...byPeer].map(([p, [a, n]]) => `${p} ${a}/${n}`).join(', ');
    console.log(`peer suites: ${agree}/${PEER_CASES.length} agree (${((100 * agree) / PEER_CASES.length).toFixed(1)}%); allowed where the peer refuses: ${allowedWherePeerRefuses}; ${per}`);
    expect(allowedWherePeerRefuses).toBe(0);
  });
});
