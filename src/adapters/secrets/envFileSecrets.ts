import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSecretFileName } from '../../core/policy/protectedPaths';

/**
 * The values in a workspace's .env files, so the redactor can keep them out of every sink (streamed
 * output, journals, traces, the webview) even when a command prints them. Only files at the root and
 * one level down are read, and only values that could be credentials: set under a name that says so
 * (KEY, TOKEN, SECRET, PASSWORD …), or long and random-looking.
 */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASS|PWD|AUTH|CREDENTIAL|PRIVATE|DSN|DATABASE_URL|CONNECTION|SESSION|COOKIE|SIGNATURE|SALT/i;
const MAX_FILE_BYTES = 256 * 1024;

export async function envFileSecrets(workspaceRoot: string): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['.', ...(await subfolders(workspaceRoot))]) {
    const names = await readdir(path.join(workspaceRoot, dir)).catch(() => [] as string[]);
    for (const n of names) if (isSecretFileName(n) && (n.toLowerCase().startsWith('.env') || n.toLowerCase().endsWith('.env'))) files.push(path.join(workspaceRoot, dir, n));
  }
  const values = new Set<string>();
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => '');
    if (text.length > MAX_FILE_BYTES) continue;
    for (const [name, value] of parseEnv(text)) {
      if (value.length >= 8 && (SECRET_NAME.test(name) || looksRandom(value))) values.add(value);
    }
  }
  return [...values];
}

/** KEY=VALUE lines, with `export`, quotes and trailing comments handled the way dotenv files are written. */
export function parseEnv(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(raw);
    if (!m) continue;
    let value = (m[2] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) value = value.slice(1, value.lastIndexOf(quote));
    else value = value.replace(/\s+#.*$/, '');
    if (value) out.push([m[1] as string, value]);
  }
  return out;
}

function looksRandom(value: string): boolean {
  return value.length >= 16 && /[A-Za-z]/.test(value) && /[0-9]/.test(value) && !/\s/.test(value) && !/^https?:\/\/[^@]*$/.test(value);
}

async function subfolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).slice(0, 200);
}
