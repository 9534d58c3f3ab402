import * as vscode from 'vscode';
import { CheckpointError, restoreCheckpoint } from '../../core/edits/checkpoint';

/**
 * Restores the files the last run wrote to what they were before it. When a file was edited after the
 * run, nothing is restored until the person confirms, because their later work would be lost.
 */
export async function undoLastRun(storeDir: string, runId: string | undefined, running: boolean): Promise<void> {
  if (running) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: stop the current run before undoing the last one.'));
  if (!runId) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: there is no finished run to undo in this workspace.'));
  try {
    let report = await restoreCheckpoint({ storeDir, runId });
    if (report.conflicts.length > 0) {
      const list = report.conflicts.map((c) => `${c.path}: ${c.reason}`).join('\n');
      const pick = await vscode.window.showWarningMessage(
        `Agent Harness: ${report.conflicts.length} file(s) changed after the last run, so nothing was restored.`,
        { modal: true, detail: `${list}\n\nRestore anyway? Your later edits to these files are lost.` },
        'Restore Anyway',
      );
      if (pick !== 'Restore Anyway') return;
      report = await restoreCheckpoint({ storeDir, runId, force: true });
    }
    const n = report.restored.length + report.deleted.length;
    void vscode.window.showInformationMessage(n === 0 ? 'Agent Harness: the last run changed no files (or they are already restored).' : `Agent Harness: restored ${report.restored.length} file(s) and removed ${report.deleted.length} created file(s) from the last run.`);
  } catch (e) {
    if (e instanceof CheckpointError) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: {0}', e.message));
    throw e;
  }
}
