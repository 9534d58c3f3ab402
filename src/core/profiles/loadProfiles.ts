import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../skills/parseSkill';
import { BUILTIN_PROFILES } from './builtinProfiles';
import { ProfileSchema, type Profile } from './profile';
import { findSecrets } from './secretScan';

/** Where profiles live in a workspace, relative to its root. */
export const PROFILES_DIR = '.agent-harness/profiles';
const PROFILE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const MAX_PROFILE_BYTES = 256 * 1024;

export const SECRET_HELP =
  'Secrets never belong in a profile: store the gateway key with the command "Agent Harness: Set Gateway Key" (kept in VS Code SecretStorage), or set the AGENT_HARNESS_API_KEY environment variable, and refer to models by name.';

export interface LoadedProfile {
  profile: Profile;
  /** 'built-in', or the file's path relative to the workspace root. */
  source: string;
  /** When a workspace profile replaced a built-in one of the same name. */
  overrides?: string;
}

export interface ProfileProblem {
  path: string;
  message: string;
}

export interface LoadedProfiles {
  /** Built-ins first in their order, then workspace-only profiles by name. */
  profiles: LoadedProfile[];
  problems: ProfileProblem[];
}

/**
 * Built-in profiles plus the workspace's `.agent-harness/profiles/*.yaml|*.yml|*.json`. A workspace
 * profile with a built-in's name replaces it. A file that fails to parse, fails validation or holds
 * something that looks like a secret is reported and skipped; the others still load.
 */
export async function loadProfiles(workspaceRoot?: string): Promise<LoadedProfiles> {
  const profiles: LoadedProfile[] = BUILTIN_PROFILES.map((profile) => ({ profile, source: 'built-in' }));
  const problems: ProfileProblem[] = [];
  if (workspaceRoot === undefined) return { profiles, problems };

  const dir = join(workspaceRoot, PROFILES_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => PROFILE_EXTENSIONS.has(extname(n).toLowerCase())).sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push({ path: PROFILES_DIR, message: `cannot read the folder: ${(e as Error).message}` });
    return { profiles, problems };
  }

  const fromWorkspace = new Map<string, LoadedProfile>();
  for (const name of names) {
    const rel = `${PROFILES_DIR}/${name}`;
    const res = await loadProfileFile(join(dir, name));
    if (!res.ok) {
      problems.push({ path: rel, message: res.message });
      continue;
    }
    const earlier = fromWorkspace.get(res.profile.name);
    if (earlier) {
      problems.push({ path: rel, message: `profile "${res.profile.name}" is also defined in ${earlier.source}, which is used instead` });
      continue;
    }
    fromWorkspace.set(res.profile.name, { profile: res.profile, source: rel });
  }

  const merged = profiles.map((p) => {
    const replacement = fromWorkspace.get(p.profile.name);
    if (!replacement) return p;
    fromWorkspace.delete(p.profile.name);
    return { ...replacement, overrides: p.source };
  });
  const extra = [...fromWorkspace.values()].sort((a, b) => (a.profile.name < b.profile.name ? -1 : 1));
  return { profiles: [...merged, ...extra], problems };
}

export type ProfileFileResult = { ok: true; profile: Profile } | { ok: false; message: string };

/** Reads, parses, secret-scans and validates one profile file. Messages leave the path to the caller. */
export async function loadProfileFile(file: string): Promise<ProfileFileResult> {
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isFile()) return { ok: false, message: 'not a regular file (symbolic links are not followed)' };
  if (st.size > MAX_PROFILE_BYTES) return { ok: false, message: `the file is ${st.size} bytes; the limit is ${MAX_PROFILE_BYTES}` };
  const text = await readFile(file, 'utf8');
  const stem = basename(file, extname(file));
  return parseProfileText(text, extname(file).toLowerCase() === '.json' ? 'json' : 'yaml', stem);
}

/**
 * Parses profile text. The secret scan runs on the raw parsed data before validation, so a key is
 * refused with the right advice even in a field the schema does not know. A missing `name` defaults
 * to the file name without its extension.
 */
export function parseProfileText(text: string, format: 'json' | 'yaml', fileStem: string): ProfileFileResult {
  const parsed = format === 'json' ? parseJson(text) : parseYaml(text);
  if (!parsed.ok) return { ok: false, message: `${parsed.message}` };
  const data = parsed.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, message: `a profile must be a mapping of fields (name, model, systemPrompt, tools, ...)` };
  }
  const secrets = findSecrets(data);
  if (secrets.length > 0) {
    const where = secrets.map((s) => `field "${s.field}" looks like ${s.kind}`).join('; ');
    return { ok: false, message: `${where}. ${SECRET_HELP}` };
  }
  const withName = 'name' in data ? data : { ...data, name: fileStem };
  const res = ProfileSchema.safeParse(withName);
  if (!res.success) return { ok: false, message: `${describeIssues(res.error)}` };
  return { ok: true, profile: res.data };
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
  }
}

function parseYaml(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  const first = doc.errors[0];
  if (first) return { ok: false, message: `invalid YAML (line ${lines.linePos(first.pos[0]).line}): ${first.message.split('\n')[0]}` };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 50 }) };
  } catch (e) {
    return { ok: false, message: `invalid YAML: ${(e as Error).message}` };
  }
}

/** Finds a profile by name, or says which names exist. */
export function findProfile(loaded: LoadedProfiles, name: string): LoadedProfile | { error: string } {
  const hit = loaded.profiles.find((p) => p.profile.name === name);
  if (hit) return hit;
  const names = loaded.profiles.map((p) => p.profile.name).join(', ');
  const broken = loaded.problems.length > 0 ? ` (${loaded.problems.length} profile file(s) could not be loaded; run "agent-harness profiles" to see why)` : '';
  return { error: `unknown profile "${name}". Available profiles: ${names}${broken}.` };
}
