import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AttachmentChip, MentionItem, MentionRef } from '../../shared/attachments';
import type { PanelState } from '../../shared/panelState';
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import { TOOL } from '../../shared/toolNames';
import { capText, composeTask, estimateTextTokens, type ResolvedAttachment } from './composeTask';
import { MentionIndex } from './mentionIndex';
import { AttachError, readAttachableFile, readAttachableFolder } from './readAttachable';

const MAX_LISTED_FILES = 200_000;
/** A listing is reused this long unless a file was created or deleted meanwhile. */
const LISTING_TTL_MS = 60_000;
const MAX_PROBLEMS = 200;

/**
 * The composer's attachments on the host side: the `@` picker's rows (files and folders from the
 * same gitignore-aware lister find_files uses, plus the selection, problems, the last command's
 * output and the uncommitted changes), resolving a chosen row into text held here until the message
 * is sent, and composing the task. The webview only ever holds ids, labels and token counts.
 */
export class AttachmentHost implements vscode.Disposable {
  private index: { root: string; at: number; built: Promise<MentionIndex> } | undefined;
  private readonly held = new Map<string, ResolvedAttachment>();
  /** Created with the first listing: a window that never opens the picker watches nothing for it. */
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(
    private readonly state: () => PanelState,
    private readonly vscodeAppRoot: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The panel's picker messages; every failure becomes a row-less answer or a one-line message, never a throw. */
  async handle(msg: Extract<WebviewMessage, { type: 'mentionQuery' | 'attach' | 'detach' }>, post: (m: HostMessage) => void): Promise<void> {
    try {
      if (msg.type === 'mentionQuery') post({ type: 'mentions', query: msg.query, items: await this.query(msg.query) });
      else if (msg.type === 'attach') post({ type: 'attached', chip: await this.attach(msg.ref) });
      else this.detach(msg.id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof AttachError)) this.log(`attachment failed: ${message}`);
      if (msg.type === 'mentionQuery') post({ type: 'mentions', query: msg.query, items: [] });
      else post({ type: 'attachFailed', message });
    }
  }

  async query(query: string): Promise<MentionItem[]> {
    const root = rootFolder();
    const fixed = this.fixedRows();
    if (!root) return new MentionIndex([]).search(query, fixed);
    const recent = vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'file' ? [rel(t.input.uri)] : []));
    return (await this.listing(root)).search(query, fixed, recent);
  }

  /** Resolves a row into an attachment held here; the chip goes to the composer. */
  async attach(ref: MentionRef): Promise<AttachmentChip> {
    const resolved = await this.resolve(ref);
    this.held.set(resolved.chip.id, resolved);
    // Nothing unsent piles up: the oldest attachments beyond a composer's worth are dropped.
    while (this.held.size > 100) this.held.delete(this.held.keys().next().value as string);
    return resolved.chip;
  }

  /** The active editor's selection, held as an attachment now (Add Selection to Chat). */
  holdSelection(): AttachmentChip {
    const resolved = this.selection();
    this.held.set(resolved.chip.id, resolved);
    return resolved.chip;
  }

  detach(id: string): void {
    this.held.delete(id);
  }

  /** The task for a sent message: its words and the attachments it still holds (they are used once). */
  compose(text: string, ids: readonly string[]): { task: string; display: string } {
    const chosen = ids.flatMap((id) => {
      const a = this.held.get(id);
      this.held.delete(id);
      return a ? [a] : [];
    });
    return composeTask(text, chosen);
  }

  private async listing(root: string): Promise<MentionIndex> {
    if (!this.watcher) {
      this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
      const stale = () => (this.index = undefined);
      this.watcher.onDidCreate(stale);
      this.watcher.onDidDelete(stale);
    }
    if (!this.index || this.index.root !== root || Date.now() - this.index.at > LISTING_TTL_MS) {
      const built = (async () => {
        const { createFileLister } = await import('../../adapters/search/ripgrepLocator');
        const lister = await createFileLister({ vscodeAppRoot: this.vscodeAppRoot });
        const { paths } = await lister.listFiles({ root, start: root, respectGitignore: true }, MAX_LISTED_FILES);
        return new MentionIndex(paths);
      })();
      this.index = { root, at: Date.now(), built };
      built.catch(() => (this.index = undefined));
    }
    return this.index.built;
  }

  private fixedRows(): MentionItem[] {
    const rows: MentionItem[] = [];
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty && editor.document.uri.scheme === 'file') {
      rows.push({ ref: { kind: 'selection' }, label: 'Selection', detail: `${rel(editor.document.uri)}:${editor.selection.start.line + 1}-${editor.selection.end.line + 1}` });
    }
    if (editor && editor.document.uri.scheme === 'file') {
      const n = vscode.languages.getDiagnostics(editor.document.uri).length;
      rows.push({ ref: { kind: 'problems', path: rel(editor.document.uri) }, label: `Problems in ${path.basename(editor.document.uri.fsPath)}`, detail: `${n} problem${n === 1 ? '' : 's'}` });
    }
    const all = vscode.languages.getDiagnostics().reduce((n, [, d]) => n + d.length, 0);
    rows.push({ ref: { kind: 'problems' }, label: 'Problems in the workspace', detail: `${all} problem${all === 1 ? '' : 's'}` });
    const last = lastCommand(this.state());
    if (last) rows.push({ ref: { kind: 'lastCommand' }, label: 'Last command output', detail: last.command.slice(0, 200) });
    rows.push({ ref: { kind: 'changes' }, label: 'Uncommitted changes', detail: 'git diff against HEAD, untracked files included' });
    return rows;
  }

  private async resolve(ref: MentionRef): Promise<ResolvedAttachment> {
    const root = rootFolder();
    if (!root) throw new AttachError('Open a folder first: attachments come from the workspace.');
    const { PathGuard } = await import('../../core/policy/pathGuard');
    switch (ref.kind) {
      case 'file': {
        const f = await readAttachableFile(new PathGuard(root), ref.path);
        return made('file', path.posix.basename(f.relative), f.relative, `file ${f.relative}`, f.text, languageOf(f.relative));
      }
      case 'folder': {
        const f = await readAttachableFolder(new PathGuard(root), ref.path);
        return made('folder', `${path.posix.basename(f.relative)}/`, f.relative, `folder ${f.relative} (its entries)`, f.text, '');
      }
      case 'selection':
        return this.selection();
      case 'problems':
        return problems(ref.path !== undefined ? vscode.Uri.joinPath(vscode.Uri.file(root), ref.path) : undefined);
      case 'lastCommand': {
        const last = lastCommand(this.state());
        if (!last) throw new AttachError('No command has run in this window yet.');
        return made('lastCommand', 'Last command output', last.command, `output of \`${last.command}\``, last.result, '');
      }
      case 'changes':
        return changes(root);
    }
  }

  /** The active editor's selection, captured now (the chip keeps it even if the editor changes). */
  selection(): ResolvedAttachment {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) throw new AttachError('Select some code in an editor first.');
    const file = rel(editor.document.uri);
    const lines = `${editor.selection.start.line + 1}-${editor.selection.end.line + 1}`;
    return made('selection', `${path.posix.basename(file)}:${lines}`, `selection in ${file}`, `selection in ${file} (lines ${lines})`, editor.document.getText(editor.selection), editor.document.languageId);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.held.clear();
  }
}

