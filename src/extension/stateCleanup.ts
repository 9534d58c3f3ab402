import path from 'node:path';
import type * as vscode from 'vscode';
import { stateLocation } from '../adapters/ledger/stateLocation';
import { collectGarbage, collectGarbageDaily, type Retention } from '../adapters/state/stateGc';

/**
 * After a run, at most once a day: removes the window's state older than the retention settings
 * (agentHarness.retention.days, agentHarness.retention.ledgerMonths), as the CLI does after its runs.
 * Never throws into the run that triggered it.
 */
export function cleanUpStateDaily(context: vscode.ExtensionContext, checkpointsDir: string, retention: Retention): Promise<boolean> {
  const root = context.globalStorageUri.fsPath;
  const loc = stateLocation(root);
  const folders = { usageDir: loc.usageDir, tracesDir: loc.tracesDir, quarantineDir: loc.quarantineDir, runsDir: path.join(root, 'runs'), checkpointsDir };
  return collectGarbageDaily(path.join(root, 'gc-last'), () => collectGarbage(folders, retention));
}
