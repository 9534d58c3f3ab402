import path from 'node:path';
import * as vscode from 'vscode';
import { readIfExists, settleByResult, staleChange, type ApplyOptions, type ApplyResult } from '../../core/edits/apply';
import type { ApplyPort } from '../../core/edits/proposals';
import type { ChangeSet, FileChange } from '../../core/edits/changeSet';
import { sha256 } from '../../core/edits/textFormat';

/** The core's apply port for the editor: each decided file in turn through applyWithWorkspaceEdit. */
export function workspaceEditApplyPort(options: ApplyOptions): ApplyPort {
  return async (changeSet, paths) => {
    const results: ApplyResult[] = [];
    for (const p of paths) results.push(...(await applyWithWorkspaceEdit(changeSet, p, options)));
    return results;
  };
}

/**
 * Writes one decided file through a WorkspaceEdit, so the editor's Undo takes the change back, then
 * saves it. The same checks as the core's apply come first: the path guard again, then the
 * stale-write guard (the disk must still hold what the proposal was made against), and an open
 * editor with unsaved changes counts as a change too, because saving over it would lose them.
 */
export async function applyWithWorkspaceEdit(changeSet: ChangeSet, path: string, options: ApplyOptions): Promise<ApplyResult[]> {
  const f = changeSet.get(path);
  if (!f || f.state !== 'pending' || !changeSet.isDecided(path)) return [];
  if (!f.hunks.some((h) => h.status === 'approved')) {
    changeSet.settle(path, 'rejected');
    return [{ path, status: 'unchanged', message: `${path}: rejected, not written` }];
  }
  const content = changeSet.contentToWrite(path);
  const settle = (r: ApplyResult): ApplyResult[] => {
    settleByResult(changeSet, r);
    return [r];
  };
  if (content === null) return settle({ path, status: 'unchanged', message: `${path}: nothing approved, not created` });
  const verdict = await options.guard.check(path, 'write');
  if (verdict.verdict === 'deny' || (verdict.verdict === 'ask' && !f.needsHuman)) return settle({ path, status: 'refused', message: `${path}: not written: ${verdict.reason}` });

  const uri = vscode.Uri.file(verdict.resolved);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const current = await readIfExists(verdict.resolved);
  const currentHash = current === null ? null : sha256(current);
  if (currentHash !== f.originalHash || open?.isDirty === true) {
    const what = open?.isDirty ? 'has unsaved changes in an editor' : staleChange(f.originalHash, currentHash);
    return settle({
      path,
      status: 'conflict',
      message: `${path}: conflict: the file ${what} after the edit was proposed; it was not overwritten. Read it again and propose the edit anew.`,
    });
  }
  await options.beforeWrite?.(path, verdict.resolved);
  const edit = new vscode.WorkspaceEdit();
  if (current === null) {
    edit.createFile(uri, { ignoreIfExists: false, contents: Buffer.from(content, 'utf8') });
  } else {
    const doc = open ?? (await vscode.workspace.openTextDocument(uri));
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
  }
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) return settle({ path, status: 'refused', message: `${path}: not written: VS Code refused the edit` });
  if (current !== null) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
  }
  await options.afterWrite?.(path, content);
  return settle({ path, status: 'applied', message: `${path}: written` });
}

/**
 * Why the proposal no longer fits the disk, checked when its diff opens, so the person sees the
 * conflict in the diff instead of approving something that will not be written. Undefined when it fits.
 */
export async function conflictBeforeReview(root: string, file: FileChange): Promise<string | undefined> {
  const resolved = path.join(root, ...file.path.split('/'));
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === resolved);
  if (open?.isDirty) return 'Conflict: this file has unsaved changes in an editor; approving will not overwrite them.';
  const current = await readIfExists(resolved);
  const hash = current === null ? null : sha256(current);
  if (hash === file.originalHash) return undefined;
  const what = staleChange(file.originalHash, hash);
  return `Conflict: the file ${what} on disk after the agent read it; approving will not overwrite it (the agent is told to read it again).`;
}
