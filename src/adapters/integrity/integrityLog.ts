import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * A per-workspace record of protected changes that a command made and the audit undid (a planted git
 * hook, a `.vscode/tasks.json`, a folder turned into a git directory). It lives in the product's state
 * folder, outside the workspace, so nothing in the workspace can erase it. Host actions that would act
 * on such files (git for a code review, the editor's git) check it first and need a person to confirm
 * while an entry is unacknowledged.
 *
 * Format: JSON lines, `{"type":"changes",...}` appended by the audit and `{"type":"ack",...}` when a
 * person confirms; what counts is every "changes" line after the last "ack".
 */
const ChangeSchema = z.object({ path: z.string(), what: z.string(), action: z.string(), detail: z.string() });
const LineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('changes'), at: z.string(), workspace: z.string(), runId: z.string().optional(), changes: z.array(ChangeSchema) }),
  z.object({ type: z.literal('ack'), at: z.string(), by: z.string() }),
]);
export type IntegrityChanges = Extract<z.infer<typeof LineSchema>, { type: 'changes' }>;

export class IntegrityLog {
  constructor(private readonly dir: string) {}

  async record(workspace: string, changes: IntegrityChanges['changes'], runId?: string): Promise<void> {
    if (changes.length === 0) return;
    const root = await realpath(workspace).catch(() => path.resolve(workspace));
    const line: IntegrityChanges = { type: 'changes', at: new Date().toISOString(), workspace: root, ...(runId ? { runId } : {}), changes };
    await this.append(root, line);
  }

  /** The changes nobody has confirmed yet, oldest first. An unreadable line counts as a change: fail closed. */
  async pending(workspace: string): Promise<IntegrityChanges[]> {
    const root = await realpath(workspace).catch(() => path.resolve(workspace));
    let text: string;
    try {
      text = await readFile(this.file(root), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let pending: IntegrityChanges[] = [];
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let parsed;
      try {
        parsed = LineSchema.safeParse(JSON.parse(raw));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        pending.push({ type: 'changes', at: '', workspace: root, changes: [{ path: '?', what: 'unknown', action: 'unknown', detail: 'an unreadable entry in the integrity log' }] });
      } else if (parsed.data.type === 'ack') {
        pending = [];
      } else {
        pending.push(parsed.data);
      }
    }
    return pending;
  }

  /** A person confirmed they looked; earlier entries stop blocking host actions. */
  async acknowledge(workspace: string, by: string): Promise<void> {
    const root = await realpath(workspace).catch(() => path.resolve(workspace));
    await this.append(root, { type: 'ack', at: new Date().toISOString(), by });
  }

  file(realRoot: string): string {
    return path.join(this.dir, `${createHash('sha256').update(realRoot).digest('hex').slice(0, 16)}.jsonl`);
  }

  private async append(root: string, line: z.infer<typeof LineSchema>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file(root), `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}

/** One paragraph for a person: what the agent changed that is protected, and what was done about it. */
export function describePending(pending: readonly IntegrityChanges[]): string {
  const lines = pending.flatMap((p) => p.changes.map((c) => `  - ${c.detail}${p.runId ? ` (run ${p.runId.slice(0, 8)})` : ''}`));
  const shown = lines.slice(0, 12);
  if (lines.length > shown.length) shown.push(`  - … and ${lines.length - shown.length} more`);
  return `Commands the agent ran in this workspace changed protected files (git, editor or agent configuration); they were put back or quarantined:\n${shown.join('\n')}`;
}
