import path from 'node:path';
import type { EventSink } from '../core/agent/events';
import type { RunLimits } from '../core/agent/limits';
import type { RunResult, SkillUse } from '../core/agent/runResult';
import { prepareRun, SessionConfigError } from '../core/session/prepareRun';
import type { Profile } from '../core/profiles/profile';
import type { ToolRegistry } from '../core/tools/registry';
import { createTextSearcher } from '../adapters/search/ripgrepLocator';
import { UsageError, type CliIo } from './cliIo';

export interface CliSessionOptions {
  root: string;
  task: string;
  io: CliIo;
  /** --yes: apply proposed edits without asking (protected paths still wait for a person). */
  yes: boolean;
  profile?: string;
}

/** Everything one CLI run needs besides the model: tools, system prompt, extra sinks, and what to do at the end. */
export interface CliSession {
  profile: Profile;
  tools: ToolRegistry;
  systemPrompt: string;
  limits: Partial<RunLimits>;
  skills: { list(): SkillUse[] };
  sinks: EventSink[];
  /** Settles the run's change set: without --yes nothing is written and the pending diff is printed. */
  finish(result: RunResult): Promise<RunResult>;
  dispose(): Promise<void>;
}

/** The built-in skills ship next to the bundle (dist/../skills), and next to src/ in a checkout. */
export function builtinSkillsDir(): string {
  return path.resolve(__dirname, '..', path.basename(__dirname) === 'cli' ? '../skills' : 'skills');
}

/** The CLI's composition root: Node adapters wired into the core's shared run preparation. */
export async function buildCliSession(opts: CliSessionOptions): Promise<CliSession> {
  let prepared;
  try {
    prepared = await prepareRun({
      root: opts.root,
      task: opts.task,
      builtinSkillsDir: builtinSkillsDir(),
      profileName: opts.profile,
      searcher: await createTextSearcher(),
      autoApproveEdits: opts.yes,
    });
  } catch (e) {
    if (e instanceof SessionConfigError) throw new UsageError(e.message);
    throw e;
  }
  for (const p of prepared.problems) opts.io.stderr(`agent-harness: skipped ${p}\n`);
  const { changeSet, activeSkills } = prepared;
  return {
    profile: prepared.profile,
    tools: prepared.tools,
    systemPrompt: prepared.systemPrompt,
    limits: prepared.limits,
    skills: activeSkills,
    sinks: [],
    async finish(result) {
      // filesChanged reports what is on disk now, not what was proposed.
      const written = changeSet.list().filter((f) => f.state === 'applied').map((f) => f.path);
      const pending = changeSet.pending();
      if (pending.length > 0) {
        opts.io.stderr(
          `agent-harness: ${pending.length} proposed file change(s) were not written${opts.yes ? ' (protected paths always need a person)' : '; run with --yes to apply them'}:\n`,
        );
        opts.io.stderr(changeSet.unifiedDiff({ states: ['pending'] }));
      }
      return { ...result, filesChanged: written.sort() };
    },
    async dispose() {
      // Nothing to release yet; the sandbox joins here.
    },
  };
}
