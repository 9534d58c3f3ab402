import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RecordedRequest } from '../../support/scriptedServer/server';
import type { Turn } from '../../support/scriptedServer/turn';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { runAgent } from '../../../src/core/agent/loop';
import type { AgentEvent } from '../../../src/core/agent/events';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { totalTokens } from '../../../src/core/model/usage';
import { useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();

const STEPS = 200;
const WINDOW = 30_000;

const work = defineTool({
  name: 'work',
  description: 'Do one step of work',
  kind: 'write',
  schema: z.object({ i: z.number().int() }),
  run: async ({ i }) => ({ content: `step ${i} output: ${'data '.repeat(400)}`, filesChanged: [`src/file-${i % 5}.ts`] }),
});

function isSummaryRequest(req: RecordedRequest): boolean {
  return (req.body as { tool_choice?: { type?: string } }).tool_choice?.type === 'tool';
}

describe('compaction on a long scripted run', () => {
  it(`runs ${STEPS} tool steps in a ${WINDOW}-token window without overflowing, and carries files and open items across`, async () => {
    let step = 0;
    server.reset();
    server.respondWith((req): Turn => {
      if (isSummaryRequest(req)) {
        return {
          json: {
            task: 'process all the steps',
            progress: 'many steps done',
            decisions: ['work through the steps in order'],
            filesTouched: ['src/app.ts (entry point, read)'],
            commandsRun: [],
            openItems: ['write the README once all steps are done'],
          },
        };
      }
      const i = step++;
      return i < STEPS ? { toolCalls: [{ id: `call_${i}`, name: 'work', arguments: { i } }] } : { text: 'finished' };
    });
    const model = await createModelClient({ url: server.url, protocol: 'anthropic', model: 'claude-sonnet-4-5', sdkMaxRetries: 0 }, 'sk-test');
    const events: AgentEvent[] = [];
    const result = await runAgent({
      task: 'process all the steps',
      system: 'You are a worker.',
      model,
      tools: new ToolRegistry([work]),
      limits: { maxTurns: STEPS + 5, maxToolCalls: STEPS + 5, maxTokens: 100_000_000 },
      context: { window: WINDOW },
      cache: true,
      sinks: [(e) => events.push(e)],
    });
    expect(result.status).toBe('completed');
    expect(result.output).toBe('finished');

    // Never past the window: the provider's own count of every prompt stays below it.
    const prompts = events.flatMap((e) => (e.type === 'usage' ? [e.usage.inputTokens + e.usage.cacheReadTokens + e.usage.cacheWriteTokens] : []));
    expect(prompts).toHaveLength(STEPS + 1);
    expect(Math.max(...prompts)).toBeLessThan(WINDOW);

    const compactions = events.filter((e): e is Extract<AgentEvent, { type: 'context_compacted' }> => e.type === 'context_compacted');
    expect(compactions.length).toBeGreaterThanOrEqual(3);
    expect(server.requests.filter(isSummaryRequest)).toHaveLength(compactions.length);
    for (const c of compactions) expect(c.tokensAfter).toBeLessThan(c.tokensBefore / 2);

    // The compaction calls are costed: the run's usage is every model call plus every summary.
    const calls = events.flatMap((e) => (e.type === 'usage' ? [totalTokens(e.usage)] : []));
    const summaries = compactions.map((c) => totalTokens(c.usage));
    expect(summaries.every((t) => t > 0)).toBe(true);
    expect(result.usage.totalTokens).toBe([...calls, ...summaries].reduce((a, b) => a + b, 0));
    expect(result.usage.costUsd).toBeGreaterThan(0);

    // The request after the last compaction starts with the summary, which carries files and open items.
    const lastSummaryAt = server.requests.findLastIndex(isSummaryRequest);
    const next = server.requests[lastSummaryAt + 1]!.body as { messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };
    const summaryText = next.messages[0]!.content[0]!.text ?? '';
    expect(summaryText).toMatch(/## Files touched[\s\S]*src\/app\.ts[\s\S]*src\/file-3\.ts/);
    expect(summaryText).toMatch(/## Open items\n- write the README once all steps are done/);
    expect(summaryText).toMatch(/## Task\nprocess all the steps/);
    // The kept turns are verbatim and well-formed (the server rejects an unanswered tool_use).
    expect(next.messages[1]!.role).toBe('assistant');
    expect(result.filesChanged).toEqual(['src/file-0.ts', 'src/file-1.ts', 'src/file-2.ts', 'src/file-3.ts', 'src/file-4.ts']);
  }, 60_000);
});
