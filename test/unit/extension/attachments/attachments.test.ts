import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathGuard } from '../../../../src/core/policy/pathGuard';
import { composeTask, fenceFor, MAX_ATTACHED_CHARS, type ResolvedAttachment } from '../../../../src/extension/attachments/composeTask';
import { MentionIndex } from '../../../../src/extension/attachments/mentionIndex';
import { AttachError, readAttachableFile, readAttachableFolder } from '../../../../src/extension/attachments/readAttachable';
import { mentionAt, removeMention } from '../../../../src/webview/mentionQuery';
import { tempDir } from '../../../support/fixtures';

const att = (label: string, content: string, language = ''): ResolvedAttachment => ({ chip: { id: label, kind: 'file', label, tokens: Math.ceil(content.length / 4) }, title: `file ${label}`, content, language });

describe('the @ mention in the composer text', () => {
  it('opens at an @ at the start or after a space, with what follows as the query', () => {
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('look at @src/ap', 15)).toEqual({ start: 8, query: 'src/ap' });
    expect(mentionAt('line one\n@calc', 14)).toEqual({ start: 9, query: 'calc' });
    // An e-mail address or a finished mention followed by a space does not open it.
    expect(mentionAt('mail me@example.com', 19)).toBeUndefined();
    expect(mentionAt('@calc ', 6)).toBeUndefined();
    // Only the text before the caret counts.
    expect(mentionAt('@calc and more', 5)).toEqual({ start: 0, query: 'calc' });
  });

  it('choosing a row removes exactly the @query, keeping the rest of the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).map((s) => s.replace(/[@\s]/g, '')), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (query, before, after) => {
        const head = before === '' || /\s$/.test(before) ? before : `${before} `;
        const text = `${head}@${query}${after.startsWith(' ') || after === '' ? after : ` ${after}`}`;
        const caret = head.length + 1 + query.length;
        const at = mentionAt(text, caret);
        expect(at).toEqual({ start: head.length, query });
        const out = removeMention(text, at!, caret);
        expect(out.text).toBe(text.slice(0, head.length) + text.slice(caret));
        expect(out.caret).toBe(head.length);
      }),
    );
  });
});

