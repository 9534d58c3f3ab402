import { resolve } from 'node:path';
import { isAcceptableMcpUrl, type HttpServer, type McpServerConfig, type StdioServer } from './mcpServerSchema';

export { isAcceptableMcpUrl };

/**
 * `${env:NAME}`, `${secret:NAME}` or `${workspaceFolder}` inside a string of mcp.json. Credentials
 * reach a server only through these: the file itself never holds them.
 */
export const REFERENCE_PATTERN = /\$\{([^}]*)\}/;

/** Looks a secret up by name in VS Code SecretStorage; the extension implements it, the CLI has none. */
export type ResolveSecret = (name: string) => Promise<string | undefined>;

export interface ReferenceContext {
  env: Readonly<Record<string, string | undefined>>;
  workspaceRoot: string;
  resolveSecret?: ResolveSecret;
}

/** A server with every reference replaced by its value, ready for a transport. */
export type ResolvedServer =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string }
  | { transport: 'http'; url: string; headers: Record<string, string> };

type Reference = { kind: 'env' | 'secret'; name: string } | { kind: 'workspaceFolder' };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function parseReference(inner: string): Reference | undefined {
  if (inner === 'workspaceFolder') return { kind: 'workspaceFolder' };
  const colon = inner.indexOf(':');
  const kind = inner.slice(0, colon);
  const name = inner.slice(colon + 1);
  if (kind === 'env' && ENV_NAME.test(name)) return { kind, name };
  if (kind === 'secret' && SECRET_NAME.test(name)) return { kind, name };
  return undefined;
}

/** The first malformed reference in a validated server, as a message naming the field; undefined when all are well formed. */
export function checkReferences(config: McpServerConfig): string | undefined {
  for (const [field, value] of stringFields(config)) {
    for (const m of value.matchAll(new RegExp(REFERENCE_PATTERN.source, 'g'))) {
      if (!parseReference(m[1]!)) {
        return `field "${field}": "${m[0]}" is not a reference this file understands; use \${env:NAME}, \${secret:NAME} or \${workspaceFolder}`;
      }
    }
  }
  return undefined;
}

/**
 * Replaces every reference with its value. A variable that is not set or a secret that is not stored
 * is an error naming the field and the reference (never the value), so the server is skipped rather
 * than started with an empty credential.
 */
export async function resolveServer(config: McpServerConfig, ctx: ReferenceContext): Promise<{ ok: true; server: ResolvedServer } | { ok: false; message: string }> {
  try {
    const sub = (field: string, s: string) => substitute(field, s, ctx);
    if ('command' in config) {
      const c: StdioServer = config;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.env)) env[k] = await sub(`env.${k}`, v);
      const args: string[] = [];
      for (const [i, a] of c.args.entries()) args.push(await sub(`args.${i}`, a));
      const cwd = resolve(ctx.workspaceRoot, c.cwd === undefined ? '.' : await sub('cwd', c.cwd));
      return { ok: true, server: { transport: 'stdio', command: await sub('command', c.command), args, env, cwd } };
    }
    const h: HttpServer = config;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h.headers)) headers[k] = await sub(`headers.${k}`, v);
    const url = await sub('url', h.url);
    if (!isAcceptableMcpUrl(url)) return { ok: false, message: `field "url" resolves to a URL that is not https:// (or http:// to this machine)` };
    return { ok: true, server: { transport: 'http', url, headers } };
  } catch (e) {
    if (e instanceof ReferenceError) return { ok: false, message: e.message };
    throw e;
  }
}

class ReferenceError extends Error {}

async function substitute(field: string, value: string, ctx: ReferenceContext): Promise<string> {
  let out = '';
  let last = 0;
  for (const m of value.matchAll(new RegExp(REFERENCE_PATTERN.source, 'g'))) {
    out += value.slice(last, m.index);
    last = m.index + m[0].length;
    const ref = parseReference(m[1]!);
    if (!ref) throw new ReferenceError(`field "${field}": "${m[0]}" is not a reference this file understands`);
    if (ref.kind === 'workspaceFolder') {
      out += ctx.workspaceRoot;
    } else if (ref.kind === 'env') {
      const v = ctx.env[ref.name];
      if (v === undefined || v === '') throw new ReferenceError(`field "${field}" uses \${env:${ref.name}}, but the environment variable ${ref.name} is not set`);
      out += v;
    } else {
      if (!ctx.resolveSecret) throw new ReferenceError(`field "${field}" uses \${secret:${ref.name}}, but secrets from SecretStorage are only available in VS Code; use \${env:NAME} here`);
      const v = await ctx.resolveSecret(ref.name);
      if (v === undefined || v === '') throw new ReferenceError(`field "${field}" uses \${secret:${ref.name}}, but no secret "${ref.name}" is stored`);
      out += v;
    }
  }
  return out + value.slice(last);
}

function stringFields(config: McpServerConfig): [string, string][] {
  if ('command' in config) {
    return [
      ['command', config.command],
      ...config.args.map((a, i): [string, string] => [`args.${i}`, a]),
      ...Object.entries(config.env).map(([k, v]): [string, string] => [`env.${k}`, v]),
      ...(config.cwd === undefined ? [] : [['cwd', config.cwd] as [string, string]]),
    ];
  }
  return [['url', config.url], ...Object.entries(config.headers).map(([k, v]): [string, string] => [`headers.${k}`, v])];
}
