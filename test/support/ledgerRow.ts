import type { LedgerRow } from '../../src/adapters/ledger/usageLedger';

/** A usage-ledger row (an answered gpt-4o call of 160 tokens for $0.01 on 2026-11-20), with `over` on top. */
export function ledgerRow(over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    time: '2026-11-20T10:00:00.000Z',
    runId: 'r1',
    step: 'r1:m0',
    profile: 'coder',
    skills: [],
    model: 'gpt-4o',
    protocol: 'openai',
    attempt: 1,
    usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 50, cacheWriteTokens: 0 },
    costUsd: 0.01,
    latencyMs: 200,
    outcome: 'ok',
    ...over,
  };
}
