import type { RunSecurity } from '../policy/runSecurity';
import type { AnyTool, Tool, ToolOutput } from '../tools/defineTool';

/**
 * Wraps a tool so the run's security state sees what it did: the files it changed (an edit to
 * package.json makes `npm test` need a person from then on) and what it returned (instructions aimed at
 * the agent, or credentials, taint the run). Inside the approval wrapper: only calls that ran are seen.
 */
export function observeResults<T extends AnyTool>(tool: T, security: RunSecurity): T {
  const run = async (args: unknown, ctx: Parameters<T['run']>[1]): Promise<ToolOutput | string> => {
    const out = await tool.run(args as never, ctx);
    const output: ToolOutput = typeof out === 'string' ? { content: out } : out;
    for (const f of output.filesChanged ?? []) security.noteChanged(f);
    security.inspect(tool.name, tool.kind, args, output.content);
    return out;
  };
  const wrapped: Tool = { ...tool, run };
  return wrapped as T;
}
