import { describe, expect, it } from 'vitest';
import { ledgerLines, resumableRunView } from '../../../src/webview/durableViews';

describe('resumableRunView', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it('shows the first line of the task, why it stopped, when and with which model', () => {
    const v = resumableRunView({ id: 'r1', task: 'Fix the tests\nand more', status: 'interrupted', started: '2026-03-01T11:45:00.000Z', model: 'gpt-x' }, now);
    expect(v).toEqual({ id: 'r1', title: 'Fix the tests', detail: 'interrupted (window closed or crashed) · started 15 min ago · gpt-x' });
  });
  it('cuts a long task and says "stopped" for a cancelled run', () => {
    const v = resumableRunView({ id: 'r2', task: 'a'.repeat(200), status: 'cancelled', started: '2026-02-27T12:00:00.000Z', model: '' }, now);
    expect(v.title).toHaveLength(80);
    expect(v.title.endsWith('…')).toBe(true);
    expect(v.detail).toBe('stopped · started 2 d ago');
  });
});

describe('ledgerLines', () => {
  it('words today, this week and each model', () => {
    const t = (key: string, calls: number, tokens: number, costUsd: number, failed = 0) => ({ key, calls, failed, tokens, costUsd });
    const out = ledgerLines({ today: t('2026-03-01', 1, 500, 0.004), week: t('week', 12, 25_000, 1.5, 2), byModel: [t('big', 10, 20_000, 1.4, 2), t('small', 2, 5000, 0.1)], byDay: [] });
    expect(out.totals).toEqual([
      { label: 'Today', text: '1 call · 500 tokens · $0.0040' },
      { label: 'This week', text: '12 calls, 2 failed · 25k tokens · $1.50' },
    ]);
    expect(out.models.map((m) => m.label)).toEqual(['big', 'small']);
    expect(out.models[1]?.text).toBe('2 calls · 5.0k tokens · $0.10');
  });
});
