import { closeSync, openSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ensureSpillDir } from './spillDir';

/** How much command output a result keeps and where the rest goes. Shared by the Docker and local sandboxes. */
export interface OutputLimits {
  /** Bytes of output returned in full; past this the result keeps a head and a tail of half this size each. */
  capBytes: number;
  /** Bytes forwarded to `onOutput`; past this one note is sent instead, so a UI is not flooded. */
  streamLimitBytes: number;
  /** Host directory where the full output of a cut command is saved. Created when first needed. */
  spillDir: string;
  /** When the spill directory lies inside the workspace, the path given back is relative to this root. */
  workspaceRoot?: string;
  /** The most one spill file holds (default 32 MiB): a command printing without end must not fill the disk. */
  spillMaxBytes?: number;
}

export const defaultOutputLimits = { capBytes: 64 * 1024, streamLimitBytes: 1024 * 1024 } as const;
export const DEFAULT_SPILL_MAX_BYTES = 32 * 1024 * 1024;

export interface CollectedOutput {
  output: string;
  truncated: boolean;
  fullOutputPath?: string;
  totalBytes: number;
}

/**
 * Collects a command's combined output with bounded memory: everything up to the cap is kept; once the
 * cap is passed, what was kept goes to a spill file and every later chunk is written straight through,
 * while only the head and a ring of the tail stay in memory. So a 10 MB output costs about `capBytes`.
 */
export class OutputCollector {
  private readonly half: number;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private head: Buffer | undefined;
  private tail: Buffer;
  private tailLength = 0;
  private tailStart = 0;
  private totalBytes = 0;
  private streamedBytes = 0;
  private streamNoteSent = false;
  private spillFd: number | undefined;
  private spillPath: string | undefined;
  private spilledBytes = 0;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly limits: OutputLimits,
    private readonly onOutput?: (chunk: string) => void,
  ) {
    this.half = Math.max(1, Math.floor(limits.capBytes / 2));
    this.tail = Buffer.alloc(0);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.stream(chunk);
    this.totalBytes += chunk.length;
    if (this.spillFd === undefined) {
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
      if (this.bufferedBytes > this.limits.capBytes) this.startSpilling();
      return;
    }
    this.spill(chunk);
    this.appendTail(chunk);
  }

  private spill(chunk: Buffer): void {
    const room = (this.limits.spillMaxBytes ?? DEFAULT_SPILL_MAX_BYTES) - this.spilledBytes;
    if (room <= 0 || this.spillFd === undefined) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    writeAll(this.spillFd, part);
    this.spilledBytes += part.length;
  }

  /** Ends collection. Must be called once; closes the spill file. */
  finish(): CollectedOutput {
    this.flushDecoder();
    if (this.spillFd === undefined) {
      const all = Buffer.concat(this.buffered);
      this.buffered = [];
      return { output: all.toString('utf8'), truncated: false, totalBytes: this.totalBytes };
    }
    closeSync(this.spillFd);
    this.spillFd = undefined;
    const head = cutAtCharBoundaryEnd(this.head ?? Buffer.alloc(0));
    const tail = cutAtCharBoundaryStart(this.orderedTail());
    const omitted = this.totalBytes - head.length - tail.length;
    const where = this.displayPath();
    const capped = this.spilledBytes < this.totalBytes ? ` (that file keeps only its first ${this.spilledBytes} bytes)` : '';
    const note = `\n\n[... ${omitted} bytes omitted; the full output (${this.totalBytes} bytes) is in ${where}${capped} ...]\n\n`;
    return {
      output: head.toString('utf8') + note + tail.toString('utf8'),
      truncated: true,
      fullOutputPath: where,
      totalBytes: this.totalBytes,
    };
  }

  private stream(chunk: Buffer): void {
    if (!this.onOutput) return;
    if (this.streamedBytes >= this.limits.streamLimitBytes) {
      if (!this.streamNoteSent) {
        this.streamNoteSent = true;
        this.flushDecoder();
        this.onOutput(`\n[agent-harness: live output stopped after ${this.limits.streamLimitBytes} bytes; the command is still running]\n`);
      }
      return;
    }
    const room = this.limits.streamLimitBytes - this.streamedBytes;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.streamedBytes += part.length;
    const text = this.decoder.write(part);
    if (text) this.onOutput(text);
  }

  private flushDecoder(): void {
    const rest = this.decoder.end();
    if (rest && this.onOutput) this.onOutput(rest);
  }

  private startSpilling(): void {
    ensureSpillDir(this.limits.spillDir);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.spillPath = path.join(this.limits.spillDir, `command-${stamp}-${randomBytes(4).toString('hex')}.log`);
    // 'wx': never follow or reuse an existing file at this path.
    this.spillFd = openSync(this.spillPath, 'wx', 0o600);
    const all = Buffer.concat(this.buffered);
    this.buffered = [];
    this.bufferedBytes = 0;
    this.spill(all);
    this.head = Buffer.from(all.subarray(0, this.half));
    this.tail = Buffer.alloc(this.half);
    this.appendTail(all.subarray(this.half));
  }

  /** Keeps the last `half` bytes in a ring so the tail costs constant memory however long the output. */
  private appendTail(chunk: Buffer): void {
    const size = this.tail.length;
    if (size === 0) return;
    let data = chunk;
    if (data.length >= size) {
      data.copy(this.tail, 0, data.length - size);
      this.tailStart = 0;
      this.tailLength = size;
      return;
    }
    let writeAt = (this.tailStart + this.tailLength) % size;
    while (data.length > 0) {
      const n = Math.min(data.length, size - writeAt);
      data.copy(this.tail, writeAt, 0, n);
      data = data.subarray(n);
      writeAt = (writeAt + n) % size;
      const overflow = this.tailLength + n - size;
      if (overflow > 0) {
        this.tailStart = (this.tailStart + overflow) % size;
        this.tailLength = size;
      } else {
        this.tailLength += n;
      }
    }
  }

  private orderedTail(): Buffer {
    const size = this.tail.length;
    if (this.tailLength < size) return Buffer.from(this.tail.subarray(this.tailStart, this.tailStart + this.tailLength));
    return Buffer.concat([this.tail.subarray(this.tailStart), this.tail.subarray(0, this.tailStart)]);
  }

  private displayPath(): string {
    const full = this.spillPath ?? '';
    const root = this.limits.workspaceRoot;
    if (!root) return full;
    const rel = path.relative(root, full);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    return full;
  }
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/** Drops a partial UTF-8 sequence at the end, so the head never ends in a replacement character. */
export function cutAtCharBoundaryEnd(buf: Buffer): Buffer {
  let end = buf.length;
  let back = 0;
  while (end > 0 && back < 4 && (buf[end - 1]! & 0xc0) === 0x80) {
    end--;
    back++;
  }
  if (end === 0) return buf;
  const lead = buf[end - 1]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need === back + 1 ? buf : buf.subarray(0, end - 1);
}

/** Skips continuation bytes at the start, so the tail never begins in the middle of a character. */
export function cutAtCharBoundaryStart(buf: Buffer): Buffer {
  let start = 0;
  while (start < buf.length && start < 4 && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.subarray(start);
}
