import type { EventSink } from '../core/agent/events';
import type { RunResult, SkillUse } from '../core/agent/runResult';
import { BASE_INSTRUCTIONS, buildSystemPrompt } from '../core/agent/systemPrompt';
import { ChangeSet } from '../core/edits/changeSet';
import { createEditTools } from '../core/edits/editTools';
import { PathGuard } from '../core/policy/pathGuard';
import type { AnyTool } from '../core/tools/defineTool';
import { createFindFilesTool } from '../core/tools/findFiles';
import { createGrepTool } from '../core/tools/grep';
import { createListDirTool } from '../core/tools/listDir';
import { createReadFileTool } from '../core/tools/readFile';
import { ToolRegistry } from '../core/tools/registry';
import { createTextSearcher } from '../adapters/search/ripgrepLocator';
import type { CliIo } from './cliIo';

export interface CliSessionOptions {
  root: string;
  io: CliIo;
  /** --yes: apply proposed edits without asking (protected paths still wait for a person). */
  yes: boolean;
  profile?: string;
}

/** Everything one CLI run needs besides the model: tools, system prompt, extra sinks, and what to do at the end. */
export interface CliSession {
  tools: ToolRegistry;
  systemPrompt: string;
  profileName: string;
  skillsUsed: SkillUse[];
  sinks: EventSink[];
  /** Settles the run's change set: without --yes nothing is written and the pending diff is printed. */
  finish(result: RunResult): Promise<RunResult>;
  dispose(): Promise<void>;
}

/** The CLI's composition root: Node adapters wired into the core's tools. */
export async function buildCliSession(opts: CliSessionOptions): Promise<CliSession> {
  const guard = new PathGuard(opts.root);
  const changeSet = new ChangeSet();
  const searcher = await createTextSearcher();
  const tools: AnyTool[] = [
    createReadFileTool({ guard, root: opts.root }),
    createListDirTool({ guard, root: opts.root }),
    createFindFilesTool({ guard, root: opts.root }),
    createGrepTool({ guard, root: opts.root, searcher }),
    ...createEditTools({ root: opts.root, guard, changeSet, autoApprove: opts.yes ? () => true : undefined }),
  ];
  return {
    tools: new ToolRegistry(tools),
    systemPrompt: buildSystemPrompt({ profilePrompt: BASE_INSTRUCTIONS }),
    profileName: opts.profile ?? 'coder',
    skillsUsed: [],
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
