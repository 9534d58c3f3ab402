import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedServer } from '../../core/mcp/mcpReferences';
import type { McpCallResult, McpCaller, McpToolDescriptor } from '../../core/mcp/mcpTools';

export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
const MAX_TOOL_PAGES = 50;
const STDERR_TAIL_CHARS = 2_000;

export interface ConnectOptions {
  startupTimeoutMs?: number;
  callTimeoutMs?: number;
  clientVersion?: string;
}

/** One live MCP server: its tools, a caller for them, and how to close it (which ends a stdio child). */
export interface McpConnection extends McpCaller {
  readonly name: string;
  readonly tools: McpToolDescriptor[];
  close(): Promise<void>;
}

/** A server that could not be started, connected to or listed; the message is one line. */
export class McpStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpStartError';
  }
}

/**
 * Starts (stdio) or reaches (streamable HTTP) one server, initializes the session and lists its tools,
 * all within the startup timeout. On any failure the transport is closed, so no child is left behind,
 * and the error says why in one line (with the end of a stdio server's stderr when it has one).
 */
export async function connectMcpServer(name: string, server: ResolvedServer, opts: ConnectOptions = {}): Promise<McpConnection> {
  const startupTimeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const callTimeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const stderrTail = { text: '' };
  const transport = createTransport(server, stderrTail);
  const client = new Client({ name: 'agent-harness', version: opts.clientVersion ?? '0.0.0' }, { capabilities: {} });
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), startupTimeoutMs);
  let tools: McpToolDescriptor[];
  try {
    await raceAbort(client.connect(transport, { signal: deadline.signal, timeout: startupTimeoutMs }), deadline.signal);
    tools = await raceAbort(listAllTools(client, deadline.signal, startupTimeoutMs), deadline.signal);
  } catch (e) {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    const why = deadline.signal.aborted ? `no answer within ${startupTimeoutMs} ms` : describeError(e);
    const tail = lastLine(stderrTail.text);
    throw new McpStartError(`${why}${tail ? ` (server said: ${tail})` : ''}`);
  } finally {
    clearTimeout(timer);
  }

  let closed: Promise<void> | undefined;
  return {
    name,
    tools,
    async callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
      const r = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: callTimeoutMs, resetTimeoutOnProgress: true });
      // Servers on the 2024-10-07 protocol answer with `toolResult` instead of content.
      if ('toolResult' in r && !('content' in r)) return { content: [{ type: 'text', text: JSON.stringify(r.toolResult) }] };
      return r as McpCallResult;
    },
    close() {
      closed ??= client.close().catch(() => undefined);
      return closed;
    },
  };
}

function createTransport(server: ResolvedServer, stderrTail: { text: string }): Transport {
  if (server.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers } });
  }
  // The child gets the SDK's minimal environment (PATH, HOME, ...) plus what mcp.json gives it, never
  // our whole environment: the gateway key and other credentials stay with us.
  const transport = new StdioClientTransport({ command: server.command, args: server.args, env: server.env, cwd: server.cwd, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail.text = (stderrTail.text + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  return transport;
}

async function listAllTools(client: Client, signal: AbortSignal, timeout: number): Promise<McpToolDescriptor[]> {
  const tools: McpToolDescriptor[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const r = await client.listTools(cursor ? { cursor } : undefined, { signal, timeout });
    tools.push(...(r.tools as McpToolDescriptor[]));
    cursor = r.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** The SDK does not always give up on a signal while a transport is starting; this makes the deadline hold. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function describeError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown; syscall?: unknown; path?: unknown };
  if (err?.code === 'ENOENT' && typeof err.path === 'string') return `cannot start "${err.path}": no such program`;
  if (err?.code === 'EACCES' && typeof err.path === 'string') return `cannot start "${err.path}": permission denied`;
  const msg = e instanceof Error ? e.message : String(e);
  if (/Connection closed/.test(msg)) return 'the server closed the connection before it was ready (it may have exited)';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (msg === 'fetch failed' && cause) return oneLine(`cannot reach the server: ${typeof cause.code === 'string' ? cause.code : String(cause.message)}`);
  if (e instanceof StreamableHTTPError && typeof e.code === 'number' && e.code >= 400) {
    const detail = msg.replace(/^Streamable HTTP error: (Error POSTing to endpoint: )?/, '');
    return oneLine(`HTTP ${e.code}${httpHint(e.code)} from the server: ${detail}`);
  }
  return oneLine(msg);
}

function httpHint(status: number): string {
  if (status === 401 || status === 403) return ' (check the credentials its headers refer to)';
  if (status === 404) return ' (check the url)';
  return '';
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return oneLine(lines.at(-1) ?? '');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= 300 ? flat : `${flat.slice(0, 297)}...`;
}
