import { describe, expect, it } from 'vitest';
import { initialPanelState } from '../../../src/shared/panelState';
import { contextMeter, formatCost, formatDuration, formatTokens, statusLabel, summarizeResult, toolCardView, usageRow } from '../../../src/webview/viewModels';

describe('number formats', () => {
  it('tokens, cost and durations read at a glance', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(999)).toBe('999');
    expect(formatTokens(3210)).toBe('3.2k');
    expect(formatTokens(45_600)).toBe('46k');
    expect(formatTokens(2_500_000)).toBe('2.50M');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.0012)).toBe('$0.0012');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatDuration(12.7)).toBe('13 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('toolCardView', () => {
  it('names what the call does with its main argument', () => {
    const v = toolCardView({ kind: 'tool', id: 't', name: 'run_command', args: '{"command":"npm   test"}', status: 'done', result: '$ npm test\nexit code: 0', durationMs: 1500 });
    expect(v).toMatchObject({ title: 'Run npm test', status: 'done', duration: '1.5 s', isError: false });
    expect(v.args).toBe('{\n  "command": "npm   test"\n}');
    expect(v.result).toBe('$ npm test\nexit code: 0');
  });

  it('shows malformed arguments raw and failed calls as errors', () => {
    const v = toolCardView({ kind: 'tool', id: 't', name: 'mystery', args: '{"path": ', status: 'error', result: 'bad json' });
    expect(v).toMatchObject({ title: 'mystery', args: '{"path": ', status: 'failed', isError: true, duration: '' });
  });

  it('cuts long results to a summary with the count of hidden lines', () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
    expect(summarizeResult(text, 3)).toBe('line 0\nline 1\nline 2\n… 7 more lines');
    expect(summarizeResult('x'.repeat(700), 6, 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('usage and context', () => {
  it('a usage row formats each counter and keeps the raw total', () => {
    expect(usageRow('Run', { input: 1200, output: 30, cacheRead: 4000, cacheWrite: 0, costUsd: 0.004 })).toEqual({
      label: 'Run', input: '1.2k', output: '30', cacheRead: '4.0k', cacheWrite: '0', cost: '$0.0040', total: 5230,
    });
  });

  it('the context meter shows how full the window is, with levels', () => {
    const s = initialPanelState();
    expect(contextMeter(s)).toBeUndefined();
    expect(contextMeter({ ...s, context: { tokens: 3300, window: 128_000 } })).toEqual({ percent: 3, label: 'Context 3.3k / 128k (3%)', level: 'ok' });
    expect(contextMeter({ ...s, context: { tokens: 95, window: 100 } })?.level).toBe('full');
    expect(contextMeter({ ...s, context: { tokens: 75, window: 100 } })?.level).toBe('high');
    expect(contextMeter({ ...s, context: { tokens: 500, window: 100 } })?.percent).toBe(100);
    // What the message being written adds counts before it is sent (issue 16 item 1).
    expect(contextMeter({ ...s, context: { tokens: 60_000, window: 100_000 } }, 15_000)).toEqual({ percent: 75, label: 'Context 60k + 15k in this message / 100k (75%)', level: 'high' });
    expect(contextMeter(s, 3100)).toEqual({ percent: undefined, label: 'This message adds about 3.1k tokens', level: 'ok' });
  });

  it('status words follow the run state', () => {
    expect(statusLabel(initialPanelState())).toBe('Ready');
    expect(statusLabel({ ...initialPanelState(), status: 'waiting' })).toBe('Waiting for you');
  });
});

describe('command output on the card', () => {
  it('shows the exit line and the tail of the output section', () => {
    const result = ['$ npm test', 'exit code: 1 · duration: 2.0 s', 'policy: allowed', 'output:', ...Array.from({ length: 20 }, (_, i) => `o${i}`), ''].join('\n');
    const v = toolCardView({ kind: 'tool', id: 't', name: 'run_command', args: '{"command":"npm test"}', status: 'done', result });
    expect(v.commandOutput).toBe(['exit code: 1 · duration: 2.0 s', '…', ...Array.from({ length: 12 }, (_, i) => `o${i + 8}`)].join('\n'));
    expect(toolCardView({ kind: 'tool', id: 't', name: 'run_command', args: '{}', status: 'done', result: '$ true\nexit code: 0 · duration: 1 ms\n(no output)' }).commandOutput).toBe('exit code: 0 · duration: 1 ms\n(no output)');
    expect(toolCardView({ kind: 'tool', id: 't', name: 'read_file', args: '{}', status: 'done', result: 'x' }).commandOutput).toBeUndefined();
  });
});
