import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ToolCall } from '../model/messages';
import { DEFAULT_CONFIG_DIR_NAME, PathGuard } from '../policy/pathGuard';
import { TOOL } from '../../shared/toolNames';

/**
 * Large tool results stay out of the context: the model sees the head and the tail, and the full text
 * goes to a spill file inside the workspace (`.agent-harness/spill/<runId>/<callId>.txt`), where
 * read_file can reach it (the folder is protected against writes by tools, not against reads).
 */
export interface SpillOptions {
  /** The workspace root. */
  root: string;
  /** Results longer than this many characters are cut. Default 24,000 (about 6k tokens). */
  maxChars?: number;
  headChars?: number;
  tailChars?: number;
  configDirName?: string;
}

export const DEFAULT_SPILL_MAX_CHARS = 24_000;

export class Spiller {
  private readonly guard: PathGuard;
  private readonly maxChars: number;
  private readonly headChars: number;
  private readonly tailChars: number;
  private readonly configDir: string;

  constructor(
    private readonly options: SpillOptions,
    private readonly runId: string,
  ) {
    this.guard = new PathGuard(options.root, { configDirName: options.configDirName });
    this.maxChars = options.maxChars ?? DEFAULT_SPILL_MAX_CHARS;
    this.headChars = options.headChars ?? Math.floor(this.maxChars * 0.6);
    this.tailChars = options.tailChars ?? Math.floor(this.maxChars * 0.3);
    this.configDir = options.configDirName ?? DEFAULT_CONFIG_DIR_NAME;
  }

  /** Returns the content to put in the context: unchanged when small, else head + note + tail. */
  async apply(call: ToolCall, content: string): Promise<string> {
    if (content.length <= this.maxChars) return content;
    const head = content.slice(0, this.headChars);
    const tail = content.slice(content.length - this.tailChars);
    const omitted = content.length - head.length - tail.length;
    const lines = content.split('\n').length;
    const fit = Math.max(1, Math.floor((this.maxChars * lines) / content.length));
    const paging = `use offset and limit, about ${fit} lines fit in one result`;
    let where: string;
    if (this.readsSpillFile(call)) {
      // Spilling a spill file again would only send the model to a copy of what it just asked for.
      where = `This is a spill file already: read it in parts with read_file (${paging}).`;
    } else {
      const saved = await this.save(call.id, content);
      where = saved.ok
        ? `The full text (${content.length} characters, ${lines} lines) is saved in ${saved.relative}: read it with read_file (${paging}).`
        : `The full text could not be saved (${saved.why}).`;
    }
    return `${head}\n\n[… ${omitted} characters cut from the middle of this result. ${where}]\n\n${tail}`;
  }

  private readsSpillFile(call: ToolCall): boolean {
    if (call.name !== TOOL.readFile) return false;
    try {
      const p = (JSON.parse(call.arguments) as { path?: unknown }).path;
      if (typeof p !== 'string') return false;
      const [first, second] = path.relative(path.resolve(this.options.root), path.resolve(this.options.root, p)).split(path.sep);
      return first === this.configDir && second === 'spill';
    } catch {
      return false;
    }
  }

  /**
   * Spill files are scratch output, not project files: a `.gitignore` of `*` in the spill folder keeps
   * them (and itself) out of `git status` without touching the project's own ignore files.
   */
  private async ignoreInGit(): Promise<void> {
    const rel = `${this.configDir}/spill/.gitignore`;
    const verdict = await this.guard.check(rel, 'write');
    if (verdict.verdict !== 'deny') writeFileSync(verdict.resolved, '*\n', { flag: 'w' });
  }

  /**
   * Writes through the path guard: a `.agent-harness` that is a symbolic link out of the workspace
   * is refused (the guard resolves links), so a spill can never write outside the workspace.
   */
  private async save(callId: string, content: string): Promise<{ ok: true; relative: string } | { ok: false; why: string }> {
    const safeId = callId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100) || 'call';
    const relative = [this.configDir, 'spill', this.runId.replace(/[^A-Za-z0-9_.-]/g, '_'), `${safeId}.txt`].join('/');
    try {
      const dirVerdict = await this.guard.check(path.posix.dirname(relative), 'write');
      if (dirVerdict.verdict === 'deny') return { ok: false, why: dirVerdict.reason };
      mkdirSync(dirVerdict.resolved, { recursive: true });
      await this.ignoreInGit();
      const verdict = await this.guard.check(relative, 'write');
      if (verdict.verdict === 'deny') return { ok: false, why: verdict.reason };
      writeFileSync(verdict.resolved, content);
      return { ok: true, relative };
    } catch (e) {
      return { ok: false, why: e instanceof Error ? e.message : String(e) };
    }
  }
}
