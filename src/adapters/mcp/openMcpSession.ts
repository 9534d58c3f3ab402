import { hasMcpConfig } from '../../core/mcp/mcpConfig';
import type { McpSession, OpenMcpToolsOptions } from './openMcpTools';

const NO_SERVERS: McpSession = { tools: [], toolApprovals: {}, servers: [], problems: [], close: async () => undefined };

/**
 * The session's MCP servers: none without `.agent-harness/mcp.json`, in which case the MCP client
 * (its own bundle, dist/mcp.js, with the MCP SDK) is not loaded at all.
 */
export async function openMcpSession(opts: OpenMcpToolsOptions): Promise<McpSession> {
  if (!(await hasMcpConfig(opts.workspaceRoot))) return NO_SERVERS;
  const { openMcpTools } = await import('./openMcpTools');
  return openMcpTools(opts);
}
