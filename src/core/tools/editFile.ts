import { z } from 'zod';
import { describeEditFailure, strategyNote } from '../edits/editFeedback';
import { applyEdits, type EditRequest } from '../edits/match';
import { proposeAndReport, readCurrentText, resolveForWrite, type EditToolDeps } from '../edits/propose';
import { ToolError, defineTool } from './defineTool';
import { TOOL } from '../../shared/toolNames';

const OneEditSchema = z.object({
  old_string: z.string().describe('The exact text to replace, copied from the file with enough surrounding lines to be unique.'),
  new_string: z.string().describe('The text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_string instead of requiring exactly one.'),
});

export const EditFileArgsSchema = z.object({
  path: z.string().min(1).describe('File path relative to the workspace root.'),
  old_string: z
    .string()
    .optional()
    .describe('The exact text to replace, copied from the file with enough surrounding lines to be unique. Empty: fill an empty (or new) file, or insert new_string at the start of the file.'),
  new_string: z.string().optional().describe('The text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_string instead of requiring exactly one.'),
  edits: z
    .array(OneEditSchema)
    .min(1)
    .max(50)
    .optional()
    .describe('Several edits to this file, applied in order (each to the result of the one before), all or nothing. Use instead of old_string/new_string.'),
});
export type EditFileArgs = z.infer<typeof EditFileArgsSchema>;

/** The edits a call asks for: `edits`, or the one old_string/new_string pair; a call with neither or both is a mistake the model is told about. */
function requestedEdits(args: EditFileArgs): EditRequest[] {
  const single = args.old_string !== undefined || args.new_string !== undefined;
  if (args.edits && single) throw new ToolError('Give either old_string/new_string or edits, not both.');
  if (args.edits) return args.edits.map((e) => ({ oldString: e.old_string, newString: e.new_string, replaceAll: e.replace_all === true }));
  if (args.old_string === undefined || args.new_string === undefined) throw new ToolError('Give old_string and new_string (or edits: a list of {old_string, new_string}).');
  return [{ oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all === true }];
}

/**
 * `edit_file {path, old_string, new_string, replace_all?}` (or `edits: [...]`): replaces text in a file
 * through the tolerant matcher and proposes the result for review. Edits to a file with a pending
 * proposal apply to the proposed content, so several edits in one run stack.
 */
export function createEditFileTool(deps: EditToolDeps) {
  return defineTool({
    name: TOOL.editFile,
    description:
      'Replace old_string with new_string in a file. old_string must match one place (include surrounding lines to make it unique) unless replace_all is true; whitespace, indentation, blank-line, line-ending and typographic-quote differences, line-number prefixes copied from read output, double escaping and a misspelt word are tolerated when the place is still unique, and the result says how it matched. An empty old_string creates a new file (or inserts at the start of an existing one). Several changes to one file: pass edits, applied in order, all or nothing. The change is a proposal shown to the user for review; the result says whether it was applied or is pending.',
    kind: 'write',
    schema: EditFileArgsSchema,
    async run(args, ctx) {
      const edits = requestedEdits(args);
      const target = await resolveForWrite(deps, args.path);
      const current = await readCurrentText(target);
      const base = deps.changeSet.pendingContent(target.path) ?? current;
      if (base === null) {
        if (edits.length !== 1 || edits[0]!.oldString !== '') throw new ToolError(`${target.path} does not exist. To create it, call edit_file with an empty old_string or use write_file.`);
        return proposeAndReport(deps, target, current, edits[0]!.newString, 'Proposed new file', ctx.signal);
      }
      const result = applyEdits(base, edits);
      if (!result.ok) {
        const which = edits.length > 1 ? `Edit ${result.index + 1} of ${edits.length} failed, so none was applied: ` : '';
        throw new ToolError(which + describeEditFailure(target.path, result.failure));
      }
      const where = result.outcomes
        .map((o) => (o.startLines.length === 1 ? `line ${o.startLines[0]}` : `${o.replacements} places (lines ${o.startLines.join(', ')})`) + strategyNote(o))
        .join('; ');
      return proposeAndReport(deps, target, current, result.content, `Proposed ${edits.length > 1 ? `${edits.length} edits at ` : 'edit at '}${where} of`, ctx.signal);
    },
  });
}
