import { describe, expect, it } from 'vitest';
import { fixProblemsTask, writeTestsTask } from '../../../src/extension/run/taskPrompts';
import { compactNumber, statusText } from '../../../src/extension/panel/statusText';
import { initialPanelState } from '../../../src/shared/panelState';

describe('palette task texts', () => {
  it('Fix Problems lists each diagnostic with line, severity and source', () => {
    const t = fixProblemsTask('src/a.ts', [{ line: 4, severity: 'Error', message: "Cannot find name 'x'.", source: 'ts' }, { line: 9, severity: 'Warning', message: 'unused' }]);
    expect(t.task).toContain("- line 4 [error, ts]: Cannot find name 'x'.");
    expect(t.task).toContain('- line 9 [warning]: unused');
    expect(t.display).toBe('Fix 2 problems in src/a.ts');
  });

  it('Write Tests names the file', () => {
    expect(writeTestsTask('lib/x.py').display).toBe('Write tests for lib/x.py');
    expect(writeTestsTask('lib/x.py').task).toMatch(/^Write tests for lib\/x\.py\./);
  });
});

describe('status bar text', () => {
  it('shows the run state and the session tokens and cost, and DEMO in the offline demo', () => {
    const s = { ...initialPanelState(), demo: true, status: 'running' as const, sessionUsage: { input: 1000, output: 200, cacheRead: 300, cacheWrite: 0, costUsd: 0.0123 } };
    expect(statusText(s).text).toBe('$(loading~spin) Agent DEMO: running · 1.5k tok · $0.012');
    expect(statusText(initialPanelState()).text).toBe('$(hubot) Agent: idle · 0 tok · $0.000');
    expect(compactNumber(2_000_000)).toBe('2.0M');
  });
});
