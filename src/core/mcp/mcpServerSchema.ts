import { z } from 'zod';
import { DecisionSchema } from '../profiles/profile';

/**
 * The shape of one MCP server entry in .agent-harness/mcp.json (stdio or streamable HTTP), apart from
 * reading the file (mcpConfig.ts) and resolving its references (mcpReferences.ts), so both use it.
 */
/** https anywhere; plain http only to this machine, so a credential never crosses a network unencrypted. */
export function isAcceptableMcpUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * A server name becomes the prefix of its tools' names (`github__create_issue`), so it uses only what
 * both providers accept in a tool name and never the `__` separator itself.
 */
export const ServerNameSchema = z
  .string()
  .max(32, 'a server name is at most 32 characters')
  .regex(/^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/, 'a server name is letters, digits, "-" and single "_" (e.g. "github" or "issue-tracker")');

const McpToolNameSchema = z.string().min(1).max(128);

/** Fields every server has, whichever transport it uses. */
const commonFields = {
  /** Approval for this server's tools; absent: the profile's point for `external` tools (ask by default). */
  approval: DecisionSchema.optional(),
  /** Per-tool approval by the server's own tool name, over `approval`. */
  tools: z.record(McpToolNameSchema, DecisionSchema).default({}),
  /** Keep the entry but do not start the server. */
  disabled: z.boolean().default(false),
  /** How long connecting and listing tools may take before the server is reported and skipped. */
  startupTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** How long one tool call may take. */
  callTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
};

const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name is letters, digits and "_"');

export const StdioServerSchema = z.strictObject({
  type: z.literal('stdio').optional(),
  /** The program to start; it speaks MCP on its stdin and stdout. */
  command: z.string().min(1, 'a command is required'),
  args: z.array(z.string()).max(200).default([]),
  /** Extra environment for the server; it gets only a minimal environment (PATH, HOME, ...) besides these. */
  env: z.record(EnvNameSchema, z.string()).default({}),
  /** Working directory, relative to the workspace root; default: the workspace root. */
  cwd: z.string().optional(),
  ...commonFields,
});
export type StdioServer = z.infer<typeof StdioServerSchema>;

const HeaderNameSchema = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'a header name is a single HTTP token such as "Authorization"');

export const HttpServerSchema = z.strictObject({
  type: z.literal('http').optional(),
  /** A streamable HTTP endpoint. Plain http only for this machine, so credentials never cross a network unencrypted. */
  url: z.string().refine(isAcceptableMcpUrl, 'the url must be https://..., or http:// to localhost / 127.0.0.1 / [::1]'),
  headers: z.record(HeaderNameSchema, z.string()).default({}),
  ...commonFields,
});
export type HttpServer = z.infer<typeof HttpServerSchema>;

export type McpServerConfig = StdioServer | HttpServer;
