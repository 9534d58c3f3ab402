import * as vscode from 'vscode';
import { editorLines } from '../../core/codeReview/commentLocation';
import type { CheckedComment, ReviewResult } from '../../core/codeReview/reviewSchema';
import {
  diagnosticView,
  DIAGNOSTIC_COLLECTION,
  DIAGNOSTIC_SOURCE,
  REVIEW_CONTROLLER_ID,
  REVIEW_CONTROLLER_LABEL,
  THREAD_OPEN,
  THREAD_RESOLVED,
  threadView,
} from './codeReviewViewModel';

/** One review comment as VS Code shows it: a read-only Markdown comment. */
class CodeReviewComment implements vscode.Comment {
  readonly mode = vscode.CommentMode.Preview;
  constructor(
    readonly body: vscode.MarkdownString,
    readonly author: vscode.CommentAuthorInformation,
    readonly contextValue: string,
  ) {}
}

interface Entry {
  uri: vscode.Uri;
  comment: CheckedComment;
  view: CodeReviewComment;
  thread: vscode.CommentThread;
  diagnostic: vscode.Diagnostic;
  resolved: boolean;
}

/**
 * The review's comments in the editor: one comment thread per comment on its lines (file-level
 * comments on the file's first line, labelled as such), and the same comments in the Problems view.
 * Showing a review replaces the previous one; resolving a thread collapses it and takes its problem
 * off the list; clearing removes everything.
 */
export class CodeReviewComments implements vscode.Disposable {
  private readonly controller: vscode.CommentController;
  private readonly diagnostics: vscode.DiagnosticCollection;
  private entries: Entry[] = [];

  constructor() {
    this.controller = vscode.comments.createCommentController(REVIEW_CONTROLLER_ID, REVIEW_CONTROLLER_LABEL);
    // No commenting ranges: people do not write comments here, they read the review's.
    this.controller.options = { placeHolder: vscode.l10n.t('Review comments are read-only'), prompt: vscode.l10n.t('Review comments are read-only') };
    this.diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_COLLECTION);
  }

  show(root: vscode.Uri, result: ReviewResult): void {
    this.clear();
    for (const c of result.comments) {
      const uri = vscode.Uri.joinPath(root, ...c.path.split('/'));
      const lines = editorLines(c);
      const tv = threadView(c, lines);
      const body = new vscode.MarkdownString(tv.body);
      // Model text: no command links, no HTML.
      body.isTrusted = false;
      body.supportHtml = false;
      const view = new CodeReviewComment(body, { name: tv.author }, tv.commentContext);
      const thread = this.controller.createCommentThread(uri, new vscode.Range(tv.startLine, 0, tv.endLine, 0), [view]);
      thread.label = tv.label;
      thread.canReply = false;
      thread.contextValue = THREAD_OPEN;
      thread.state = vscode.CommentThreadState.Unresolved;
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      const dv = diagnosticView(c, lines);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(dv.startLine, 0, dv.endLine, Number.MAX_SAFE_INTEGER), dv.message, dv.severity as vscode.DiagnosticSeverity);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      this.entries.push({ uri, comment: c, view, thread, diagnostic, resolved: false });
    }
    this.publishDiagnostics();
  }

  /** The review comment behind a menu command's argument (the Comment for comment menus, the thread for thread menus). */
  find(arg: unknown): { comment: CheckedComment; uri: vscode.Uri; thread: vscode.CommentThread } | undefined {
    const e = this.entries.find((x) => x.view === arg || x.thread === arg);
    return e ? { comment: e.comment, uri: e.uri, thread: e.thread } : undefined;
  }

  resolve(arg: unknown): boolean {
    const e = this.entries.find((x) => x.view === arg || x.thread === arg);
    if (!e || e.resolved) return false;
    e.resolved = true;
    e.thread.state = vscode.CommentThreadState.Resolved;
    e.thread.contextValue = THREAD_RESOLVED;
    e.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Collapsed;
    this.publishDiagnostics();
    return true;
  }

  count(): { open: number; total: number } {
    return { open: this.entries.filter((e) => !e.resolved).length, total: this.entries.length };
  }

  clear(): void {
    for (const e of this.entries) e.thread.dispose();
    this.entries = [];
    this.diagnostics.clear();
  }

  private publishDiagnostics(): void {
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const e of this.entries) {
      const key = e.uri.toString();
      const slot = byFile.get(key) ?? { uri: e.uri, list: [] };
      if (!e.resolved) slot.list.push(e.diagnostic);
      byFile.set(key, slot);
    }
    this.diagnostics.clear();
    for (const { uri, list } of byFile.values()) if (list.length > 0) this.diagnostics.set(uri, list);
  }

  dispose(): void {
    this.clear();
    this.diagnostics.dispose();
    this.controller.dispose();
  }
}
