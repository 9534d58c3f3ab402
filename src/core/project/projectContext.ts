import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PathGuard } from '../policy/pathGuard';
import { decodeText } from '../edits/textFormat';
import { DETECTORS, type Findings, type ProjectFiles } from './detectors';

/**
 * What the agent knows about the workspace before its first turn: languages, frameworks, package
 * managers, the test and lint commands the manifests declare, and the project's own instructions
 * (AGENTS.md, CLAUDE.md). Detected once per run; the rendered summary goes into the system prompt,
 * which must stay byte-stable across the run's turns, so rendering is a pure function of this data.
 */
export const DetectedCommandSchema = z.object({
  kind: z.enum(['test', 'lint', 'typecheck', 'build']),
  command: z.string(),
  source: z.string(),
});

export const ProjectInstructionsSchema = z.object({
  path: z.string(),
  content: z.string(),
  truncated: z.boolean(),
});
export type ProjectInstructions = z.infer<typeof ProjectInstructionsSchema>;

export const ProjectContextSchema = z.object({
  languages: z.array(z.string()),
  frameworks: z.array(z.string()),
  packageManagers: z.array(z.string()),
  manifests: z.array(z.string()),
  commands: z.array(DetectedCommandSchema),
  instructions: z.array(ProjectInstructionsSchema),
  warnings: z.array(z.string()),
});
export type ProjectContext = z.infer<typeof ProjectContextSchema>;

/** Instruction files, in the order they are shown. */
export const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md'] as const;
export const DEFAULT_MAX_INSTRUCTION_BYTES = 32 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface DetectOptions {
  guard?: Pick<PathGuard, 'check'>;
  maxInstructionBytes?: number;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export async function detectProjectContext(root: string, options: DetectOptions = {}): Promise<ProjectContext> {
  const guard = options.guard ?? new PathGuard(root);
  const rootCheck = await guard.check('.', 'read');
  if (rootCheck.verdict === 'deny') throw new Error(`cannot read the workspace: ${rootCheck.reason}`);
  const entries = await readdir(rootCheck.resolved, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const dirs = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));

  // Every read goes through the guard: a manifest or AGENTS.md that is a symlink to a file outside
  // the workspace must not leak that file into the prompt.
  const readCapped = async (name: string, cap: number): Promise<{ text: string; truncated: boolean } | undefined> => {
    const v = await guard.check(name, 'read');
    if (v.verdict === 'deny') return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(v.resolved);
    } catch {
      return undefined;
    }
    const truncated = bytes.length > cap;
    let slice = truncated ? bytes.subarray(0, cap) : bytes;
    // Do not cut a multi-byte character in half.
    while (truncated && slice.length > 0 && ((slice[slice.length - 1] as number) & 0xc0) === 0x80) slice = slice.subarray(0, slice.length - 1);
    if (truncated && slice.length > 0 && (slice[slice.length - 1] as number) >= 0xc0) slice = slice.subarray(0, slice.length - 1);
    const text = decodeText(slice);
    return text === undefined ? undefined : { text, truncated };
  };
  const files: ProjectFiles = {
    names,
    isDir: (name) => dirs.has(name),
    read: async (name) => (await readCapped(name, MAX_MANIFEST_BYTES))?.text,
  };

  const findings: Findings = { languages: new Set(), frameworks: new Set(), packageManagers: new Set(), manifests: new Set(), commands: [], warnings: [] };
  for (const detect of DETECTORS) await detect(files, findings);

  const instructions: ProjectInstructions[] = [];
  const cap = options.maxInstructionBytes ?? DEFAULT_MAX_INSTRUCTION_BYTES;
  for (const wanted of INSTRUCTION_FILES) {
    // Exact name first, then a case variant (agents.md), since case-sensitive file systems allow either.
    const name = names.has(wanted) ? wanted : [...names].sort(byName).find((n) => n.toLowerCase() === wanted.toLowerCase() && !dirs.has(n));
    if (!name || dirs.has(name)) continue;
    const read = await readCapped(name, cap);
    if (read) instructions.push({ path: name, content: read.text.replace(/\r\n/g, '\n').trimEnd(), truncated: read.truncated });
    else findings.warnings.push(`${name} could not be read as text; it was ignored`);
  }

  const kindOrder = ['test', 'lint', 'typecheck', 'build'];
  return {
    languages: [...findings.languages].sort(byName),
    frameworks: [...findings.frameworks].sort(byName),
    packageManagers: [...findings.packageManagers].sort(byName),
    manifests: [...findings.manifests].sort(byName),
    commands: [...findings.commands].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || byName(a.command, b.command)),
    instructions,
    warnings: findings.warnings,
  };
}

