import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { createReadFileTool } from '../../../../src/core/tools/readFile';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { tempDir, toolContext } from '../../../support/fixtures';

let root: string;
let registry: ToolRegistry;
const ctx = toolContext();

async function put(rel: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

async function read(args: Record<string, unknown>, reg = registry) {
  return reg.call('read_file', JSON.stringify(args), ctx);
}

beforeAll(async () => {
  root = await realpath(await tempDir('readfile-'));
  const guard = new PathGuard(root);
  registry = new ToolRegistry([createReadFileTool({ guard, root })]);
  await put('src/a.ts', 'line one\nline two\nline three\n');
  await put('crlf.txt', 'alpha\r\nbeta\r\n');
  await put('no-newline.txt', 'x\ny');
  await put('many.txt', Array.from({ length: 300 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
  await put('empty.txt', '');
  await put('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  await put('noise.bin', Buffer.from(Array.from({ length: 4000 }, (_, i) => 0x80 + ((i * 7) % 0x7f))));
  await put('latin1.txt', Buffer.from('caf\xe9 cr\xe8me\nplain ascii line that is long enough to dominate\n', 'latin1'));
  await put('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello\nworld\n', 'utf16le')]));
  await put('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\n')]));
  await put('minified.js', 'x'.repeat(5000));
  await put('.git/config', '[remote]\nurl = https://token@host/repo\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('read_file', () => {
  it('shows every line with its number and a tab', async () => {
    const out = await read({ path: 'src/a.ts' });
    expect(out.isError).toBe(false);
    expect(out.content).toBe('1\tline one\n2\tline two\n3\tline three');
  });

  it('reads a window with offset and limit and says where the rest starts', async () => {
    const out = await read({ path: 'many.txt', offset: 10, limit: 5 });
    const lines = out.content.split('\n');
    expect(lines.slice(0, 5)).toEqual(['10\trow 10', '11\trow 11', '12\trow 12', '13\trow 13', '14\trow 14']);
    expect(out.content).toContain('Showing lines 10-14 of 300');
    expect(out.content).toContain('offset=15');
  });

  it('does not add a note when the window reaches the end', async () => {
    const out = await read({ path: 'many.txt', offset: 299 });
    expect(out.content).toBe('299\trow 299\n300\trow 300');
  });

  it('stops at the size cap and gives the next offset', async () => {
    const reg = new ToolRegistry([createReadFileTool({ guard: new PathGuard(root), root, maxBytes: 100 })]);
    const out = await read({ path: 'many.txt' }, reg);
    const shown = out.content.split('\n').filter((l) => /^\s*\d+\t/.test(l));
    // The cap counts file bytes: "row 1\n".."row 9\n" are 6 bytes (54), "row 10\n".. 7 bytes, so 6 more fit (96).
    expect(shown.length).toBe(15);
    expect(out.content).toContain('size cap');
    expect(out.content).toContain('offset=16');
    const next = await read({ path: 'many.txt', offset: 16 }, reg);
    expect(next.content.startsWith(' 16\trow 16')).toBe(true);
  });

  it('cuts a single line longer than the cap and moves on to the next line', async () => {
    const reg = new ToolRegistry([createReadFileTool({ guard: new PathGuard(root), root, maxBytes: 1000 })]);
    const out = await read({ path: 'minified.js' }, reg);
    expect(out.content.split('\n')[0]).toBe(`1\t${'x'.repeat(1000)}`);
    expect(out.content).toContain('5000 characters long; only the first 1000');
  });

  it('removes carriage returns and handles a missing final newline', async () => {
    expect((await read({ path: 'crlf.txt' })).content).toBe('1\talpha\n2\tbeta');
    expect((await read({ path: 'no-newline.txt' })).content).toBe('1\tx\n2\ty');
  });

  it('refuses a binary file with NUL bytes and says why', async () => {
    const out = await read({ path: 'image.png' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/image\.png looks like a binary file \(it contains a NUL byte at offset 8\)/);
  });

  it('refuses bytes that are mostly invalid UTF-8', async () => {
    const out = await read({ path: 'noise.bin' });
    expect(out.isError).toBe(true);
    expect(out.content).toContain('not valid UTF-8');
  });

  it('shows text in another 8-bit encoding with a note', async () => {
    const out = await read({ path: 'latin1.txt' });
    expect(out.isError).toBe(false);
    expect(out.content).toContain('1\tcaf\ufffd cr\ufffdme');
    expect(out.content).toContain('2 byte sequences are shown as');
  });

  it('decodes UTF-16 with a byte-order mark and drops a UTF-8 BOM', async () => {
    expect((await read({ path: 'utf16.txt' })).content).toBe('1\thello\n2\tworld');
    expect((await read({ path: 'bom.txt' })).content).toBe('1\tfirst');
  });

  it('reports an empty file', async () => {
    expect((await read({ path: 'empty.txt' })).content).toMatch(/empty/);
  });

  it('errors on an offset past the end', async () => {
    const out = await read({ path: 'src/a.ts', offset: 9 });
    expect(out.isError).toBe(true);
    expect(out.content).toContain('offset 9 is past the end of src/a.ts, which has 3 lines');
  });

  it('errors on folders, missing files and paths outside the workspace', async () => {
    expect((await read({ path: 'src' })).content).toMatch(/is a folder; use list_dir/);
    expect((await read({ path: 'src/missing.ts' })).content).toMatch(/does not exist/);
    const outside = await read({ path: '../../etc/passwd' });
    expect(outside.isError).toBe(true);
    expect(outside.content).toMatch(/outside the workspace/);
  });

  it('does not read git internals', async () => {
    const out = await read({ path: '.git/config' });
    expect(out.isError).toBe(true);
    expect(out.content).not.toContain('token');
  });

  it('rejects an offset of zero through the schema', async () => {
    const out = await read({ path: 'src/a.ts', offset: 0 });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/Invalid arguments for read_file/);
  });

  it('refuses files above the load limit and points to grep', async () => {
    const reg = new ToolRegistry([createReadFileTool({ guard: new PathGuard(root), root, maxFileBytes: 1000 })]);
    const out = await read({ path: 'many.txt' }, reg);
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/use grep/);
  });
});
