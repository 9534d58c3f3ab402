import path from 'node:path';
import type * as vscode from 'vscode';
import { stateLocation } from '../../adapters/ledger/stateLocation';
import { collectGarbage, collectGarbageDaily, type Retention } from '../../adapters/state/stateGc';
import type { ExtensionSettings } from '../gateway/extensionSettings';

/**
 * After a run, at most once a day: removes the window's state older than the retention settings
 * (agentHarness.retention.days, agentHarness.retention.ledgerMonths), as the CLI does after its runs.
 * Never throws into the run that triggered it.
 */
export async function cleanUpStateDaily(context: vscode.ExtensionContext, checkpointsDir: string, settings: () => ExtensionSettings): Promise<boolean> {
  let retention: Retention;
  try {
    const s = settings();
    retention = { days: s['retention.days'], ledgerMonths: s['retention.ledgerMonths'] };
  } catch {
    // Settings that do not parse stopped the run already, and were reported there.
    return false;
  }
  const root = context.globalStorageUri.fsPath;
  const loc = stateLocation(root);
  const folders = { usageDir: loc.usageDir, tracesDir: loc.tracesDir, quarantineDir: loc.quarantineDir, runsDir: path.join(root, 'runs'), checkpointsDir };
  return collectGarbageDaily(path.join(root, 'gc-last'), () => collectGarbage(folders, retention));
}