/** The test, lint and typecheck commands the project declares: the command policy's default allowlist. */
export function detectedCommands(ctx: ProjectContext): string[] {
  return [...new Set(ctx.commands.filter((c) => c.kind !== 'build').map((c) => c.command))];
}

const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : 'none detected');

/**
 * A short, deterministic text for the system prompt: same context, same bytes. It holds no clock,
 * no absolute paths and no counts that change while the run edits files. It has no heading of its
 * own (buildSystemPrompt puts it under "# Project"). Project instructions follow the summary in full
 * (up to the size cap), each under a "## Instructions from <file>" heading.
 */
export function renderProjectSummary(ctx: ProjectContext, options: { includeInstructions?: boolean } = {}): string {
  const lines = [`Languages: ${list(ctx.languages)}`];
  if (ctx.frameworks.length > 0) lines.push(`Frameworks and tools: ${list(ctx.frameworks)}`);
  lines.push(`Package managers: ${list(ctx.packageManagers)}`);
  if (ctx.manifests.length > 0) lines.push(`Manifests: ${list(ctx.manifests)}`);
  for (const kind of ['test', 'lint', 'typecheck', 'build'] as const) {
    const cmds = ctx.commands.filter((c) => c.kind === kind).map((c) => c.command);
    if (cmds.length > 0) lines.push(`${kind[0]?.toUpperCase()}${kind.slice(1)} commands: ${cmds.join('; ')}`);
  }
  if (options.includeInstructions !== false) {
    for (const ins of ctx.instructions) {
      lines.push('', `## Instructions from ${ins.path}`, nestHeadings(ins.content, 3));
      if (ins.truncated) lines.push(`[${ins.path} was cut at the size limit; read the file for the rest]`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The file's own Markdown headings moved under the prompt's: its top level becomes `level` (its `#`
 * would otherwise sit beside the prompt's sections), deeper ones keep their relative depth, capped at
 * six. Setext headings (a line of `===` or `---` under text) become ATX ones at the same depth; lines
 * inside code fences are left alone.
 */
export function nestHeadings(markdown: string, level: number): string {
  const lines = markdown.split('\n');
  const depthOf: Array<number | undefined> = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f) {
      if (!fence) fence = f;
      else if (f[0] === fence[0] && f.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence) continue;
    const atx = /^\s{0,3}(#{1,6})(?=\s|$)/.exec(line);
    if (atx) depthOf[i] = (atx[1] as string).length;
    else if (i > 0 && depthOf[i - 1] === undefined && (lines[i - 1] as string).trim() !== '' && /^\s{0,3}(=+|-+)\s*$/.test(line) && !/^\s{0,3}[-*+]\s/.test(lines[i - 1] as string)) {
      depthOf[i - 1] = line.trim().startsWith('=') ? 1 : 2;
      depthOf[i] = -1;
    }
  }
  const depths = depthOf.filter((d): d is number => d !== undefined && d > 0);
  if (depths.length === 0) return markdown;
  const shift = level - Math.min(...depths);
  const out: string[] = [];
  lines.forEach((line, i) => {
    const d = depthOf[i];
    if (d === -1) return;
    if (d === undefined) return void out.push(line);
    const text = line.replace(/^\s{0,3}#{1,6}\s*/, '').replace(/\s+#+\s*$/, '').trim();
    out.push(`${'#'.repeat(Math.min(6, Math.max(1, d + shift)))} ${text}`.trimEnd());
  });
  return out.join('\n');
}