describe('composing the task from the message and its attachments', () => {
  it('the words come first, each attachment under its heading in a fence its content cannot close; the conversation shows only names', () => {
    const t = composeTask('Why does add fail?', [att('calc.js', 'function add(a, b) { return a - b; }', 'js'), att('notes.md', 'a ```` fence ``` inside')]);
    expect(t.task.startsWith('Why does add fail?\n\nAttached context (chosen by the user):\n\n### file calc.js\n```js\nfunction add')).toBe(true);
    expect(t.task).toContain('`````\na ```` fence ``` inside\n`````');
    expect(t.display).toBe('Why does add fail?\n[attached: calc.js, notes.md]');
    expect(composeTask('hi', [])).toEqual({ task: 'hi', display: 'hi' });
  });

  it('a fence is always longer than any backtick run in the content', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const fence = fenceFor(s);
        expect(fence.length).toBeGreaterThanOrEqual(3);
        for (const m of s.matchAll(/`+/g)) expect(fence.length).toBeGreaterThan(m[0].length);
      }),
    );
  });

  it('the attachments of one message are capped together, and what did not fit is named', () => {
    const big = 'x'.repeat(90_000);
    const t = composeTask('q', [1, 2, 3, 4, 5, 6].map((n) => att(`f${n}`, big)));
    expect(t.task.length).toBeLessThan(MAX_ATTACHED_CHARS + 2_000);
    expect(t.task).toMatch(/Not attached, over the 400000-character limit for one message: f6\./);
  });
});

describe('the @ picker index', () => {
  const files = ['README.md', 'src/extension/agentController.ts', 'src/extension/attachments/composeTask.ts', 'src/webview/main.ts', 'test/unit/a.test.ts'];

  it('matches fuzzily on the whole path, best first, and lists folders too', () => {
    const idx = new MentionIndex(files);
    const rows = idx.search('agcontr', []);
    expect(rows[0]).toEqual({ ref: { kind: 'file', path: 'src/extension/agentController.ts' }, label: 'agentController.ts', detail: 'src/extension' });
    const folders = idx.search('src/ext', []).filter((r) => r.ref.kind === 'folder');
    expect(folders.map((r) => r.ref)).toContainEqual({ kind: 'folder', path: 'src/extension' });
    expect(idx.search('zzzz', [])).toEqual([]);
  });

  it('an empty query lists the fixed rows, then open editors, then files in order; fixed rows filter by words', () => {
    const idx = new MentionIndex(files);
    const fixed = [{ ref: { kind: 'selection' as const }, label: 'Selection', detail: 'a.ts:1-2' }, { ref: { kind: 'changes' as const }, label: 'Uncommitted changes' }];
    const rows = idx.search('', fixed, ['src/webview/main.ts', 'not/in/the/index.ts']);
    expect(rows.slice(0, 4).map((r) => r.label)).toEqual(['Selection', 'Uncommitted changes', 'main.ts', 'README.md']);
    expect(idx.search('uncommit', fixed).map((r) => r.label)).toEqual(['Uncommitted changes']);
    expect(idx.search('', fixed, [], 3)).toHaveLength(3);
  });

  it('finds one file among 100k by its name, and caps the rows', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `pkg${i % 300}/src/mod${i % 97}/file${i}.ts`);
    const idx = new MentionIndex(many);
    const rows = idx.search('file4242', []);
    expect(rows[0]?.ref).toEqual({ kind: 'file', path: 'pkg42/src/mod71/file4242.ts' });
    expect(rows.length).toBeLessThanOrEqual(50);
  });
});

describe('reading what the person attaches', () => {
  async function workspace() {
    const root = await tempDir('ah-attach-');
    await mkdir(path.join(root, 'src/sub'), { recursive: true });
    await writeFile(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
    await writeFile(path.join(root, '.env'), 'API_KEY=sk-secret\n');
    await writeFile(path.join(root, 'bin.dat'), Buffer.from([0, 1, 2, 0, 255, 0]));
    await mkdir(path.join(root, '.git'), { recursive: true });
    await writeFile(path.join(root, '.git/config'), '[remote]\nurl = https://user:pw@host/x\n');
    const outside = await tempDir('ah-outside-');
    await writeFile(path.join(outside, 'secret.txt'), 'outside');
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    return { root, guard: new PathGuard(root) };
  }

  it('a workspace file is read as text', async () => {
    const { guard } = await workspace();
    expect(await readAttachableFile(guard, 'src/a.ts')).toEqual({ relative: 'src/a.ts', text: 'export const a = 1;\n' });
  });

  it('refuses, with a one-line reason, files outside the workspace (also through a symlink), in .git, holding credentials, binary or missing', async () => {
    const { guard } = await workspace();
    for (const p of ['../etc/passwd', 'link.txt', '.git/config', '.env', 'bin.dat', 'nope.ts', 'src']) {
      const e = await readAttachableFile(guard, p).catch((x: unknown) => x);
      expect(e, p).toBeInstanceOf(AttachError);
      expect((e as Error).message, p).not.toMatch(/\n/);
    }
    await expect(readAttachableFile(guard, '.env')).rejects.toThrow(/credentials/);
  });

  it('a folder is its entries, folders first, never .git', async () => {
    const { guard } = await workspace();
    const f = await readAttachableFolder(guard, '.');
    expect(f.text.split('\n')).toEqual(['src/', '.env', 'bin.dat', 'link.txt']);
    expect((await readAttachableFolder(guard, 'src')).text).toBe('src/sub/\nsrc/a.ts');
    await expect(readAttachableFolder(guard, '../')).rejects.toBeInstanceOf(AttachError);
  });
});
