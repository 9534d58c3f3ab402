import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PathGuard } from '../../core/policy/pathGuard';
import { decodeText, readFileHead, sniffText } from '../../core/tools/search/textDetect';
import { MAX_ATTACHMENT_CHARS } from './composeTask';

/** A person's mistake or a refusal, said in one line in the composer. */
export class AttachError extends Error {}

/** Larger files are not loaded to attach a part of them; the agent's read_file and grep page through them. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FOLDER_ENTRIES = 500;

/**
 * A workspace file as attachment text, through the same gate as the agent's tools: nothing outside
 * the workspace, nothing in .git, and a file that may hold credentials (.env, a private key) is not
 * attached at all, since the person's click is not a review of what the file holds.
 */
export async function readAttachableFile(guard: PathGuard, rel: string): Promise<{ relative: string; text: string }> {
  const v = await guard.check(rel, 'read');
  if (v.verdict === 'deny') throw new AttachError(`${rel} cannot be attached: ${v.reason}.`);
  if (v.verdict === 'ask') throw new AttachError(`${rel} is not attached: ${v.reason}. Ask the agent to read it instead; it asks you first.`);
  const info = await stat(v.resolved).catch(() => undefined);
  if (!info?.isFile()) throw new AttachError(`${rel} is not a file in the workspace.`);
  if (info.size > MAX_FILE_BYTES) throw new AttachError(`${v.relative} is ${(info.size / 1024 / 1024).toFixed(1)} MB, too large to attach; ask the agent to search it instead.`);
  const sniff = sniffText(await readFileHead(v.resolved));
  if (sniff.binary) throw new AttachError(`${v.relative} looks like a binary file (${sniff.why}) and cannot be attached.`);
  return { relative: v.relative, text: decodeText(await readFile(v.resolved), sniff.encoding).text };
}

/** A folder as attachment text: its entries, folders first, each folder with a trailing slash. */
export async function readAttachableFolder(guard: PathGuard, rel: string): Promise<{ relative: string; text: string }> {
  const v = await guard.check(rel, 'read');
  if (v.verdict === 'deny') throw new AttachError(`${rel} cannot be attached: ${v.reason}.`);
  const entries = await readdir(v.resolved, { withFileTypes: true }).catch(() => undefined);
  if (!entries) throw new AttachError(`${rel} is not a folder in the workspace.`);
  const names = entries
    .filter((e) => e.name !== '.git')
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort((a, b) => Number(b.endsWith('/')) - Number(a.endsWith('/')) || a.localeCompare(b));
  const shown = names.slice(0, MAX_FOLDER_ENTRIES).map((n) => path.posix.join(v.relative, n));
  const more = names.length > shown.length ? `\n… and ${names.length - shown.length} more entries` : '';
  return { relative: v.relative, text: `${shown.join('\n')}${more}`.slice(0, MAX_ATTACHMENT_CHARS) };
}
