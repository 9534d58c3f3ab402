import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { parseSkillMarkdown } from './parseSkill';
import type { Skill, SkillOrigin, SkillProblem } from './skill';

/** Folders in a workspace where other tools' users already keep skills; earlier folders win on a name clash. */
export const WORKSPACE_SKILL_DIRS = ['.agents/skills', '.github/skills', '.claude/skills'] as const;

/** A SKILL.md larger than this is refused: instructions that long would swamp the prompt. */
export const MAX_SKILL_BYTES = 64 * 1024;
const MAX_LISTED_FILES = 50;
const MAX_FILE_DEPTH = 3;

export interface LoadSkillsOptions {
  /** The product's own `skills/` folder. */
  builtinDir: string;
  /** The open workspace; omit to load built-in skills only. */
  workspaceRoot?: string;
  /**
   * The built-in folder cannot change while this process runs (it is inside the installed extension):
   * it is read and parsed once. Workspace skills are read on every call.
   */
  builtinImmutable?: boolean;
}

const builtinOnce = new Map<string, Promise<{ skills: Skill[]; problems: SkillProblem[] }>>();

async function builtinSkills(dir: string, immutable: boolean): Promise<{ skills: Skill[]; problems: SkillProblem[] }> {
  const read = async () => {
    const problems: SkillProblem[] = [];
    return { skills: await loadSkillDir(dir, 'built-in', undefined, problems), problems };
  };
  if (!immutable) return read();
  let once = builtinOnce.get(dir);
  if (!once) builtinOnce.set(dir, (once = read()));
  return once;
}

export interface LoadedSkills {
  /** Sorted by name; at most one skill per name. */
  skills: Skill[];
  problems: SkillProblem[];
}

/**
 * Loads built-in skills, then workspace skills, which replace a built-in one of the same name.
 * A broken skill is reported with its path and reason and never stops the others from loading.
 */
export async function loadSkills(opts: LoadSkillsOptions): Promise<LoadedSkills> {
  const builtin = await builtinSkills(opts.builtinDir, opts.builtinImmutable === true);
  const problems: SkillProblem[] = [...builtin.problems];
  const byName = new Map<string, Skill>();
  for (const skill of builtin.skills) byName.set(skill.name, skill);
  if (opts.workspaceRoot !== undefined) {
    const root = await realpathOrUndefined(opts.workspaceRoot);
    const seenInWorkspace = new Map<string, string>();
    // Teams often symlink one skills folder to another (.claude/skills -> ../.agents/skills); the same
    // real file seen twice is one skill, not a clash.
    const seenFiles = new Set<string>();
    for (const rel of WORKSPACE_SKILL_DIRS) {
      if (root === undefined) break;
      for (const skill of await loadSkillDir(join(root, rel), 'workspace', root, problems)) {
        const realFile = await realpath(join(skill.dir, 'SKILL.md'));
        if (seenFiles.has(realFile)) continue;
        seenFiles.add(realFile);
        const earlier = seenInWorkspace.get(skill.name);
        if (earlier !== undefined) {
          problems.push({ path: skill.source, message: `skill "${skill.name}" is also defined in ${earlier}, which is used instead` });
          continue;
        }
        seenInWorkspace.set(skill.name, skill.source);
        const builtin = byName.get(skill.name);
        byName.set(skill.name, builtin ? { ...skill, overrides: builtin.source } : skill);
      }
    }
  }
  const skills = [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
  return { skills, problems };
}

/** Code-point order, so the result (and every prompt built from it) is the same on every machine. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function loadSkillDir(dir: string, origin: SkillOrigin, workspaceRoot: string | undefined, problems: SkillProblem[]): Promise<Skill[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort(compareNames);
  } catch (e) {
    // A missing folder is the common case (most workspaces have none); anything else is worth saying.
    if (errnoCode(e) !== 'ENOENT' && errnoCode(e) !== 'ENOTDIR') problems.push({ path: displayPath(dir, workspaceRoot), message: `cannot read the folder: ${errMessage(e)}` });
    return [];
  }
  const skills: Skill[] = [];
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const skillDir = join(dir, entry);
    const file = join(skillDir, 'SKILL.md');
    const shown = displayPath(file, workspaceRoot);
    const loaded = await loadOne(skillDir, file, origin, workspaceRoot, shown);
    if (loaded === undefined) continue;
    if ('message' in loaded) problems.push({ path: shown, message: loaded.message });
    else skills.push(loaded);
  }
  return skills;
}

async function loadOne(
  skillDir: string,
  file: string,
  origin: SkillOrigin,
  workspaceRoot: string | undefined,
  shown: string,
): Promise<Skill | { message: string } | undefined> {
  const dirStat = await lstat(skillDir).catch(() => undefined);
  if (dirStat === undefined || !(dirStat.isDirectory() || dirStat.isSymbolicLink())) return undefined;
  let real: string;
  try {
    real = await realpath(file);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { message: 'the skill folder has no SKILL.md' };
    return { message: `cannot read SKILL.md: ${errMessage(e)}` };
  }
  // A workspace skill is repository content; a symlink must not pull a file from elsewhere into the prompt.
  if (workspaceRoot !== undefined && !isInside(workspaceRoot, real)) {
    return { message: 'SKILL.md resolves to a file outside the workspace, so it is not loaded' };
  }
  const stat = await lstat(real);
  if (!stat.isFile()) return { message: 'SKILL.md is not a regular file' };
  if (stat.size > MAX_SKILL_BYTES) return { message: `SKILL.md is ${stat.size} bytes; the limit is ${MAX_SKILL_BYTES}` };
  const raw = await readFile(real, 'utf8');
  const parsed = parseSkillMarkdown(raw);
  if (!parsed.ok) return { message: parsed.reason };
  const fm = parsed.frontmatter;
  return {
    contentHash: createHash('sha256').update(raw).digest('hex'),
    name: fm.name,
    description: fm.description.replace(/\s+/g, ' ').trim(),
    triggers: fm.triggers,
    tools: fm.tools,
    commands: fm.commands,
    instructions: parsed.instructions,
    origin,
    dir: skillDir,
    source: origin === 'built-in' ? 'built-in' : shown,
    files: await listFiles(skillDir),
  };
}

/** The skill's other files, for `load_skill` to mention. Symlinks and dot-files are left out. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_FILE_DEPTH) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => compareNames(a.name, b.name))) {
      if (out.length >= MAX_LISTED_FILES) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full, depth + 1);
      else if (e.isFile() && !(dir === root && e.name === 'SKILL.md')) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root, 0);
  return out;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}

function displayPath(p: string, workspaceRoot: string | undefined): string {
  if (workspaceRoot === undefined) return p;
  return relative(workspaceRoot, p).split(sep).join('/');
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  return realpath(p).catch(() => undefined);
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
