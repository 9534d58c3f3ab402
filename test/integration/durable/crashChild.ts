/**
 * A child process for the crash tests: it runs (or resumes) a journaled run against the scripted
 * server and kills itself with SIGKILL at the boundary named by CRASH_AT, which is as abrupt as a
 * crash gets (no finally blocks, no flush, the lock left behind).
 *
 * CRASH_AT: `before:<kind>:<key>` / `after:<kind>:<key>` around a journal append (key = step suffix
 * like m1, or a call id), or `before-effect:<callId>` / `after-effect:<callId>` around the tool's side effect.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { JournalStore } from '../../../src/adapters/journal/journalStore';
import { resumeRun } from '../../../src/adapters/journal/resumeRun';
import { runAgent } from '../../../src/core/agent/loop';
import type { JournalRecord } from '../../../src/core/journal/journalRecord';
import { defineTool } from '../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../src/core/tools/registry';

const env = process.env;
const crashAt = env.CRASH_AT ?? '';
const workspace = env.WORKSPACE ?? '';

function crash(point: string): void {
  if (point === crashAt) process.kill(process.pid, 'SIGKILL');
}

function keyOf(r: JournalRecord): string {
  if (r.kind === 'model_call' || r.kind === 'compaction') return `${r.kind}:${r.step.split(':').pop()}`;
  if (r.kind === 'tool_intent') return `${r.kind}:${r.call.id}`;
  if (r.kind === 'tool_result' || r.kind === 'approval') return `${r.kind}:${r.callId}`;
  return r.kind;
}

const tools = new ToolRegistry([
  defineTool({
    name: 'read_notes',
    description: 'Read the notes file',
    kind: 'read',
    schema: z.object({}),
    run: async () => {
      appendFileSync(path.join(workspace, 'reads.log'), 'read\n');
      return 'notes: remember the milk';
    },
  }),
  defineTool({
    name: 'append_line',
    description: 'Append a line to out.txt',
    kind: 'write',
    schema: z.object({ line: z.string() }),
    run: async ({ line }, ctx) => {
      crash(`before-effect:${ctx.callId}`);
      appendFileSync(path.join(workspace, 'out.txt'), `${line}\n`);
      crash(`after-effect:${ctx.callId}`);
      return { content: `appended ${line}`, filesChanged: ['out.txt'] };
    },
  }),
]);

async function main(): Promise<void> {
  const store = new JournalStore({
    dir: env.RUNS_DIR ?? '',
    staleMs: 2_000,
    waitMs: 6_000,
    hooks: {
      beforeAppend: (r) => crash(`before:${keyOf(r)}`),
      afterAppend: (r) => crash(`after:${keyOf(r)}`),
    },
  });
  const protocol = (env.PROTOCOL ?? 'anthropic') as 'openai' | 'anthropic';
  const model = await createModelClient({ url: env.SERVER_URL ?? '', protocol, model: protocol === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-5', sdkMaxRetries: 0 }, 'sk-test');
  const session = { system: 'You are a careful agent.', model, tools, cache: true };
  const runId = env.RUN_ID ?? '';
  let result;
  if (env.MODE === 'resume') {
    result = await resumeRun({ store, runId, build: async () => session, confirmRerun: async () => env.RERUN === 'yes' });
  } else {
    const journal = await store.create(runId);
    try {
      result = await runAgent({ ...session, task: 'note the milk', runId, journal, resumeConfig: { workspace } });
    } finally {
      await journal.close();
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`child failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
