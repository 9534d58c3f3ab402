import { configuredDecision } from '../../core/mcp/mcpApprovals';
import { hasMcpConfig, isStdioServer, loadMcpConfig, MCP_CONFIG_FILE, type McpServerEntry } from '../../core/mcp/mcpConfig';
import { resolveServer, type ResolveSecret } from '../../core/mcp/mcpReferences';
import { createMcpTools } from '../../core/mcp/mcpTools';
import type { Decision } from '../../core/profiles/profile';
import type { AnyTool } from '../../core/tools/defineTool';
import { connectMcpServer, type McpConnection } from './mcpConnection';
import { commandLineHash } from '../trust/trustStore';

export interface OpenMcpToolsOptions {
  workspaceRoot: string;
  /**
   * mcp.json starts programs and sends credentials, so it is used only in a workspace the person
   * trusts (VS Code workspace trust; the CLI: a person chose to run it in this folder).
   */
  workspaceTrusted: boolean;
  /** Where `${env:NAME}` references are looked up (process.env in the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  /** `${secret:NAME}`: VS Code SecretStorage in the extension; absent in the CLI. */
  resolveSecret?: ResolveSecret;
  clientVersion?: string;
  /** Overrides every server's startup timeout (tests). */
  startupTimeoutMs?: number;
  /**
   * A stdio server starts a program on this machine, so it starts only once a person approved its
   * command line (by hash: any change asks again). Without this, no stdio server starts.
   */
  approveServer?: (server: McpServerApproval) => Promise<boolean>;
}

/** What a person is asked about before a workspace MCP server's program starts. */
export interface McpServerApproval {
  name: string;
  /** The command and arguments as configured (references like ${env:X} unresolved). */
  commandLine: string;
  hash: string;
}

export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'http';
  /** Tools registered from this server. */
  tools: number;
}

/** The MCP servers of one session: their tools for prepareRun, the approvals mcp.json asks for, and what went wrong. */
export interface McpSession {
  /** `<server>__<tool>` tools of kind external, for prepareRun's extraTools. */
  tools: AnyTool[];
  /** Registry tool name -> decision configured in mcp.json (for prepareRun's toolApprovals). */
  toolApprovals: Record<string, Decision>;
  servers: McpServerStatus[];
  /** One line each, naming the file or the server and the reason; those servers are left out. */
  problems: string[];
  /** Closes every connection and ends every stdio child. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Reads `.agent-harness/mcp.json`, starts or reaches every enabled server in parallel and turns their
 * tools into registry tools. A server that fails (bad configuration, a missing variable or secret, a
 * program that does not start or crashes, no answer in time, an HTTP error) is reported and left out;
 * the run goes on with the others. Tools mcp.json denies are not offered to the model at all. The
 * tool set is fixed when the session opens (a server's tools/list_changed is not followed), which
 * keeps the prompt prefix stable for the run.
 */
export async function openMcpTools(opts: OpenMcpToolsOptions): Promise<McpSession> {
  if (!opts.workspaceTrusted) {
    const problems = (await hasMcpConfig(opts.workspaceRoot)) ? [`${MCP_CONFIG_FILE} is ignored: MCP servers are not started in an untrusted workspace`] : [];
    return { tools: [], toolApprovals: {}, servers: [], problems, close: async () => undefined };
  }
  const loaded = await loadMcpConfig(opts.workspaceRoot);
  const problems = [...loaded.problems];
  const results = await Promise.all(loaded.servers.map((entry) => openOne(entry, opts)));

  const connections: McpConnection[] = [];
  const tools: AnyTool[] = [];
  const toolApprovals: Record<string, Decision> = {};
  const servers: McpServerStatus[] = [];
  for (const [i, r] of results.entries()) {
    const entry = loaded.servers[i]!;
    if ('problem' in r) {
      problems.push(`MCP server "${entry.name}" left out: ${r.problem}`);
      continue;
    }
    connections.push(r.connection);
    const set = createMcpTools(entry.name, r.connection.tools, r.connection);
    problems.push(...set.problems);
    let count = 0;
    for (const tool of set.tools) {
      const decision = configuredDecision(entry.config, set.originalNames.get(tool.name)!);
      if (decision === 'deny') continue;
      if (decision) toolApprovals[tool.name] = decision;
      tools.push(tool);
      count++;
    }
    servers.push({ name: entry.name, transport: isStdioServer(entry.config) ? 'stdio' : 'http', tools: count });
  }

  let closing: Promise<void> | undefined;
  return {
    tools,
    toolApprovals,
    servers,
    problems,
    close() {
      closing ??= Promise.all(connections.map((c) => c.close())).then(() => undefined);
      return closing;
    },
  };
}

async function openOne(entry: McpServerEntry, opts: OpenMcpToolsOptions): Promise<{ connection: McpConnection } | { problem: string }> {
  if (isStdioServer(entry.config)) {
    const c = entry.config;
    const approval = { name: entry.name, commandLine: [c.command, ...c.args].join(' '), hash: commandLineHash(c) };
    if (!opts.approveServer || !(await opts.approveServer(approval))) {
      return { problem: `not started: it runs "${approval.commandLine}" on this machine, and a person has not approved that command line` };
    }
  }
  const resolved = await resolveServer(entry.config, { env: opts.env, workspaceRoot: opts.workspaceRoot, resolveSecret: opts.resolveSecret });
  if (!resolved.ok) return { problem: resolved.message };
  try {
    const connection = await connectMcpServer(entry.name, resolved.server, {
      startupTimeoutMs: opts.startupTimeoutMs ?? entry.config.startupTimeoutMs,
      callTimeoutMs: entry.config.callTimeoutMs,
      clientVersion: opts.clientVersion,
    });
    return { connection };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}
