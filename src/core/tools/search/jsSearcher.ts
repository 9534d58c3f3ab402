import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  MatchCollector,
  clipMatchText,
  createGlobFilter,
  type TextSearchRequest,
  type TextSearchResult,
  type TextSearcher,
} from './textSearcher';
import { toPosixRelative, walkFiles } from './walk';
import { isSearchExcluded } from '../../policy/protectedPaths';

/**
 * The fallback searcher: walks the tree in JS and tests each line. It is the reference for what
 * rg must return, and runs when no rg binary is available. Binary files (a NUL byte that is not
 * UTF-16 text) are skipped, as rg skips them.
 */
export class JsSearcher implements TextSearcher {
  readonly engine = 'js';

  async search(req: TextSearchRequest): Promise<TextSearchResult> {
    const lineRegex = new RegExp(req.pattern, flagsFor(req));
    // Lookaround can see across lines in a whole-file test but not in a per-line one, so the cheap
    // whole-file prefilter is only sound without it.
    const prefilter = /\(\?<?[=!]/.test(req.pattern) ? undefined : new RegExp(req.pattern, `${flagsFor(req)}m`);
    const filter = createGlobFilter(req.glob);
    const collector = new MatchCollector(req.maxMatches);

    const info = await stat(req.start);
    const files = info.isDirectory()
      ? walkFiles({ root: req.root, start: req.start, signal: req.signal, respectGitignore: req.respectGitignore })
      : single(req.root, req.start);

    for await (const file of files) {
      if (filter && !filter(file.rel)) continue;
      if (isSearchExcluded(path.posix.basename(file.rel))) continue;
      let bytes: Buffer;
      try {
        bytes = await readFile(file.abs);
      } catch {
        continue; // Unreadable files are skipped, as rg skips them.
      }
      const text = decodeForSearch(bytes);
      if (text === undefined) continue;
      if (prefilter && !prefilter.test(text)) continue;
      let lineNo = 0;
      let from = 0;
      while (from <= text.length) {
        const nl = text.indexOf('\n', from);
        const end = nl < 0 ? text.length : nl;
        if (nl < 0 && from === text.length) break;
        lineNo++;
        const line = text.slice(from, end);
        if (lineRegex.test(line)) collector.add({ path: file.rel, line: lineNo, text: clipMatchText(line) });
        from = end + 1;
      }
    }
    return collector.result(this.engine);
  }
}

function flagsFor(req: TextSearchRequest): string {
  const base = req.caseInsensitive ? 'i' : '';
  try {
    new RegExp(req.pattern, `${base}u`);
    return `${base}u`;
  } catch {
    return base;
  }
}

async function* single(root: string, file: string): AsyncGenerator<{ abs: string; rel: string }> {
  yield { abs: path.resolve(file), rel: toPosixRelative(root, file) };
}

/** The file's text, or undefined for a binary file. UTF-16 with a byte-order mark is decoded, as rg does. */
function decodeForSearch(bytes: Buffer): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) return undefined;
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}
