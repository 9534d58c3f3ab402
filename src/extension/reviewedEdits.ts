import type { ApplyResult } from '../core/edits/apply';
import type { ChangeSet, FileChange } from '../core/edits/changeSet';
import { recordDecisions, renderDecisionSummary, summarizeOutcomes, type FileDecision } from '../core/edits/review';
import type { AnyTool, ToolContext, ToolOutput } from '../core/tools/defineTool';

/**
 * The extension's review of file edits, as ports so this wrapper runs in plain Node tests:
 * `review` shows the proposal (a diff editor) and resolves with the person's decisions;
 * `apply` writes the decided file (a WorkspaceEdit, so the editor's Undo works) and settles it.
 */
export interface EditReviewPorts {
  review(file: FileChange, signal: AbortSignal): Promise<FileDecision[]>;
  apply(changeSet: ChangeSet, path: string): Promise<ApplyResult[]>;
}

/**
 * Wraps write_file / edit_file: the inner tool only records the proposal (the set stays pending);
 * then the person decides in the diff view, the decision is applied, and the model gets the outcome
 * (including every rejected hunk and its reason) as the tool result. Approval stays a wrapper around
 * the tool rather than a flag inside it.
 */
export function withEditReview<T extends AnyTool>(tool: T, changeSet: ChangeSet, ports: EditReviewPorts): T {
  const run = async (args: unknown, ctx: ToolContext): Promise<ToolOutput | string> => {
    const inner = await tool.run(args as never, ctx);
    const out: ToolOutput = typeof inner === 'string' ? { content: inner } : inner;
    const path = out.filesChanged?.[0];
    const file = path !== undefined ? changeSet.get(path) : undefined;
    if (out.isError || !path || !file || file.state !== 'pending') return out;
    let decisions: FileDecision[];
    try {
      decisions = await ports.review(file, ctx.signal);
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      throw e;
    }
    recordDecisions(changeSet, decisions.filter((d) => d.path === path));
    const results = changeSet.get(path)?.state === 'pending' && changeSet.isDecided(path) ? await ports.apply(changeSet, path) : [];
    const outcomes = summarizeOutcomes(changeSet, [path], results);
    const head = out.content.split('\n')[0]?.replace(/ It is (pending review|a protected file).*$/, '') ?? '';
    const conflict = outcomes.some((o) => o.outcome === 'conflict');
    // Reviewed, the call changed the file only if something was written: the run summary's
    // "changed" list must not name a file the person rejected or that conflicted.
    const written = outcomes.some((o) => o.outcome === 'applied' || o.outcome === 'partially_applied');
    return { content: `${head}\n${renderDecisionSummary(outcomes)}`, filesChanged: written ? [path] : [], ...(conflict ? { isError: true } : {}) };
  };
  return { ...tool, run } as T;
}
