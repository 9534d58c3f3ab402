import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { describeIssues } from '../skills/parseSkill';
import { findConfigSecrets, MCP_SECRET_HELP } from './mcpSecrets';
import { checkReferences } from './mcpReferences';
import { HttpServerSchema, ServerNameSchema, StdioServerSchema, type McpServerConfig, type StdioServer } from './mcpServerSchema';

/** Where MCP servers are configured in a workspace, relative to its root. */
export const MCP_CONFIG_FILE = '.agent-harness/mcp.json';
const MAX_CONFIG_BYTES = 256 * 1024;

export { ServerNameSchema, StdioServerSchema, HttpServerSchema, type StdioServer, type HttpServer, type McpServerConfig } from './mcpServerSchema';

export interface McpServerEntry {
  name: string;
  config: McpServerConfig;
}

export interface McpConfigLoad {
  /** Valid, enabled servers in the file's order. */
  servers: McpServerEntry[];
  /** One line per problem, naming the file and the field; the servers named here are skipped. */
  problems: string[];
}

/** Reads `.agent-harness/mcp.json`. No file means no servers and no problems. */
export async function loadMcpConfig(workspaceRoot: string): Promise<McpConfigLoad> {
  const file = join(workspaceRoot, MCP_CONFIG_FILE);
  const st = await lstat(file).catch(() => undefined);
  if (!st) return { servers: [], problems: [] };
  if (!st.isFile()) return fileProblem('not a regular file (symbolic links are not followed)');
  if (st.size > MAX_CONFIG_BYTES) return fileProblem(`the file is ${st.size} bytes; the limit is ${MAX_CONFIG_BYTES}`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return fileProblem(`cannot read the file: ${(e as Error).message}`);
  }
  return parseMcpConfig(text);
}

/** True when the workspace has an mcp.json (of any kind), so a front end can say why it was not used. */
export async function hasMcpConfig(workspaceRoot: string): Promise<boolean> {
  return (await lstat(join(workspaceRoot, MCP_CONFIG_FILE)).catch(() => undefined)) !== undefined;
}

/**
 * Parses the text of mcp.json (JSON with comments). A problem with one server skips that server and
 * the others still load; a problem with the file as a whole (syntax, a secret outside `servers`)
 * loads none. The secret scan runs before validation so a key is refused with the right advice even
 * in a field the schema does not know.
 */
export function parseMcpConfig(text: string): McpConfigLoad {
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0]!;
    const line = text.slice(0, e.offset).split('\n').length;
    return fileProblem(`invalid JSON (line ${line}): ${printParseErrorCode(e.error)}`);
  }
  if (!isRecord(data)) return fileProblem('the file must be an object: { "servers": { "<name>": { "command": ... } | { "url": ... } } }');

  const secrets = findConfigSecrets(data);
  const outside = secrets.filter((s) => s.path[0] !== 'servers' || s.path.length < 2);
  if (outside.length > 0) return fileProblem(secretMessage(outside));
  const unknown = Object.keys(data).filter((k) => k !== 'servers' && k !== '$schema');
  if (unknown.length > 0) return fileProblem(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (expected "servers")`);
  if (data.servers === undefined) return { servers: [], problems: [] };
  if (!isRecord(data.servers)) return fileProblem('field "servers" must be an object of servers by name');

  const servers: McpServerEntry[] = [];
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(data.servers)) {
    const where = `${MCP_CONFIG_FILE}: server "${name}"`;
    const nameCheck = ServerNameSchema.safeParse(name);
    if (!nameCheck.success) {
      problems.push(`${where}: ${nameCheck.error.issues[0]?.message}`);
      continue;
    }
    const own = secrets.filter((s) => s.path[1] === name);
    if (own.length > 0) {
      problems.push(`${where}: ${secretMessage(own)}`);
      continue;
    }
    const parsed = parseServer(raw);
    if (!parsed.ok) {
      problems.push(`${where}: ${parsed.message}`);
      continue;
    }
    const refProblem = checkReferences(parsed.config);
    if (refProblem) {
      problems.push(`${where}: ${refProblem}`);
      continue;
    }
    if (!parsed.config.disabled) servers.push({ name, config: parsed.config });
  }
  return { servers, problems };
}

export function isStdioServer(config: McpServerConfig): config is StdioServer {
  return 'command' in config;
}

type ServerParse = { ok: true; config: McpServerConfig } | { ok: false; message: string };

/** The transport is chosen by which of `command` and `url` is present, so errors speak about one shape only. */
function parseServer(raw: unknown): ServerParse {
  if (!isRecord(raw)) return { ok: false, message: 'must be an object with "command" (a program to start) or "url" (a streamable HTTP endpoint)' };
  const hasCommand = 'command' in raw;
  const hasUrl = 'url' in raw;
  if (hasCommand === hasUrl) {
    return { ok: false, message: hasCommand ? 'has both "command" and "url"; use one' : 'needs "command" (a program to start, stdio) or "url" (a streamable HTTP endpoint)' };
  }
  const res = hasCommand ? StdioServerSchema.safeParse(raw) : HttpServerSchema.safeParse(raw);
  if (!res.success) return { ok: false, message: describeIssues(res.error) };
  return { ok: true, config: res.data };
}

function secretMessage(found: readonly { path: readonly string[]; kind: string }[]): string {
  const where = found.map((s) => `field "${s.path.join('.')}" looks like ${s.kind}`).join('; ');
  return `${where}. ${MCP_SECRET_HELP}`;
}

function fileProblem(message: string): McpConfigLoad {
  return { servers: [], problems: [`${MCP_CONFIG_FILE}: ${message}`] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
