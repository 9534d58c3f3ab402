import { z } from 'zod';
import { describeEditFailure, strategyNote } from '../edits/editFeedback';
import { applyEdit } from '../edits/match';
import { proposeAndReport, readCurrentText, resolveForWrite, type EditToolDeps } from '../edits/propose';
import { ToolError, defineTool } from './defineTool';

export const EditFileArgsSchema = z.object({
  path: z.string().min(1).describe('File path relative to the workspace root.'),
  old_string: z.string().describe('The exact text to replace, copied from the file with enough surrounding lines to be unique. Empty only to create a new file.'),
  new_string: z.string().describe('The text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_string instead of requiring exactly one.'),
});
export type EditFileArgs = z.infer<typeof EditFileArgsSchema>;

/**
 * `edit_file {path, old_string, new_string, replace_all?}`: replaces text in a file through the
 * tolerant matcher and proposes the result for review. Edits to a file with a pending proposal apply
 * to the proposed content, so several edits in one run stack.
 */
export function createEditFileTool(deps: EditToolDeps) {
  return defineTool({
    name: 'edit_file',
    description:
      'Replace old_string with new_string in a file. old_string must match one place (include surrounding lines to make it unique) unless replace_all is true; small whitespace, indentation, line-ending and typographic-quote differences are tolerated. With an empty old_string a new file is created. The change is a proposal shown to the user for review; the result says whether it was applied or is pending.',
    kind: 'write',
    schema: EditFileArgsSchema,
    async run(args) {
      const target = await resolveForWrite(deps, args.path);
      const current = await readCurrentText(target);
      const base = deps.changeSet.pendingContent(target.path) ?? current;
      if (base === null) {
        if (args.old_string !== '') throw new ToolError(`${target.path} does not exist. To create it, call edit_file with an empty old_string or use write_file.`);
        return proposeAndReport(deps, target, current, args.new_string, 'Proposed new file');
      }
      const outcome = applyEdit(base, { oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all === true });
      if (!outcome.ok) throw new ToolError(describeEditFailure(target.path, outcome));
      const where = outcome.startLines.length === 1 ? `line ${outcome.startLines[0]}` : `${outcome.replacements} places (lines ${outcome.startLines.join(', ')})`;
      const out = await proposeAndReport(deps, target, current, outcome.content, `Proposed edit at ${where}${strategyNote(outcome.strategy)} of`);
      return out;
    },
  });
}