function made(kind: AttachmentChip['kind'], label: string, detail: string, title: string, content: string, language: string): ResolvedAttachment {
  const text = capText(content);
  return { chip: { id: randomUUID(), kind, label, detail, tokens: estimateTextTokens(text) }, title, content: text, language };
}

function problems(uri: vscode.Uri | undefined): ResolvedAttachment {
  const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = uri ? [[uri, vscode.languages.getDiagnostics(uri)]] : vscode.languages.getDiagnostics();
  const lines = entries.flatMap(([u, ds]) => ds.map((d) => `${rel(u)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity].toLowerCase()}: ${d.message}${d.source ? ` (${d.source})` : ''}`));
  const where = uri ? rel(uri) : 'the workspace';
  if (lines.length === 0) throw new AttachError(`VS Code reports no problems in ${where}.`);
  const shown = lines.slice(0, MAX_PROBLEMS).join('\n') + (lines.length > MAX_PROBLEMS ? `\n… and ${lines.length - MAX_PROBLEMS} more` : '');
  return made('problems', uri ? `Problems in ${path.basename(uri.fsPath)}` : 'Problems', `${lines.length} in ${where}`, `problems VS Code reports in ${where}`, shown, '');
}

async function changes(root: string): Promise<ResolvedAttachment> {
  const [{ GitCli }, { renderFileDiff }, { GitError }] = await Promise.all([import('../../adapters/git/gitCli'), import('../../core/codeReview/diffBudget'), import('../../core/codeReview/gitPort')]);
  try {
    const diff = await new GitCli({ cwd: root }).diff({ kind: 'uncommitted' });
    if (diff.files.length === 0) throw new AttachError('There are no uncommitted changes.');
    const text = [...diff.files.map(renderFileDiff), ...diff.notes.map((n) => `Note: ${n}`)].join('\n');
    return made('changes', 'Uncommitted changes', `${diff.files.length} file${diff.files.length === 1 ? '' : 's'}`, diff.description, text, 'diff');
  } catch (e) {
    if (e instanceof GitError) throw new AttachError(e.message);
    throw e;
  }
}

/** The last run_command card of the conversation that has a result. */
function lastCommand(state: PanelState): { command: string; result: string } | undefined {
  for (let i = state.items.length - 1; i >= 0; i--) {
    const item = state.items[i];
    if (item?.kind !== 'tool' || item.name !== TOOL.runCommand || item.result === undefined) continue;
    let command = '';
    try {
      const args = JSON.parse(item.args) as { command?: unknown };
      command = typeof args.command === 'string' ? args.command : '';
    } catch {
      /* shown without the command line */
    }
    return { command, result: item.result };
  }
  return undefined;
}

function rootFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function rel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

function languageOf(file: string): string {
  const ext = path.posix.extname(file).slice(1);
  return /^[a-z0-9+#-]{1,12}$/i.test(ext) ? ext : '';
}
