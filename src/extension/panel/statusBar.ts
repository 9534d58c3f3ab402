import * as vscode from 'vscode';
import type { PanelState } from '../../shared/panelState';
import { statusText } from './statusText';

/** The run state and the session's tokens and cost; a click opens the side panel. */
export function createStatusBar(): { item: vscode.StatusBarItem; update(state: PanelState): void } {
  const item = vscode.window.createStatusBarItem('agentHarness.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Agent Harness';
  item.command = 'agentHarness.openPanel';
  item.text = '$(hubot) Agent';
  item.tooltip = 'Agent Harness: open the side panel';
  item.show();
  return {
    item,
    update(state) {
      const t = statusText(state);
      item.text = t.text;
      item.tooltip = t.tooltip;
    },
  };
}
