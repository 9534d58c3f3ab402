import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clampTimeout } from '../../../../src/adapters/sandbox/clampTimeout';
import { ensureSpillDir, pruneSpillDir } from '../../../../src/adapters/sandbox/spillDir';
import { cutAtCharBoundaryEnd, cutAtCharBoundaryStart, OutputCollector } from '../../../../src/adapters/sandbox/outputCollector';

const dirs: string[] = [];
function limits(capBytes: number, streamLimitBytes = 1 << 20) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ah-out-'));
  dirs.push(root);
  return { capBytes, streamLimitBytes, spillDir: path.join(root, '.agent-harness', 'spill'), workspaceRoot: root };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('OutputCollector', () => {
  it('returns small output whole and writes no file', () => {
    const l = limits(100);
    const c = new OutputCollector(l);
    c.push(Buffer.from('hello '));
    c.push(Buffer.from('world'));
    const r = c.finish();
    expect(r).toEqual({ output: 'hello world', truncated: false, totalBytes: 11 });
  });

  it('keeps head and tail of long output and spills every byte, in order, to a file', () => {
    const l = limits(100);
    const c = new OutputCollector(l);
    let all = '';
    for (let i = 0; i < 500; i++) {
      const line = `line ${i}\n`;
      all += line;
      c.push(Buffer.from(line));
    }
    const r = c.finish();
    expect(r.truncated).toBe(true);
    expect(r.totalBytes).toBe(all.length);
    expect(r.output.startsWith(all.slice(0, 50))).toBe(true);
    expect(r.output.endsWith(all.slice(-50))).toBe(true);
    expect(r.output).toContain(`${all.length - 100} bytes omitted`);
    expect(r.fullOutputPath).toMatch(/^\.agent-harness\/spill\/command-.+\.log$/);
    expect(readFileSync(path.join(l.workspaceRoot, r.fullOutputPath!), 'utf8')).toBe(all);
  });

  it('caps the spill file, says so, and still keeps the real tail in the result', () => {
    const l = { ...limits(100), spillMaxBytes: 1000 };
    const c = new OutputCollector(l);
    for (let i = 0; i < 10_000; i++) c.push(Buffer.from(`line ${i}\n`));
    const r = c.finish();
    expect(readFileSync(path.join(l.workspaceRoot, r.fullOutputPath!)).length).toBe(1000);
    expect(r.output).toMatch(/that file keeps only its first 1000 bytes/);
    expect(r.output.endsWith('line 9999\n')).toBe(true);
  });

  it('keeps the right tail when single chunks are larger than the tail ring', () => {
    const c = new OutputCollector(limits(10));
    c.push(Buffer.from('abcdefghijklmnopqrstuvwxyz'));
    c.push(Buffer.from('0123456789ABCDEFGHIJ'));
    const r = c.finish();
    expect(r.output.startsWith('abcde')).toBe(true);
    expect(r.output.endsWith('FGHIJ')).toBe(true);
  });

  it('never cuts a multi-byte character in half', () => {
    const c = new OutputCollector(limits(8));
    c.push(Buffer.from('ééééééééééé'));
    const r = c.finish();
    expect(r.output).not.toContain('\ufffd');
  });

  it('returns an absolute path when the spill folder is outside the workspace', () => {
    const l = limits(4);
    const c = new OutputCollector({ ...l, workspaceRoot: path.join(l.workspaceRoot, 'elsewhere') });
    c.push(Buffer.from('0123456789'));
    expect(path.isAbsolute(c.finish().fullOutputPath!)).toBe(true);
  });

  it('streams output until the stream limit, then sends one note', () => {
    const seen: string[] = [];
    const c = new OutputCollector(limits(1000, 10), (t) => seen.push(t));
    c.push(Buffer.from('12345'));
    c.push(Buffer.from('67890abc'));
    c.push(Buffer.from('more'));
    c.finish();
    expect(seen[0]).toBe('12345');
    expect(seen[1]).toBe('67890');
    expect(seen.slice(2).join('')).toMatch(/live output stopped after 10 bytes/);
    expect(seen).toHaveLength(3);
  });

  it('decodes a character split across chunks when streaming', () => {
    const seen: string[] = [];
    const c = new OutputCollector(limits(1000), (t) => seen.push(t));
    const euro = Buffer.from('€');
    c.push(euro.subarray(0, 1));
    c.push(euro.subarray(1));
    c.finish();
    expect(seen.join('')).toBe('€');
  });
});

describe('UTF-8 boundary cuts', () => {
  it('drops an incomplete trailing sequence and keeps a complete one', () => {
    const e = Buffer.from('aé');
    expect(cutAtCharBoundaryEnd(e).toString()).toBe('aé');
    expect(cutAtCharBoundaryEnd(e.subarray(0, 2)).toString()).toBe('a');
    expect(cutAtCharBoundaryStart(Buffer.from('é!').subarray(1)).toString()).toBe('!');
  });
});

describe('clampTimeout', () => {
  it('keeps delays where setTimeout honours them', () => {
    expect(clampTimeout(1500)).toBe(1500);
    expect(clampTimeout(0)).toBe(1);
    expect(clampTimeout(-5)).toBe(1);
    expect(clampTimeout(1e12)).toBe(2_147_483_647);
    expect(clampTimeout(Number.NaN)).toBe(2_147_483_647);
  });
});

describe('spill folder', () => {
  it('ignores its contents for git and keeps only the newest outputs', () => {
    const l = limits(4);
    ensureSpillDir(l.spillDir);
    expect(readFileSync(path.join(l.spillDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    for (let i = 0; i < 5; i++) {
      const file = path.join(l.spillDir, `command-${i}.log`);
      writeFileSync(file, String(i));
      utimesSync(file, 1000 + i, 1000 + i);
    }
    expect(pruneSpillDir(l.spillDir, 2)).toBe(3);
    expect(readdirSync(l.spillDir).sort()).toEqual(['.gitignore', 'command-3.log', 'command-4.log']);
  });
});
