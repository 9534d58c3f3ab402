import { open } from 'node:fs/promises';

/**
 * Telling text from binary, shared by read_file and grep so both refuse the same files.
 *
 * A NUL byte in the first 8 KB means binary (git's and rg's rule; UTF-16 text, which has NULs, is
 * recognised by its byte-order mark first). Otherwise the sample is decoded as UTF-8: text in another
 * 8-bit encoding has a few invalid sequences, a binary blob has many, so more than 10% replacement
 * characters or more than 10% control characters in the sample means binary.
 */
export const SNIFF_BYTES = 8192;

export type TextEncodingGuess = 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be';

export type SniffResult = { binary: false; encoding: TextEncodingGuess } | { binary: true; why: string };

export function sniffText(sample: Uint8Array): SniffResult {
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { binary: false, encoding: 'utf16le' };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { binary: false, encoding: 'utf16be' };
  const bom = sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  const head = sample.subarray(0, SNIFF_BYTES);
  const nul = head.indexOf(0);
  if (nul >= 0) return { binary: true, why: `it contains a NUL byte at offset ${nul}` };
  // `stream: true` keeps a multi-byte character cut at the end of the sample from counting as invalid.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head, { stream: true });
  if (text.length === 0) return { binary: false, encoding: bom ? 'utf8bom' : 'utf8' };
  let replacement = 0;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) replacement++;
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b && c !== 0x1b) control++;
  }
  if (replacement > text.length * 0.1) return { binary: true, why: 'most of its bytes are not valid UTF-8 text' };
  if (control > text.length * 0.1) return { binary: true, why: 'it is mostly control characters' };
  return { binary: false, encoding: bom ? 'utf8bom' : 'utf8' };
}

/** Decodes a whole file the sniffer called text. Returns the text and how many bytes were not valid UTF-8. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingGuess): { text: string; invalid: number } {
  if (encoding === 'utf16le' || encoding === 'utf16be') {
    return { text: new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2)), invalid: 0 };
  }
  const body = encoding === 'utf8bom' ? bytes.subarray(3) : bytes;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  let invalid = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) invalid++;
  return { text, invalid };
}

/** The first SNIFF_BYTES of a file, for sniffText, without reading the whole file. */
export async function readFileHead(file: string, bytes: number = SNIFF_BYTES): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
