import { stat } from 'node:fs/promises';
import picomatch from 'picomatch';
import { z } from 'zod';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, defineTool } from './defineTool';
import { JsFileLister, type FileLister } from './search/fileLister';
import { createGlobFilter } from './search/textSearcher';
import { isPathIgnored } from './search/walk';
import { TOOL } from '../../shared/toolNames';

export const FindFilesArgsSchema = z.object({
  pattern: z
    .string()
    .min(1)
    .describe('Glob relative to the workspace root: "*.ts" matches file names at any depth, "src/**/*.test.ts" whole paths, "**/{a,b}.json" alternatives.'),
});
export type FindFilesArgs = z.infer<typeof FindFilesArgsSchema>;

export interface FindFilesToolOptions {
  guard: PathGuard;
  root: string;
  /** How many paths are listed; the rest are counted. Default 200. */
  maxResults?: number;
  /** `rg --files` in the product (src/adapters/search); the JS walker when none is given. */
  lister?: FileLister;
}

export const DEFAULT_FIND_MAX_RESULTS = 200;

export function createFindFilesTool(opts: FindFilesToolOptions) {
  const maxResults = opts.maxResults ?? DEFAULT_FIND_MAX_RESULTS;
  const lister = opts.lister ?? new JsFileLister();
  return defineTool({
    name: TOOL.findFiles,
    description:
      'Find files by glob pattern. Returns workspace-relative paths, sorted. Skips .git, node_modules, virtualenvs, dist, build ' +
      'and whatever .gitignore ignores (name such a folder at the start of the pattern to search it anyway).',
    kind: 'read',
    schema: FindFilesArgsSchema,
    async run(args, ctx) {
      const pattern = args.pattern.trim().replace(/^\.\//, '');
      if (pattern.startsWith('/') || pattern.startsWith('../') || pattern.includes('/../')) {
        throw new ToolError(`The pattern ${JSON.stringify(args.pattern)} must be relative to the workspace root and stay inside it (no leading / or ..).`);
      }
      const filter = createGlobFilter(pattern);
      if (!filter) throw new ToolError('The pattern is empty.');

      // Walk only below the pattern's fixed folder prefix ("src/core" in "src/core/**/*.ts").
      const scan = picomatch.scan(pattern);
      const base = !pattern.includes('/') ? '' : scan.isGlob ? scan.base : pattern.slice(0, pattern.lastIndexOf('/'));
      const start = base === '' ? '.' : base;
      const verdict = await opts.guard.check(start, 'read');
      if (verdict.verdict === 'deny') throw new ToolError(`Cannot search ${start}: ${verdict.reason}.`);
      const root = await opts.guard.realRoot();
      try {
        if (!(await stat(verdict.resolved)).isDirectory()) return `No files match ${args.pattern}.`;
      } catch {
        return `No files match ${args.pattern} (${start} does not exist).`;
      }

      const ignored = base !== '' && (await isPathIgnored(root, verdict.resolved, true));
      const found = await lister.listFiles({ root, start: verdict.resolved, glob: pattern, respectGitignore: !ignored, signal: ctx.signal }, maxResults);
      if (found.total === 0) return `No files match ${args.pattern}.`;
      const shown = found.paths;
      const lines = [...shown];
      if (found.total > shown.length) {
        lines.push(`[Showing ${shown.length} of ${found.total} files; ${found.total - shown.length} more not shown. Use a more specific pattern.]`);
      }
      return lines.join('\n');
    },
  });
}
