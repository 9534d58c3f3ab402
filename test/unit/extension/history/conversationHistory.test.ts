import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConversationHost } from '../../../../src/extension/history/conversationHost';
import { ConversationStore } from '../../../../src/extension/history/conversationStore';
import { summarize } from '../../../../src/extension/history/conversationSummary';
import type { ConversationItem, ConversationSummary } from '../../../../src/shared/panelState';
import { matchesQuery, whenText } from '../../../../src/webview/historyView';

const dir = () => mkdtemp(path.join(os.tmpdir(), 'ah-history-'));
const usage = (cost: number, tokens: number) => ({ input: tokens, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: cost });
const items = (title: string): ConversationItem[] => [
  { kind: 'user', id: 'u1', text: `${title}\nmore detail` },
  { kind: 'assistant', id: 'a1', text: 'ok', streaming: false },
  { kind: 'summary', id: 's1', status: 'completed', filesChanged: [], usage: usage(0.5, 1000) },
  { kind: 'user', id: 'u2', text: 'and then' },
  { kind: 'summary', id: 's2', status: 'completed', filesChanged: [], usage: { ...usage(0.25, 500), costUnknown: true } },
];
const summary = (id: string, title = id): ConversationSummary => ({ id, title, created: '2026-12-01T00:00:00.000Z', updated: '2026-12-01T00:00:00.000Z', messages: 1, costUsd: 0, tokens: 0 });

describe('conversation summaries (issue 16 item 2)', () => {
  it('titles a conversation by its first message line and sums its runs', () => {
    const s = summarize('c1', '2026-12-01T10:00:00.000Z', { items: items('Fix the login bug') }, new Date('2026-12-02T00:00:00.000Z'));
    expect(s).toEqual({ id: 'c1', title: 'Fix the login bug', created: '2026-12-01T10:00:00.000Z', updated: '2026-12-02T00:00:00.000Z', messages: 2, costUsd: 0.75, tokens: 1500, costUnknown: true });
    expect(summarize('c2', 'x', { items: [] }, new Date())).toBeUndefined();
    expect(summarize('c3', 'x', { items: [{ kind: 'user', id: 'u', text: 'y'.repeat(200) }] }, new Date())?.title).toHaveLength(80);
  });

  it('the history search matches every word of the query in the title', () => {
    expect(matchesQuery({ title: 'Fix the login bug' }, 'LOGIN fix')).toBe(true);
    expect(matchesQuery({ title: 'Fix the login bug' }, 'logout')).toBe(false);
    expect(matchesQuery({ title: 'x' }, '  ')).toBe(true);
    const now = new Date(2026, 11, 7, 15, 0);
    expect(whenText(new Date(2026, 11, 7, 9, 5).toISOString(), now)).toBe('Today 09:05');
    expect(whenText(new Date(2026, 11, 6, 23, 0).toISOString(), now)).toBe('Yesterday');
    expect(whenText('nonsense', now)).toBe('');
  });
});

describe('the conversation store', () => {
  it('keeps every conversation, most recently saved first, and loads each back', async () => {
    const store = new ConversationStore(await dir());
    await store.save(summary('a'), { items: ['A'], history: [] });
    await store.save(summary('b'), { items: ['B'], history: [] });
    await store.save(summary('a', 'a again'), { items: ['A2'], history: [] });
    expect((await store.list()).map((c) => c.title)).toEqual(['a again', 'b']);
    expect(await store.load('a')).toEqual({ items: ['A2'], history: [] });
    await store.delete('a');
    expect((await store.list()).map((c) => c.id)).toEqual(['b']);
    expect(await store.load('a')).toBeUndefined();
  });

  it('is bounded by count and by bytes: the least recently saved go first, files included; the newest always stays', async () => {
    const d = await dir();
    const store = new ConversationStore(d, { count: 3, bytes: 1000 });
    for (const id of ['c1', 'c2', 'c3', 'c4']) await store.save(summary(id), { items: [id], history: [] });
    expect((await store.list()).map((c) => c.id)).toEqual(['c4', 'c3', 'c2']);
    expect((await readdir(d)).sort()).toEqual(['c2.json', 'c3.json', 'c4.json', 'index.json']);
    await store.save(summary('big'), { items: ['x'.repeat(2000)], history: [] });
    expect((await store.list()).map((c) => c.id)).toEqual(['big']);
  });

  it('refuses ids that are not ours (no path tricks), and survives a damaged index', async () => {
    const d = await dir();
    const store = new ConversationStore(d);
    await expect(store.save(summary('../escape'), { items: [], history: [] })).rejects.toThrow(/invalid conversation id/);
    expect(await store.load('../../etc/passwd')).toBeUndefined();
    await writeFile(path.join(d, 'index.json'), '{not json');
    expect(await store.list()).toEqual([]);
    await store.save(summary('ok'), { items: [], history: [] });
    expect((await store.list()).map((c) => c.id)).toEqual(['ok']);
    expect(JSON.parse(await readFile(path.join(d, 'index.json'), 'utf8')).version).toBe(1);
  });

  it('saves in order under concurrent calls', async () => {
    const store = new ConversationStore(await dir());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(summary(`c${i}`), { items: [i], history: [] })));
    expect((await store.list()).map((c) => c.id)).toEqual(Array.from({ length: 20 }, (_, i) => `c${19 - i}`));
  });
});

describe('the conversation host', () => {
  it('saves the conversation shown once it has a message, starts new ones, and opens saved ones with their messages', async () => {
    const host = new ConversationHost(new ConversationStore(await dir()), 'first');
    await host.save({ items: [] }, []);
    expect(await host.list()).toEqual([]);
    await host.save({ items: items('Write tests') }, [{ role: 'user', content: 'Write tests' }]);
    const second = host.startNew();
    expect(second).not.toBe('first');
    await host.save({ items: items('Refactor') }, []);
    expect((await host.list()).map((c) => c.title)).toEqual(['Refactor', 'Write tests']);
    const opened = await host.open('first');
    expect(opened?.items[0]).toMatchObject({ kind: 'user', text: 'Write tests\nmore detail' });
    expect(opened?.history).toEqual([{ role: 'user', content: 'Write tests' }]);
    expect(host.id).toBe('first');
  });

  it('a conversation whose file is damaged does not open', async () => {
    const d = await dir();
    const host = new ConversationHost(new ConversationStore(d), 'x');
    await host.save({ items: items('A') }, []);
    await writeFile(path.join(d, 'x.json'), JSON.stringify({ items: [{ kind: 'nonsense' }], history: [] }));
    expect(await host.open('x')).toBeUndefined();
  });
});
