import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/edits/atomicWrite';
import { ConversationSummarySchema, type ConversationSummary } from '../../shared/panelState';

/** Conversations kept per workspace; past this the least recently used are removed. */
export const MAX_CONVERSATIONS = 200;
/** All conversation files of a workspace together; past this the least recently used are removed. */
export const MAX_CONVERSATION_BYTES = 64 * 1024 * 1024;

const IndexSchema = z.object({ version: z.literal(1), conversations: z.array(ConversationSummarySchema.extend({ bytes: z.number().int().nonnegative() })) });
type Index = z.infer<typeof IndexSchema>;

/** What one conversation holds: the panel's items and the model-facing messages, as saved (redacted). */
export interface StoredConversation {
  items: unknown;
  history: unknown;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Every conversation of a workspace, one JSON file each plus an index, in the workspace's extension
 * storage folder; written atomically and in order. Bounded by count and by bytes, least recently
 * used first out. A damaged index is rebuilt empty (the files stay until they are overwritten), never
 * a crash; the caller validates what it loads.
 */
export class ConversationStore {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly limits = { count: MAX_CONVERSATIONS, bytes: MAX_CONVERSATION_BYTES },
  ) {}

  async list(): Promise<ConversationSummary[]> {
    await this.writing;
    return (await this.index()).conversations.map(({ bytes: _bytes, ...s }) => s);
  }

  async load(id: string): Promise<StoredConversation | undefined> {
    if (!ID.test(id)) return undefined;
    await this.writing;
    try {
      const data = JSON.parse(await readFile(this.file(id), 'utf8')) as StoredConversation;
      return data && typeof data === 'object' ? data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves a conversation and its summary; the most recently saved is listed first. */
  save(summary: ConversationSummary, data: StoredConversation): Promise<void> {
    if (!ID.test(summary.id)) return Promise.reject(new Error(`invalid conversation id ${summary.id}`));
    return this.queue(async () => {
      const text = JSON.stringify(data);
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file(summary.id), text);
      const index = await this.index();
      const rest = index.conversations.filter((c) => c.id !== summary.id);
      const all = [{ ...summary, bytes: Buffer.byteLength(text) }, ...rest];
      const kept: Index['conversations'] = [];
      let bytes = 0;
      for (const c of all) {
        // The one being saved always stays, even if it alone is over the byte limit.
        if (kept.length > 0 && (kept.length >= this.limits.count || bytes + c.bytes > this.limits.bytes)) {
          await rm(this.file(c.id), { force: true });
          continue;
        }
        kept.push(c);
        bytes += c.bytes;
      }
      await this.writeIndex({ version: 1, conversations: kept });
    });
  }

  delete(id: string): Promise<void> {
    if (!ID.test(id)) return Promise.resolve();
    return this.queue(async () => {
      await rm(this.file(id), { force: true });
      const index = await this.index();
      await this.writeIndex({ version: 1, conversations: index.conversations.filter((c) => c.id !== id) });
    });
  }

  private queue(job: () => Promise<void>): Promise<void> {
    const next = this.writing.then(job, job);
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async index(): Promise<Index> {
    try {
      const parsed = IndexSchema.safeParse(JSON.parse(await readFile(path.join(this.dir, 'index.json'), 'utf8')));
      return parsed.success ? parsed.data : { version: 1, conversations: [] };
    } catch {
      return { version: 1, conversations: [] };
    }
  }

  private async writeIndex(index: Index): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, 'index.json'), JSON.stringify(index));
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}
