import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, defineTool } from './defineTool';
import { JsSearcher } from './search/jsSearcher';
import { readFileHead, sniffText } from './search/textDetect';
import { compileSearchPattern, type TextSearcher } from './search/textSearcher';
import { isPathIgnored } from './search/walk';
import { TOOL } from '../../shared/toolNames';

export const GrepArgsSchema = z.object({
  pattern: z.string().min(1).describe('Regular expression, matched line by line. Start it with (?i) to ignore case.'),
  path: z.string().optional().describe('File or folder to search, relative to the workspace root (default: the whole workspace).'),
  glob: z.string().optional().describe('Only files matching this glob: "*.ts" matches file names at any depth, "src/**/*.ts" whole paths from the workspace root.'),
});
export type GrepArgs = z.infer<typeof GrepArgsSchema>;

export interface GrepToolOptions {
  guard: PathGuard;
  root: string;
  /** ripgrep in the product (src/adapters/search); the JS searcher when none is given. */
  searcher?: TextSearcher;
  /** How many matching lines are shown; the rest are counted. Default 50. */
  maxMatches?: number;
}

export const DEFAULT_GREP_MAX_MATCHES = 50;

export function createGrepTool(opts: GrepToolOptions) {
  const searcher = opts.searcher ?? new JsSearcher();
  const maxMatches = opts.maxMatches ?? DEFAULT_GREP_MAX_MATCHES;
  return defineTool({
    name: TOOL.grep,
    description:
      `Search file contents with a regular expression. Returns matching lines as path:line: text, at most ${maxMatches}, ` +
      'with a count of the rest. Skips .git, node_modules, virtualenvs, dist, build, binary files and whatever .gitignore ignores.',
    kind: 'read',
    schema: GrepArgsSchema,
    async run(args, ctx) {
      const where = args.path ?? '.';
      const verdict = await opts.guard.check(where, 'read');
      if (verdict.verdict === 'deny') throw new ToolError(`Cannot search ${where}: ${verdict.reason}.`);
      let compiled;
      try {
        compiled = compileSearchPattern(args.pattern);
      } catch (e) {
        throw new ToolError(`${e instanceof Error ? e.message : String(e)}. Fix the pattern (escape special characters like ( [ . * with a backslash) and try again.`);
      }
      let info;
      try {
        info = await stat(verdict.resolved);
      } catch {
        throw new ToolError(`Cannot search ${where}: it does not exist. Use list_dir or find_files to see what is there.`);
      }
      if (info.isFile()) {
        const sniff = sniffText(await readFileHead(verdict.resolved));
        if (sniff.binary) return `${verdict.relative} is a binary file (${sniff.why}); grep searches text files only.`;
      }

      const root = await opts.guard.realRoot();
      const ignored = await isPathIgnored(root, verdict.resolved, info.isDirectory());
      const result = await searcher.search({
        root,
        start: verdict.resolved,
        pattern: compiled.source,
        caseInsensitive: compiled.caseInsensitive,
        glob: args.glob,
        respectGitignore: !ignored,
        maxMatches,
        signal: ctx.signal,
      });

      const scope = `${verdict.relative === '.' ? 'the workspace' : verdict.relative}${args.glob ? ` (files matching ${args.glob})` : ''}`;
      const notes: string[] = [];
      if (ignored) notes.push(`[${verdict.relative} is normally skipped (.gitignore or a skipped folder name); it was searched because you named it.]`);
      if (result.total === 0) return [`No matches for ${args.pattern} in ${scope}.`, ...notes].join('\n');
      const lines = result.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
      const more = result.total - result.matches.length;
      if (more > 0) {
        notes.push(
          `[Showing the first ${result.matches.length} of ${result.total} matching lines; ${more} more not shown. ` +
            'Narrow the search with path or glob, or a more specific pattern.]',
        );
      }
      return [...lines, ...notes].join('\n');
    },
  });
}
