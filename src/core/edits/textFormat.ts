import { createHash } from 'node:crypto';

/**
 * The byte-level conventions of a text file that an edit must not disturb: a leading BOM, the
 * dominant line ending and whether the file ends with a newline. Matching works on the body (BOM
 * removed); `restoreFormat` puts the conventions back on the result.
 */
export interface TextFormat {
  bom: boolean;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

const BOM = '\uFEFF';

export function detectFormat(content: string): TextFormat {
  const bom = content.startsWith(BOM);
  // Counting CRLF first keeps the common LF-only file to one native scan.
  let crlf = 0;
  for (let i = content.indexOf('\r\n'); i !== -1; i = content.indexOf('\r\n', i + 2)) crlf++;
  let eol: TextFormat['eol'] = '\n';
  if (crlf > 0) {
    let all = 0;
    for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) all++;
    if (crlf > all - crlf) eol = '\r\n';
  }
  return { bom, eol, finalNewline: content.endsWith('\n') };
}

export function stripBom(content: string): string {
  return content.startsWith(BOM) ? content.slice(1) : content;
}

/** Converts every line ending in `text` to `eol`. */
export function toEol(text: string, eol: '\n' | '\r\n'): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/**
 * Re-applies the original file's BOM and final-newline state to an edited body. An edit may rewrite
 * the last line; the file keeps ending (or not ending) with a newline as it did before, because a
 * silent change there shows up as noise in every diff and breaks some tools.
 */
export function restoreFormat(body: string, format: TextFormat): string {
  let out = stripBom(body);
  if (out.length > 0) {
    const endsWithNewline = out.endsWith('\n');
    if (format.finalNewline && !endsWithNewline) out += format.eol;
    else if (!format.finalNewline && endsWithNewline) out = out.replace(/\r?\n$/, '');
  }
  return format.bom ? BOM + out : out;
}

/** sha256 of the UTF-8 bytes, hex. The stale-write guard compares these, never modification times. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Decodes file bytes as UTF-8 text, or returns undefined when the bytes are not text we can edit
 * without corrupting them: a NUL byte (binary) or bytes that do not survive a UTF-8 round trip.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (Buffer.byteLength(text, 'utf8') !== bytes.byteLength) return undefined;
  if (!Buffer.from(text, 'utf8').equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) return undefined;
  return text;
}

/** Splits text into lines keeping each line's terminator, so joining the parts gives the text back. */
export function splitLinesKeepEol(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
