import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { PathGuard } from '../policy/pathGuard';
import { ToolError, defineTool } from './defineTool';
import { decodeText, readFileHead, sniffText } from './search/textDetect';
import { TOOL } from '../../shared/toolNames';

export const ReadFileArgsSchema = z.object({
  path: z.string().describe('File path relative to the workspace root.'),
  offset: z.number().int().min(1).optional().describe('First line to show, 1-based (default 1).'),
  limit: z.number().int().min(1).optional().describe('How many lines to show at most (default: as many as fit the size cap).'),
});
export type ReadFileArgs = z.infer<typeof ReadFileArgsSchema>;

export interface ReadFileToolOptions {
  guard: PathGuard;
  root: string;
  /** Cap on the text returned per call, in bytes of file content. Default 100 KB. */
  maxBytes?: number;
  /** Files larger than this are not loaded at all (grep finds lines in them). Default 32 MB. */
  maxFileBytes?: number;
}

export const DEFAULT_READ_MAX_BYTES = 100 * 1024;
export const DEFAULT_READ_MAX_FILE_BYTES = 32 * 1024 * 1024;

export function createReadFileTool(opts: ReadFileToolOptions) {
  const maxBytes = opts.maxBytes ?? DEFAULT_READ_MAX_BYTES;
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_READ_MAX_FILE_BYTES;
  return defineTool({
    name: TOOL.readFile,
    description:
      `Read a text file. Each line is prefixed with its number and a tab. At most ${Math.round(maxBytes / 1024)} KB per call; ` +
      'when the file is longer, the result ends with the offset to pass to read the rest. Binary files are refused.',
    kind: 'read',
    schema: ReadFileArgsSchema,
    async run(args) {
      const verdict = await opts.guard.check(args.path, 'read');
      if (verdict.verdict === 'deny') throw new ToolError(`Cannot read ${args.path}: ${verdict.reason}.`);
      let info;
      try {
        info = await stat(verdict.resolved);
      } catch {
        throw new ToolError(`Cannot read ${args.path}: the file does not exist. Use find_files or list_dir to find the right path.`);
      }
      if (info.isDirectory()) throw new ToolError(`${verdict.relative} is a folder; use list_dir to see what it holds.`);
      if (!info.isFile()) throw new ToolError(`${verdict.relative} is not a regular file (a device, socket or pipe) and cannot be read.`);
      if (info.size > maxFileBytes) {
        throw new ToolError(
          `${verdict.relative} is ${formatMb(info.size)}, more than read_file loads (${formatMb(maxFileBytes)}); use grep with path=${JSON.stringify(verdict.relative)} to find the lines you need.`,
        );
      }
      if (info.size === 0) return `${verdict.relative} is empty (0 bytes).`;

      const sniff = sniffText(await readFileHead(verdict.resolved));
      if (sniff.binary) {
        throw new ToolError(`${verdict.relative} looks like a binary file (${sniff.why}), so read_file does not show it. It is ${info.size} bytes.`);
      }
      const { text, invalid } = decodeText(await readFile(verdict.resolved), sniff.encoding);
      return renderLines(verdict.relative, text, { offset: args.offset ?? 1, limit: args.limit, maxBytes, invalid });
    },
  });
}

interface RenderOptions {
  offset: number;
  limit: number | undefined;
  maxBytes: number;
  invalid: number;
}

/** Splits into lines (the empty piece after a final newline is not a line) and renders the window asked for. */
export function renderLines(relative: string, text: string, o: RenderOptions): string {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const total = lines.length;
  if (o.offset > total) {
    throw new ToolError(`offset ${o.offset} is past the end of ${relative}, which has ${total} ${total === 1 ? 'line' : 'lines'}.`);
  }
  const lastWanted = o.limit === undefined ? total : Math.min(total, o.offset + o.limit - 1);
  const width = String(lastWanted).length;
  const out: string[] = [];
  let used = 0;
  let last = o.offset - 1;
  let cutBySize = false;
  let cutLine: { line: number; shown: number; length: number } | undefined;
  for (let n = o.offset; n <= lastWanted; n++) {
    const raw = lines[n - 1] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cost = Buffer.byteLength(line, 'utf8') + 1;
    if (used + cost > o.maxBytes) {
      if (out.length === 0) {
        // A single line longer than the cap (minified code): show its start rather than nothing.
        const shown = sliceToBytes(line, o.maxBytes);
        out.push(`${String(n).padStart(width)}\t${shown}`);
        cutLine = { line: n, shown: shown.length, length: line.length };
        last = n;
      }
      cutBySize = true;
      break;
    }
    used += cost;
    out.push(`${String(n).padStart(width)}\t${line}`);
    last = n;
  }

  const notes: string[] = [];
  if (cutLine) notes.push(`[Line ${cutLine.line} is ${cutLine.length} characters long; only the first ${cutLine.shown} are shown.]`);
  if (last < total) {
    const why = cutBySize ? `the ${Math.round(o.maxBytes / 1024)} KB size cap` : `limit=${o.limit}`;
    notes.push(`[Showing lines ${o.offset}-${last} of ${total} (stopped at ${why}). To read more, call read_file with offset=${last + 1}.]`);
  }
  if (o.invalid > 0) notes.push(`[The file is not valid UTF-8: ${o.invalid} byte sequences are shown as \ufffd.]`);
  return [...out, ...notes].join('\n');
}

function sliceToBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(s.slice(0, mid), 'utf8') <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return s.slice(0, lo);
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
