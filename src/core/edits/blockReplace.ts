import { diffArrays } from 'diff';
import { leadingWhitespace, shiftIndent } from './reindent';

/**
 * The replacement for a block matched line by line with some tolerance (other indentation, spacing,
 * blank lines, a typo). old_string -> new_string is applied to the file's lines as a patch rather than
 * pasting new_string over them: lines the model left unchanged keep the file's indentation (and,
 * after a typo, the file's text), blank lines the model did not know about stay, and each changed or
 * added line takes the indentation of the old line it replaces, shifted by as much as the model
 * shifted it. So a block whose copy lost its nesting (`if {`, `return`, `}` all at column
 * 0) is still written back with the file's nesting.
 */
export interface MatchedBlock {
  /** The old lines (blank ends trimmed), as the model wrote them. */
  oldLines: readonly string[];
  /** The new lines (the same blank ends trimmed). */
  newLines: readonly string[];
  /** Per old line, the file line it matched; undefined for an old blank line the file does not have. */
  fileOf: ReadonlyArray<number | undefined>;
  /** First and last file line of the match. */
  first: number;
  last: number;
  content(i: number): string;
  /**
   * Unchanged lines keep the file's text exactly (used when the old lines differ from the file in
   * more than whitespace, as with a typo); otherwise they are the model's line at the file line's
   * indentation, as the peers write them.
   */
  keepFileText?: boolean;
}

export function replaceBlock(block: MatchedBlock): string[] {
  const { oldLines, newLines, fileOf, content } = block;
  const kept = new Array<boolean>(oldLines.length).fill(false);
  /** Lines to add after old line j (key j; -1 for before the first), with the old line to take indentation from. */
  const inserts = new Map<number, Array<{ line: string; pair: number | undefined }>>();
  let oi = 0;
  let removedRun: number[] = [];
  for (const part of diffArrays([...oldLines], [...newLines])) {
    if (part.removed) {
      removedRun = part.value.map((_, k) => oi + k);
      oi += part.value.length;
      continue;
    }
    if (part.added) {
      const anchor = oi - 1;
      const list = inserts.get(anchor) ?? [];
      part.value.forEach((line, k) => list.push({ line, pair: removedRun.length > 0 ? removedRun[Math.min(k, removedRun.length - 1)] : undefined }));
      inserts.set(anchor, list);
      removedRun = [];
      continue;
    }
    for (let k = 0; k < part.value.length; k++) kept[oi + k] = true;
    oi += part.value.length;
    removedRun = [];
  }

  const inFileFrame = newInFileFrame(block);
  const indentFor = (line: string, pair: number | undefined, anchor: number): string => {
    if (inFileFrame || line.trim() === '') return line;
    const ref = referenceLine(block, pair ?? (anchor >= 0 ? anchor : 0));
    if (ref === undefined) return line;
    return shiftIndent([line], leadingWhitespace(oldLines[ref] as string), leadingWhitespace(content(fileOf[ref] as number)))[0] as string;
  };
  const emitInserts = (anchor: number, out: string[]): void => {
    for (const { line, pair } of inserts.get(anchor) ?? []) out.push(indentFor(line, pair, anchor));
  };

  const oldAt = new Map<number, number>();
  fileOf.forEach((f, j) => {
    if (f !== undefined) oldAt.set(f, j);
  });
  const out: string[] = [];
  emitInserts(-1, out);
  // Old lines without a file line (blank lines the file lacks) still carry their inserts.
  let j = 0;
  const flushUnmapped = (upTo: number): void => {
    for (; j < upTo; j++) if (fileOf[j] === undefined) emitInserts(j, out);
  };
  for (let f = block.first; f <= block.last; f++) {
    const o = oldAt.get(f);
    if (o === undefined) {
      const prev = previousMapped(fileOf, f);
      const next = nextMapped(fileOf, f);
      const inRemoved = prev !== undefined && next !== undefined && !kept[prev] && !kept[next];
      if (!inRemoved) out.push(content(f));
      continue;
    }
    flushUnmapped(o);
    if (kept[o]) out.push(block.keepFileText ? content(f) : inFileFrame ? (oldLines[o] as string) : leadingWhitespace(content(f)) + (oldLines[o] as string).trimStart());
    emitInserts(o, out);
    j = o + 1;
  }
  flushUnmapped(oldLines.length);
  return out;
}

/**
 * Whether the model wrote new_string at the file's indentation although its old_string was off: the
 * new line that repeats the first old line (else the first non-blank new line) already has the file's
 * indentation of that line, and the old line did not.
 */
function newInFileFrame(block: MatchedBlock): boolean {
  const first = block.oldLines.findIndex((l, j) => l.trim() !== '' && block.fileOf[j] !== undefined);
  if (first === -1) return false;
  const oldFirst = block.oldLines[first] as string;
  const fileLead = leadingWhitespace(block.content(block.fileOf[first] as number));
  if (leadingWhitespace(oldFirst) === fileLead) return false;
  const probe = block.newLines.find((l) => l.trim() !== '' && l.trim() === oldFirst.trim()) ?? block.newLines.find((l) => l.trim() !== '');
  return probe !== undefined && leadingWhitespace(probe) === fileLead;
}

/** The nearest non-blank old line with a file line, looking back from j first, then forward. */
function referenceLine(block: MatchedBlock, j: number): number | undefined {
  const ok = (k: number) => block.fileOf[k] !== undefined && (block.oldLines[k] as string).trim() !== '';
  for (let k = Math.min(j, block.oldLines.length - 1); k >= 0; k--) if (ok(k)) return k;
  for (let k = j + 1; k < block.oldLines.length; k++) if (ok(k)) return k;
  return undefined;
}

function previousMapped(fileOf: ReadonlyArray<number | undefined>, f: number): number | undefined {
  let best: number | undefined;
  fileOf.forEach((g, j) => {
    if (g !== undefined && g < f && (best === undefined || g > (fileOf[best] as number))) best = j;
  });
  return best;
}

function nextMapped(fileOf: ReadonlyArray<number | undefined>, f: number): number | undefined {
  let best: number | undefined;
  fileOf.forEach((g, j) => {
    if (g !== undefined && g > f && (best === undefined || g < (fileOf[best] as number))) best = j;
  });
  return best;
}
