import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Turn } from '../../support/scriptedServer/turn';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { runAgent } from '../../../src/core/agent/loop';
import type { AgentEvent } from '../../../src/core/agent/events';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();

const tools = new ToolRegistry([
  defineTool({ name: 'read_file', description: 'Read a file', kind: 'read', schema: z.object({ path: z.string() }), run: async ({ path }) => `contents of ${path}\n${'x'.repeat(300)}` }),
  defineTool({ name: 'grep', description: 'Search', kind: 'read', schema: z.object({ pattern: z.string() }), run: async ({ pattern }) => `matches for ${pattern}` }),
]);

type Body = {
  tools: Array<Record<string, unknown>>;
  system: unknown;
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
};

function countMarkers(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countMarkers(x), 0);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return (o.cache_control ? 1 : 0) + Object.entries(o).reduce((n, [k, x]) => n + (k === 'cache_control' ? 0 : countMarkers(x)), 0);
  }
  return 0;
}

function strip(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'cache_control' ? undefined : x)));
}

async function run(turns: number, cache: boolean): Promise<AgentEvent[]> {
  server.reset();
  const script: Turn[] = [];
  for (let i = 0; i < turns - 1; i++) script.push({ toolCalls: [{ id: `t${i}`, name: i % 2 ? 'grep' : 'read_file', arguments: i % 2 ? { pattern: `p${i}` } : { path: `f${i}.ts` } }] });
  script.push({ text: 'all done' });
  server.script(script);
  const model = await createModelClient({ url: server.url, protocol: 'anthropic', model: 'claude-sonnet-4-5', sdkMaxRetries: 0 }, 'sk-test');
  const events: AgentEvent[] = [];
  const res = await runAgent({ task: 'look around', system: `You are careful.\n${'Rules. '.repeat(200)}`, model, tools, cache, sinks: [(e) => events.push(e)] });
  expect(res.status).toBe('completed');
  return events;
}

describe('prompt caching over the Anthropic protocol', () => {
  it('places at most four breakpoints: last tool, system, and the last two user-side turns; the prefix is byte-stable', async () => {
    await run(6, true);
    const bodies = server.requests.map((r) => r.body as Body);
    expect(bodies).toHaveLength(6);
    for (const [i, b] of bodies.entries()) {
      expect(countMarkers(b)).toBeLessThanOrEqual(4);
      expect(b.tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(b.tools.slice(0, -1).every((t) => !t.cache_control)).toBe(true);
      expect(b.system).toEqual([{ type: 'text', text: expect.stringContaining('You are careful.'), cache_control: { type: 'ephemeral' } }]);
      const userSide = b.messages.filter((m) => m.role === 'user');
      expect(userSide.at(-1)?.content.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      if (userSide.length > 1) expect(userSide.at(-2)?.content.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(b.messages.filter((m) => m.role === 'assistant').every((m) => m.content.every((blk) => !blk.cache_control))).toBe(true);
      // Byte-stable prefix: each request begins with the previous one, markers aside.
      const prev = bodies[i - 1];
      if (prev) {
        expect(JSON.stringify(strip(b.tools))).toBe(JSON.stringify(strip(prev.tools)));
        expect(JSON.stringify(strip(b.system))).toBe(JSON.stringify(strip(prev.system)));
        expect(strip(b.messages.slice(0, prev.messages.length))).toEqual(strip(prev.messages));
      }
    }
  });

  it('from the second turn on, the previous prompt is read from the cache and counted as cache reads', async () => {
    const events = await run(8, true);
    const usages = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
    expect(usages[0]!.cacheWriteTokens).toBeGreaterThan(0);
    expect(usages[0]!.cacheReadTokens).toBe(0);
    // Each request reads from the cache exactly the whole prompt of the one before, and writes only what is new.
    usages.forEach((u, n) => {
      expect(u.inputTokens).toBe(0);
      const prev = usages[n - 1];
      if (prev) expect(u.cacheReadTokens).toBe(prev.inputTokens + prev.cacheReadTokens + prev.cacheWriteTokens);
    });
    const last = usages.at(-1)!;
    expect(last.cacheReadTokens / (last.cacheReadTokens + last.cacheWriteTokens)).toBeGreaterThan(0.85);
    const finished = events.find((e) => e.type === 'run_finished');
    expect(finished?.type === 'run_finished' && finished.result.usage.cacheReadTokens).toBe(usages.reduce((n, u) => n + u.cacheReadTokens, 0));
  });

  it('sends no breakpoints when the hint is off', async () => {
    const events = await run(3, false);
    for (const r of server.requests) expect(countMarkers(r.body)).toBe(0);
    expect(events.flatMap((e) => (e.type === 'usage' ? [e.usage.cacheReadTokens + e.usage.cacheWriteTokens] : []))).toEqual([0, 0, 0]);
  });
});
