import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/edits/atomicWrite';

/**
 * What a person has trusted of a workspace's content, by exact hash, kept in the product's state folder
 * (outside every workspace): a workspace skill's SKILL.md (its tool and command grants apply), and a
 * workspace MCP server's command line (it may start on this machine). Change a byte and it is asked
 * about again. The file is rewritten whole, atomically; an unreadable one trusts nothing.
 */
const EntrySchema = z.object({ what: z.string(), at: z.string() });
const TrustFileSchema = z.object({
  skills: z.record(z.string(), EntrySchema).default({}),
  mcpServers: z.record(z.string(), EntrySchema).default({}),
});
type TrustFile = z.infer<typeof TrustFileSchema>;
export type TrustKind = 'skills' | 'mcpServers';

export class TrustStore {
  constructor(private readonly file: string) {}

  async has(kind: TrustKind, hash: string): Promise<boolean> {
    return (await this.read())[kind][hash] !== undefined;
  }

  async add(kind: TrustKind, hash: string, what: string): Promise<void> {
    const data = await this.read();
    data[kind][hash] = { what, at: new Date().toISOString() };
    await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  }

  private async read(): Promise<TrustFile> {
    try {
      const parsed = TrustFileSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : { skills: {}, mcpServers: {} };
    } catch {
      return { skills: {}, mcpServers: {} };
    }
  }
}

/** The hash of what a stdio MCP server runs: its command, arguments, working folder and environment as configured. */
export function commandLineHash(server: { command: string; args?: readonly string[]; cwd?: string; env?: Readonly<Record<string, string>> }): string {
  const env = Object.entries(server.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([server.command, server.args ?? [], server.cwd ?? '', env])).digest('hex');
}
