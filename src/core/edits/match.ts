import { findAnchored } from './anchorMatch';
import { findClosestRegion, type ClosestRegion } from './closest';
import { stripLineNumbers, unescapeOnce } from './editRepairs';
import { lineAt, LineIndex, type MatchCandidate } from './lineIndex';
import { candidateStarts, findLineMatches, splitLf, trimBlankEnds, type Span } from './lineLevels';
import { rarestWordIn, windowsAround } from './rareWord';
import { findReflowed, tokenKey } from './tokenMatch';
import { findTypo } from './typoMatch';
import { FoldedText, foldPunctuation, hasTypographic, punctuationKey, whitespaceKey } from './normalize';
import { detectFormat, restoreFormat, stripBom, toEol, type TextFormat } from './textFormat';

export type { MatchCandidate } from './lineIndex';

/**
 * Finding the model's `old_string` in a file and replacing it. Levels run from strict to tolerant and
 * the first level that finds anything decides: a tolerant level never overrides a stricter hit, and
 * several hits at one level without `replace_all` is an error that names them, never a guess. When
 * nothing matches, the input is repaired (line-number prefixes, double escaping) and the levels run
 * again; the last level anchors on the first and last lines and refuses when two places are close.
 */
export type MatchStrategy =
  | 'exact'
  | 'line_endings'
  | 'trimmed'
  | 'fragment_whitespace'
  | 'reflowed'
  | 'typo'
  | 'elided'
  | 'line_trimmed'
  | 'whitespace'
  | 'whitespace_stripped'
  | 'blank_lines'
  | 'punctuation'
  | 'punctuation_whitespace'
  | 'anchored'
  | 'insert_start';

/** What was repaired in the model's strings before they matched. */
export type EditRepair = 'line_numbers' | 'unescaped';

export interface EditRequest {
  oldString: string;
  newString: string;
  replaceAll?: boolean;
}

export type EditOutcome =
  | { ok: true; content: string; strategy: MatchStrategy; repairs: EditRepair[]; replacements: number; startLines: number[]; similarity?: number; typos?: Array<[string, string]> }
  | { ok: false; reason: 'not_found'; closest?: ClosestRegion; oldLines: string[] }
  | { ok: false; reason: 'ambiguous'; strategy: MatchStrategy; count: number; candidates: MatchCandidate[] }
  | { ok: false; reason: 'no_change' };

interface Level {
  strategy: MatchStrategy;
  find(): Span[];
}

const MAX_CANDIDATES = 10;

export function applyEdit(content: string, edit: EditRequest): EditOutcome {
  if (edit.oldString === edit.newString) return { ok: false, reason: 'no_change' };
  const format = detectFormat(content);
  const body = stripBom(content);
  if (edit.oldString === '') return insertAtStart(body, edit.newString, format);
  const lines = new LineIndex(body);
  const attempt = (oldString: string, newString: string, repairs: EditRepair[]) => match(body, lines, format, { ...edit, oldString, newString }, repairs);

  const plain = attempt(edit.oldString, edit.newString, []);
  if (plain) return plain;
  // `...` lines in both strings (Aider's dotdotdots, "// ... existing code ..."): each piece on its own.
  const elided = applyElided(content, edit);
  if (elided) return elided;
  // Repairs, each on its own and then together: line numbers copied from a listing, double escaping.
  const numbered = stripLineNumbers(edit.oldString);
  const repaired: Array<[string, string, EditRepair[]]> = [];
  if (numbered !== undefined) repaired.push([numbered, stripLineNumbers(edit.newString) ?? edit.newString, ['line_numbers']]);
  const unescaped = unescapeOnce(edit.oldString);
  if (unescaped !== undefined) repaired.push([unescaped, unescapeOnce(edit.newString) ?? edit.newString, ['unescaped']]);
  if (numbered !== undefined && unescapeOnce(numbered) !== undefined) {
    const newNumbered = stripLineNumbers(edit.newString) ?? edit.newString;
    repaired.push([unescapeOnce(numbered) as string, unescapeOnce(newNumbered) ?? newNumbered, ['line_numbers', 'unescaped']]);
  }
  for (const [o, n, r] of repaired) {
    if (o === n) continue;
    const outcome = attempt(o, n, r);
    if (outcome) return outcome;
  }
  // Anchored on the first and last lines, with the middle allowed to drift; never with replace_all.
  if (!edit.replaceAll) {
    for (const [o, n, r] of [[edit.oldString, edit.newString, []] as [string, string, EditRepair[]], ...repaired]) {
      const anchored = findAnchored(lines, o, n, format.eol);
      if (anchored?.kind === 'ambiguous') {
        return { ok: false, reason: 'ambiguous', strategy: 'anchored', count: anchored.candidates.length, candidates: anchored.candidates.map((c) => ({ startLine: c.startLine, endLine: c.endLine, snippet: `similarity ${Math.round(c.score * 100)}%: ${lines.content(c.startLine - 1).trim().slice(0, 90)}` })) };
      }
      if (anchored?.kind === 'match') return { ...replaceSpans(body, [anchored.span], format, 'anchored', r, lines), similarity: anchored.score };
    }
    // A misspelt word or three, everything else equal.
    for (const [o, n, r] of [[edit.oldString, edit.newString, []] as [string, string, EditRepair[]], ...repaired]) {
      const typo = findTypo(lines, o, n, format.eol);
      if (typo?.kind === 'ambiguous') {
        return { ok: false, reason: 'ambiguous', strategy: 'typo', count: typo.startLines.length, candidates: typo.startLines.slice(0, MAX_CANDIDATES).map((l) => lines.candidate(lines.start(l - 1), lines.end(l - 1))) };
      }
      if (typo?.kind === 'match') return { ...replaceSpans(body, [typo.span], format, 'typo', r, lines), typos: typo.typos };
    }
  }
  // Whitespace alone as old_string names no place: like an empty one, it inserts at the start.
  if (edit.oldString.trim() === '') return insertAtStart(body, edit.newString, format);
  const oldLines = trimBlankEnds(splitLf(numbered ?? edit.oldString)).lines;
  return { ok: false, reason: 'not_found', closest: findClosestRegion(lines, oldLines), oldLines };
}

