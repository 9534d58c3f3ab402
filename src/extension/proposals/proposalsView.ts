import * as vscode from 'vscode';
// Type-only imports from the core: activation must not evaluate zod or jsdiff (see bench/extensionSize).
import type { FileChange } from '../../core/edits/changeSet';
import type { FileDecision, HunkDecision } from '../../core/edits/proposals';
import type { PendingChange } from '../../shared/panelState';
import { PROPOSED_SCHEME } from '../commands/commandTable';

/** One file waiting in the diff view, with the decisions made so far. */
interface ProposalEntry {
  key: string;
  file: FileChange;
  proposedUri: vscode.Uri;
  originalUri: vscode.Uri;
  hunks: Map<number, HunkDecision>;
  conflict?: string;
  resolve(decisions: FileDecision[]): void;
}

/**
 * Proposed changes in VS Code's own diff editor: the original (the file on disk, or an empty virtual
 * document for a new file) against the proposal, served read-only from a virtual document. CodeLens
 * on the proposed side approves or rejects each hunk or the file; editor title actions do the same
 * for the file and for everything pending. Nothing here writes the workspace: it only collects
 * decisions, which the caller applies.
 */
export class ProposalsView implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly entries = new Map<string, ProposalEntry>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly pendingChanged = new vscode.EventEmitter<PendingChange[]>();
  private counter = 0;
  readonly onDidChange = this.changed.event;
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /** The files waiting for a decision, each time one opens or is decided. */
  readonly onDidChangePending = this.pendingChanged.event;

  constructor(private readonly root: () => vscode.Uri | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const entry = this.entries.get(keyOf(uri));
    if (!entry) return '';
    return new URLSearchParams(uri.query).get('side') === 'original' ? (entry.file.originalContent ?? '') : entry.file.proposedContent;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.entries.get(keyOf(doc.uri));
    if (!entry || new URLSearchParams(doc.uri.query).get('side') === 'original') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    if (entry.conflict) lenses.push(new vscode.CodeLens(top, { title: `$(warning) ${entry.conflict}`, command: '' }));
    const decided = entry.hunks.size;
    lenses.push(
      new vscode.CodeLens(top, { title: `$(check) Approve file (${entry.file.hunks.length - decided} of ${entry.file.hunks.length} hunks open)`, command: 'agentHarness.proposals.approveFile', arguments: [entry.key] }),
      new vscode.CodeLens(top, { title: '$(close) Reject file…', command: 'agentHarness.proposals.rejectFile', arguments: [entry.key] }),
    );
    for (const h of entry.file.hunks) {
      const line = Math.min(Math.max(0, h.newStart - 1), Math.max(0, doc.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      const d = entry.hunks.get(h.index);
      const label = `Hunk ${h.index + 1} (line ${h.newStart})`;
      if (d) {
        lenses.push(new vscode.CodeLens(range, { title: `${label}: ${d.approved ? 'approved' : 'rejected'}`, command: '' }));
      } else {
        lenses.push(
          new vscode.CodeLens(range, { title: `$(check) Approve hunk ${h.index + 1}`, command: 'agentHarness.proposals.approveHunk', arguments: [entry.key, h.index] }),
          new vscode.CodeLens(range, { title: `$(close) Reject hunk ${h.index + 1}`, command: 'agentHarness.proposals.rejectHunk', arguments: [entry.key, h.index] }),
        );
      }
    }
    return lenses;
  }

  /** Opens the diff and resolves with the person's decisions (empty when cancelled). */
  present(file: FileChange, signal: AbortSignal, conflict?: string): Promise<FileDecision[]> {
    const key = `${++this.counter}`;
    const root = this.root();
    const proposedUri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${file.path}`, query: `id=${key}&side=proposed` });
    const originalUri =
      file.originalContent !== null && root ? vscode.Uri.joinPath(root, file.path) : vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${file.path}`, query: `id=${key}&side=original` });
    return new Promise<FileDecision[]>((resolve) => {
      const done = (decisions: FileDecision[]) => {
        if (!this.entries.delete(key)) return;
        signal.removeEventListener('abort', onAbort);
        this.pendingChanged.fire(this.pending());
        this.lensesChanged.fire();
        void closeDiffTabs(proposedUri);
        resolve(decisions);
      };
      const onAbort = () => done([]);
      const entry: ProposalEntry = { key, file, proposedUri, originalUri, hunks: new Map(), resolve: done, ...(conflict ? { conflict } : {}) };
      this.entries.set(key, entry);
      this.pendingChanged.fire(this.pending());
      signal.addEventListener('abort', onAbort, { once: true });
      this.open(entry);
    });
  }

  /** Opens (again) the diff of a waiting proposal: the first one when no key is given. False when nothing waits. */
  show(key?: string): boolean {
    const entry = key !== undefined ? this.entries.get(key) : this.entries.values().next().value;
    if (!entry) return false;
    this.open(entry);
    return true;
  }

  /** The proposals waiting for a decision, oldest first. */
  pending(): PendingChange[] {
    return [...this.entries.values()].map((e) => ({ key: e.key, path: e.file.path, newFile: e.file.originalContent === null, ...(e.conflict ? { conflict: true } : {}) }));
  }

  private open(entry: ProposalEntry): void {
    const { file, conflict } = entry;
    const title = `${file.path} (proposed by Agent Harness${file.originalContent === null ? ', new file' : ''}${conflict ? ', CONFLICT' : ''})`;
    void vscode.commands.executeCommand('vscode.diff', entry.originalUri, entry.proposedUri, title, { preview: false });
  }

  /** The key of the proposal shown in the active editor, for editor title actions. */
  activeKey(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme === PROPOSED_SCHEME) return keyOf(uri);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (tab instanceof vscode.TabInputTextDiff && tab.modified.scheme === PROPOSED_SCHEME) return keyOf(tab.modified);
    return this.entries.size === 1 ? [...this.entries.keys()][0] : undefined;
  }

  pendingCount(): number {
    return this.entries.size;
  }

  decideHunk(key: string, index: number, approved: boolean, reason?: string): void {
    const entry = this.entries.get(key);
    if (!entry || !entry.file.hunks[index]) return;
    entry.hunks.set(index, { index, approved, ...(reason ? { reason } : {}) });
    if (entry.hunks.size === entry.file.hunks.length) {
      entry.resolve([{ path: entry.file.path, decision: 'hunks', hunks: [...entry.hunks.values()] }]);
    } else {
      this.lensesChanged.fire();
    }
  }

  decideFile(key: string, approve: boolean, reason?: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    // Hunks already decided keep their decision; the file decision settles the rest.
    if (entry.hunks.size > 0) {
      for (const h of entry.file.hunks) if (!entry.hunks.has(h.index)) entry.hunks.set(h.index, { index: h.index, approved: approve, ...(reason ? { reason } : {}) });
      entry.resolve([{ path: entry.file.path, decision: 'hunks', hunks: [...entry.hunks.values()] }]);
      return;
    }
    entry.resolve([{ path: entry.file.path, decision: approve ? 'approve' : 'reject', ...(reason ? { reason } : {}) }]);
  }

  decideAll(approve: boolean, reason?: string): void {
    for (const key of [...this.entries.keys()]) this.decideFile(key, approve, reason);
  }

  dispose(): void {
    for (const e of [...this.entries.values()]) e.resolve([]);
    this.changed.dispose();
    this.lensesChanged.dispose();
    this.pendingChanged.dispose();
  }
}

function keyOf(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('id') ?? '';
}

async function closeDiffTabs(proposedUri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposedUri.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
