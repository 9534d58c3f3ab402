import { costText } from '../../shared/cost';
import type { PanelState } from '../../shared/panelState';

/** The status bar's words for a state, kept free of `vscode` so it is tested in plain Node. */
export function statusText(state: PanelState): { text: string; tooltip: string } {
  const u = state.sessionUsage;
  const tokens = u.input + u.output + u.cacheRead + u.cacheWrite;
  const run = state.status === 'idle' ? 'idle' : state.status === 'waiting' ? 'waiting for you' : state.status === 'stopping' ? 'stopping' : 'running';
  const icon = state.status === 'running' || state.status === 'stopping' ? '$(loading~spin)' : state.status === 'waiting' ? '$(bell)' : '$(hubot)';
  const demo = state.demo ? ' DEMO' : '';
  return {
    text: `${icon} Agent${demo}: ${run} · ${compactNumber(tokens)} tok · ${costText(u.costUsd, u.costUnknown, u.costUsd < 1 ? 3 : 2)}`,
    tooltip: `Agent Harness${demo} — ${run}. Session: ${tokens} tokens (input ${u.input}, output ${u.output}, cache read ${u.cacheRead}, cache write ${u.cacheWrite}), estimated ${costText(u.costUsd, u.costUnknown, 4)}. Click to open the panel.`,
  };
}

export function compactNumber(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