/** A line that stands for "unchanged code here": `...`, or a comment that says so. */
const ELISION = /^\s*(?:(?:\/\/|#|--|\/\*|<!--)\s*)?\.\.\.(?:\s*(?:existing|rest of|unchanged|remaining|other)[^\n]*?)?\s*(?:\.\.\.)?\s*(?:\*\/|-->)?\s*$/i;

/**
 * old_string and new_string with the same number of elision lines are several edits: the pieces
 * between the elisions, each old piece replaced by its new piece, in order, all or nothing. Pieces
 * whose old part is empty cannot be placed and refuse the lot.
 */
function applyElided(content: string, edit: EditRequest): EditOutcome | undefined {
  const oldPieces = splitOnElision(edit.oldString);
  const newPieces = splitOnElision(edit.newString);
  if (oldPieces.length < 2 || oldPieces.length !== newPieces.length || edit.replaceAll) return undefined;
  const edits: EditRequest[] = [];
  for (const [i, o] of oldPieces.entries()) {
    const n = newPieces[i] as string;
    if (o.trim() === '' && n.trim() === '') continue;
    if (o.trim() === '' || o === n) {
      if (o.trim() === '') return undefined;
      continue;
    }
    edits.push({ oldString: o, newString: n });
  }
  if (edits.length === 0) return undefined;
  const r = applyEdits(content, edits);
  if (!r.ok) return r.failure.reason === 'ambiguous' ? r.failure : undefined;
  return { ok: true, content: r.content, strategy: 'elided', repairs: [], replacements: edits.length, startLines: r.outcomes.flatMap((o) => o.startLines) };
}

function splitOnElision(text: string): string[] {
  const pieces: string[][] = [[]];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (ELISION.test(line)) pieces.push([]);
    else pieces[pieces.length - 1]!.push(line);
  }
  return pieces.map((p) => p.join('\n').replace(/^\n+|\n+$/g, ''));
}

/**
 * Several edits to one file, in order, each on the result of the one before, all or nothing: the
 * first that fails stops the lot and says which it was.
 */
export function applyEdits(content: string, edits: readonly EditRequest[]): { ok: true; content: string; outcomes: Extract<EditOutcome, { ok: true }>[] } | { ok: false; index: number; failure: Extract<EditOutcome, { ok: false }> } {
  let current = content;
  const outcomes: Extract<EditOutcome, { ok: true }>[] = [];
  for (const [index, edit] of edits.entries()) {
    const outcome = applyEdit(current, edit);
    if (!outcome.ok) return { ok: false, index, failure: outcome };
    outcomes.push(outcome);
    current = outcome.content;
  }
  return { ok: true, content: current, outcomes };
}

function match(body: string, lines: LineIndex, format: TextFormat, edit: EditRequest, repairs: EditRepair[]): EditOutcome | undefined {
  for (const level of levels(body, lines, edit, format)) {
    const spans = level.find();
    if (spans.length === 0) continue;
    if (spans.length > 1 && !edit.replaceAll) {
      return { ok: false, reason: 'ambiguous', strategy: level.strategy, count: spans.length, candidates: spans.slice(0, MAX_CANDIDATES).map((s) => lines.candidate(s.start, s.end)) };
    }
    return replaceSpans(body, spans, format, level.strategy, repairs, level.strategy === 'exact' || level.strategy === 'line_endings' ? undefined : lines);
  }
  return undefined;
}

function* levels(body: string, lines: LineIndex, edit: EditRequest, format: TextFormat): Generator<Level> {
  const { oldString, newString } = edit;
  // The line levels share one set of candidate windows (a word of the old string survives every key).
  let starts: number[] | undefined;
  const candidates = (oldLines: readonly string[]) => (starts ??= candidateStarts(lines, oldLines));
  const replacement = newString.includes('\n') ? toEol(newString, format.eol) : newString;
  yield { strategy: 'exact', find: () => findAll(body, oldString).map(([start, end]) => ({ start, end, replacement })) };
  // Line-ending drift: the old string in the file's own line endings. A file with mixed endings is
  // still covered by the line levels, which compare lines without their terminators.
  const oldInEol = oldString.includes('\n') ? toEol(oldString, format.eol) : oldString;
  if (oldInEol !== oldString) yield { strategy: 'line_endings', find: () => findAll(body, oldInEol).map(([start, end]) => ({ start, end, replacement })) };
  const line = (strategy: MatchStrategy, key: (l: string) => string, skipBlank = false): Level => ({
    strategy,
    find: () => findLineMatches({ lines, oldString, newString, eol: format.eol, key, skipBlank }, candidates),
  });
  yield line('line_trimmed', trimKey);
  yield line('whitespace', whitespaceKey);
  yield line('whitespace_stripped', strippedKey);
  yield line('blank_lines', whitespaceKey, true);
  // The fragment levels below match old_string without the whitespace around it. A line break in
  // that whitespace says where the fragment sits: a trailing one, at the end of a line; a leading
  // one, at its start. `text\n` is the line `text`, never `text` inside the line `text.`.
  const lead = oldInEol.slice(0, oldInEol.length - oldInEol.trimStart().length);
  const trail = oldInEol.slice(oldInEol.trimEnd().length);
  const fits = ({ start, end }: { start: number; end: number }): boolean => (!trail.includes('\n') || blankUntilEol(body, end)) && (!lead.includes('\n') || blankSinceLineStart(body, start));
  // Stray whitespace or blank lines around a fragment that is not whole lines: the fragment itself,
  // exactly.
  const trimmedOld = oldInEol.trim();
  if (trimmedOld !== oldInEol && trimmedOld !== '' && !trimmedOld.includes('\n')) {
    const trimmedNew = trimLike(oldInEol, replacement);
    yield { strategy: 'trimmed', find: () => findAll(body, trimmedOld).filter(([start, end]) => fits({ start, end })).map(([start, end]) => ({ start, end, replacement: trimmedNew })) };
  }
  // A fragment of one line with different spacing inside it (`foo(a,b)` for `foo(a, b)` mid-line).
  const fragmentNew = replacement.trim() === '' ? '' : trimLike(oldInEol, replacement);
  if (!oldString.trim().includes('\n')) yield { strategy: 'fragment_whitespace', find: () => findReflowed(lines, oldString.trim(), fragmentNew, true).filter(fits) };
  // The same tokens with the line breaks moved: a block joined onto one line, or a line broken up.
  yield { strategy: 'reflowed', find: () => findReflowed(lines, oldString.trim(), fragmentNew, false).filter(fits) };
  if (hasTypographic(body) || hasTypographic(oldString)) {
    const oldKey = foldPunctuation(oldInEol);
    yield { strategy: 'punctuation', find: () => findFolded(lines, oldKey, replacement) };
    yield line('punctuation_whitespace', punctuationKey);
    yield line('punctuation_whitespace', punctuationKey, true);
  }
}

const trimKey = (l: string): string => l.trim();

/** Only spaces and tabs from `at` to the end of its line. */
function blankUntilEol(body: string, at: number): boolean {
  for (let i = at; i < body.length && body[i] !== '\n'; i++) if (body[i] !== ' ' && body[i] !== '\t' && body[i] !== '\r') return false;
  return true;
}

/** Only spaces and tabs from the start of the line to `at`. */
function blankSinceLineStart(body: string, at: number): boolean {
  for (let i = at - 1; i >= 0 && body[i] !== '\n'; i--) if (body[i] !== ' ' && body[i] !== '\t') return false;
  return true;
}
/** Spacing removed wherever it does not change the tokens (see tokenKey). */
const strippedKey = tokenKey;

/** new_string without the same surrounding whitespace old_string had around its fragment. */
function trimLike(oldString: string, newString: string): string {
  const lead = oldString.length - oldString.trimStart().length;
  const trail = oldString.length - oldString.trimEnd().length;
  const newLead = Math.min(lead, newString.length - newString.trimStart().length);
  const newTrail = Math.min(trail, newString.length - newString.trimEnd().length);
  return newString.slice(newLead, newString.length - newTrail);
}

/** Non-overlapping occurrences, left to right; all are counted so an ambiguity error can say how many. */
function findAll(haystack: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

/**
 * The old string in the text with typographic punctuation folded on both sides. Only windows around
 * the old string's rarest word are folded: every match contains one of its occurrences, and a source
 * span is never longer than its folded text.
 */
function findFolded(lines: LineIndex, needle: string, replacement: string): Span[] {
  const body = lines.text;
  const rare = rarestWordIn(lines, [needle]);
  const windows = rare ? windowsAround(body, rare.hits, needle.length, needle.length) : [[0, body.length] as [number, number]];
  const spans: Span[] = [];
  for (const [ws, we] of windows) {
    const folded = new FoldedText(body.slice(ws, we));
    for (const [s, e] of findAll(folded.text, needle)) {
      const start = folded.toSource(s);
      const end = folded.toSource(e);
      if (start === undefined || end === undefined) continue;
      spans.push({ start: ws + start, end: ws + end, replacement });
    }
  }
  return spans;
}

function replaceSpans(body: string, spans: readonly Span[], format: TextFormat, strategy: MatchStrategy, repairs: EditRepair[], lines: LineIndex | undefined): Extract<EditOutcome, { ok: true }> {
  // The result is built from pieces and never read here: V8 keeps it as a rope until it is used, so
  // splicing a large file costs what the search cost. Its last character comes from the last piece.
  let out = '';
  let cursor = 0;
  let last = '';
  const add = (piece: string) => {
    if (piece === '') return;
    out += piece;
    last = piece;
  };
  for (const raw of spans) {
    const s = raw.replacement === '' ? wholeLineDeletion(body, raw) : raw;
    add(body.slice(cursor, s.start));
    add(s.replacement);
    cursor = s.end;
  }
  add(body.slice(cursor));
  let content = out;
  if (content !== '') {
    const endsWithNewline = last.endsWith('\n');
    if (format.finalNewline && !endsWithNewline) content += format.eol;
    else if (!format.finalNewline && endsWithNewline) content = content.replace(/\r?\n$/, '');
  }
  if (format.bom) content = '\uFEFF' + content;
  // Line numbers are for the message to the model; counting them is left until it is read.
  let startLines: number[] | undefined;
  return {
    ok: true,
    content,
    strategy,
    repairs,
    replacements: spans.length,
    get startLines() {
      return (startLines ??= spans.map((sp) => (lines ? lines.lineOf(sp.start) : lineAt(body, sp.start)) + 1));
    },
  };
}

/**
 * Deleting whole lines takes their line endings too, so no blank line is left where they were: a
 * span from the start of a line to the end of a line grows over the newline after it (or, at the end
 * of the file, the one before it).
 */
function wholeLineDeletion(body: string, raw: Span): Span {
  // Only indentation before the span and only whitespace after it on its line: the line is deleted.
  const lineStart = body.lastIndexOf('\n', raw.start - 1) + 1;
  const nl = body.indexOf('\n', raw.end);
  const lineEnd = nl === -1 ? body.length : body[nl - 1] === '\r' ? nl - 1 : nl;
  const span = raw.end <= lineEnd && body.slice(lineStart, raw.start).trim() === '' && body.slice(raw.end, lineEnd).trim() === '' && raw.end > raw.start && body[raw.end - 1] !== '\n' ? { ...raw, start: lineStart, end: lineEnd } : raw;
  const atLineStart = span.start === 0 || body[span.start - 1] === '\n';
  // A span that already ends with its newline (old_string had it) took its line whole.
  if (!atLineStart || (span.end > span.start && body[span.end - 1] === '\n')) return span;
  if (body.startsWith('\r\n', span.end)) return { ...span, end: span.end + 2 };
  if (body[span.end] === '\n') return { ...span, end: span.end + 1 };
  if (span.end === body.length && span.start > 0) return { ...span, start: span.start - (body[span.start - 2] === '\r' ? 2 : 1) };
  // Otherwise the span stops inside a line: nothing to add.
  return span;
}

/** An empty old_string inserts: the whole content of an empty file, or new lines at the start of one that is not. */
function insertAtStart(body: string, newString: string, format: TextFormat): Extract<EditOutcome, { ok: true }> {
  const text = newString.includes('\n') ? toEol(newString, format.eol) : newString;
  if (body === '') return { ok: true, content: (format.bom ? '\uFEFF' : '') + text, strategy: 'insert_start', repairs: [], replacements: 1, startLines: [1] };
  const joined = text === '' || text.endsWith('\n') ? text : text + format.eol;
  return { ok: true, content: restoreFormat(joined + body, format), strategy: 'insert_start', repairs: [], replacements: 1, startLines: [1] };
}
