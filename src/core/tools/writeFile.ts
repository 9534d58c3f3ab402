import { z } from 'zod';
import { proposeAndReport, readCurrentText, resolveForWrite, type EditToolDeps } from '../edits/propose';
import { detectFormat, restoreFormat, toEol } from '../edits/textFormat';
import { defineTool } from './defineTool';
import { TOOL } from '../../shared/toolNames';

export const WriteFileArgsSchema = z.object({
  path: z.string().min(1).describe('File path relative to the workspace root.'),
  content: z.string().describe('The complete new content of the file.'),
});
export type WriteFileArgs = z.infer<typeof WriteFileArgsSchema>;

/**
 * `write_file {path, content}`: proposes the whole content of a file (new or existing). It does not
 * write: the proposal joins the run's change set for review. On an existing file the file's BOM,
 * line endings and final-newline state are kept, so a rewrite does not turn into a whole-file diff.
 */
export function createWriteFileTool(deps: EditToolDeps) {
  return defineTool({
    name: TOOL.writeFile,
    description:
      'Create a file or replace its whole content. Prefer edit_file for changes to part of an existing file. The change is a proposal: it is shown to the user for review and written only when approved (the result says whether it was applied or is pending).',
    kind: 'write',
    schema: WriteFileArgsSchema,
    async run({ path, content }, ctx) {
      const target = await resolveForWrite(deps, path);
      const current = await readCurrentText(target);
      const base = deps.changeSet.pendingContent(target.path) ?? current;
      let proposed = content;
      if (base !== null && base !== '') {
        // The file's BOM and line endings are kept, and a final newline it had is not dropped; a file
        // without one may gain one, since that is what the model asked for and no tool minds.
        const format = detectFormat(base);
        proposed = restoreFormat(content.includes('\n') ? toEol(content, format.eol) : content, { ...format, finalNewline: format.finalNewline || content.endsWith('\n') });
      }
      return proposeAndReport(deps, target, current, proposed, current === null && base === null ? 'Proposed new file' : 'Proposed new content for', ctx.signal);
    },
  });
}
