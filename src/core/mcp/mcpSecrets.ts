import { classifyString, isSecretKeyName } from '../profiles/secretScan';
import { REFERENCE_PATTERN } from './mcpReferences';

/** Said wherever a literal credential is refused in mcp.json. */
export const MCP_SECRET_HELP =
  'Secrets never belong in .agent-harness/mcp.json: write "${env:NAME}" to take the value from an environment variable, or "${secret:NAME}" for one kept in VS Code SecretStorage (e.g. "Authorization": "Bearer ${env:GITHUB_TOKEN}").';

export interface ConfigSecret {
  /** Field path from the root of the file (["servers", "github", "headers", "Authorization"]). */
  path: string[];
  /** What it looks like; never the value itself. */
  kind: string;
}

/** Words that may stand before a reference in a credential field ("Bearer ${env:TOKEN}"). */
const AUTH_SCHEMES = /^(?:bearer|basic|token|bot|apikey|api-key)$/i;

/**
 * Finds literal credentials in a parsed mcp.json. References (`${env:X}`, `${secret:X}`) are taken
 * out before judging, so "Bearer ${env:TOKEN}" passes while "Bearer ghp_..." does not. A field whose
 * name says it holds a credential (an `env` entry like GITHUB_TOKEN, an Authorization header) may hold
 * only references, optionally after an auth scheme word: any other literal text there is refused.
 */
export function findConfigSecrets(data: unknown): ConfigSecret[] {
  const out: ConfigSecret[] = [];
  walk(data, [], out);
  return out;
}

function walk(value: unknown, path: string[], out: ConfigSecret[]): void {
  if (typeof value === 'string') {
    const kind = classifyString(withoutReferences(value));
    if (kind) out.push({ path, kind });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, String(i)], out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const at = [...path, key];
    if (namesCredential(path, key) && hasLiteral(v)) {
      out.push({ path: at, kind: `a literal credential (the field "${key}" holds a credential)` });
      continue;
    }
    walk(v, at, out);
  }
}

/**
 * Server names and MCP tool names are names, not fields: a server called "api-token" or a tool
 * called "get_token" says nothing about the value beside it.
 */
function namesCredential(parent: readonly string[], key: string): boolean {
  const isServerName = parent.length === 1 && parent[0] === 'servers';
  const isToolName = parent.length === 3 && parent[0] === 'servers' && parent[2] === 'tools';
  return !isServerName && !isToolName && isSecretKeyName(key);
}

function hasLiteral(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== 'string') return true;
  const words = withoutReferences(v)
    .split(/\s+/)
    .filter((w) => w !== '');
  return words.some((w) => !AUTH_SCHEMES.test(w));
}

function withoutReferences(s: string): string {
  return s.replace(new RegExp(REFERENCE_PATTERN.source, 'g'), ' ');
}
