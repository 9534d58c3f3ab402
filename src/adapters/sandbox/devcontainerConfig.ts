import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';

/**
 * The part of a dev container definition (https://containers.dev/implementors/json_reference/) the
 * sandbox uses. Other keys are allowed and ignored; these few are checked, because each one decides
 * where the workspace is mounted or who commands run as.
 */
export const DevcontainerFileSchema = z
  .object({
    image: z.string().trim().min(1).optional(),
    workspaceFolder: z.string().min(1).optional(),
    containerEnv: z.record(z.string(), z.string()).optional(),
    remoteEnv: z.record(z.string(), z.string().nullable()).optional(),
    remoteUser: z.string().min(1).optional(),
    containerUser: z.string().min(1).optional(),
    build: z.unknown().optional(),
    dockerFile: z.unknown().optional(),
    dockerComposeFile: z.unknown().optional(),
  })
  .loose();
export type DevcontainerFile = z.infer<typeof DevcontainerFileSchema>;

/** What the sandbox needs, after defaults and variable substitution. */
export interface DevcontainerSettings {
  image: string;
  /** Where the workspace is mounted in the container (absolute POSIX path). */
  workspaceFolder: string;
  containerEnv: Record<string, string>;
  /** The user commands run as, when the file names one. */
  user?: string;
  /** Where the image name came from, for messages. */
  imageSource: 'devcontainer.json' | 'setting';
  /** The file read, when there was one. */
  configPath?: string;
  /** Things that were ignored on purpose, each a sentence. */
  warnings: string[];
}

/** A devcontainer.json that cannot be used, or no image named anywhere. The message is for the user. */
export class DevcontainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevcontainerConfigError';
  }
}

export interface ReadDevcontainerOptions {
  /** The image a setting names (agentHarness.sandbox.image or --image), used when devcontainer.json names none. */
  imageSetting?: string;
}

/** The places the spec allows, in the order the Dev Containers CLI looks. */
const candidatePaths = ['.devcontainer/devcontainer.json', '.devcontainer.json'];

export async function readDevcontainerSettings(workspaceRoot: string, options: ReadDevcontainerOptions = {}): Promise<DevcontainerSettings> {
  for (const relative of candidatePaths) {
    const file = path.join(workspaceRoot, relative);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new DevcontainerConfigError(`${relative}: cannot be read (${code ?? String(error)}).`);
    }
    return resolveDevcontainer(parseDevcontainerText(text, relative), workspaceRoot, options, relative);
  }
  return resolveDevcontainer({}, workspaceRoot, options, undefined);
}

/** Parses JSONC text (comments and trailing commas allowed); any syntax error is reported with its line and column. */
export function parseDevcontainerText(text: string, fileLabel: string): DevcontainerFile {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const { line, column } = lineAndColumn(text, first.offset);
    throw new DevcontainerConfigError(`${fileLabel}: ${describeParseError(first)} at line ${line}, column ${column}.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DevcontainerConfigError(`${fileLabel}: must contain a JSON object.`);
  }
  const result = DevcontainerFileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new DevcontainerConfigError(`${fileLabel}: "${where}" ${issue.message.toLowerCase()}.`);
  }
  return result.data;
}

export function resolveDevcontainer(
  file: DevcontainerFile,
  workspaceRoot: string,
  options: ReadDevcontainerOptions,
  fileLabel: string | undefined,
): DevcontainerSettings {
  const label = fileLabel ?? 'devcontainer.json';
  const warnings: string[] = [];
  const basename = path.basename(path.resolve(workspaceRoot));
  const setting = options.imageSetting?.trim() || undefined;

  let image: string;
  let imageSource: DevcontainerSettings['imageSource'];
  const buildKind = file.dockerComposeFile !== undefined ? 'dockerComposeFile' : file.build !== undefined ? 'build' : file.dockerFile !== undefined ? 'dockerFile' : undefined;
  if (file.image) {
    image = file.image;
    imageSource = 'devcontainer.json';
  } else if (setting) {
    image = setting;
    imageSource = 'setting';
    if (buildKind) warnings.push(`${label}: "${buildKind}" is not supported yet; using the image "${setting}" from the setting instead.`);
  } else if (buildKind) {
    throw new DevcontainerConfigError(
      `${label}: uses "${buildKind}", but only "image"-based dev containers are supported for now. ` +
        'Build the image yourself (docker build -t NAME .devcontainer) and set "image": "NAME" in the file or name it in the agentHarness.sandbox.image setting (--image on the CLI).',
    );
  } else {
    throw new DevcontainerConfigError(
      fileLabel
        ? `${label}: has no "image"; add one, or name an image in the agentHarness.sandbox.image setting (--image on the CLI).`
        : 'No dev container image: the workspace has no .devcontainer/devcontainer.json and no image is set. Name one in the agentHarness.sandbox.image setting (--image on the CLI), or use local mode.',
    );
  }
  if (/\s/.test(image) || image.startsWith('-')) throw new DevcontainerConfigError(`${label}: "${image}" is not a valid image name.`);

  const vars = (name: string): string | undefined => {
    if (name === 'localWorkspaceFolderBasename' || name === 'containerWorkspaceFolderBasename') return basename;
    return undefined;
  };
  const workspaceFolder = normalizeWorkspaceFolder(substitute(file.workspaceFolder ?? `/workspaces/${basename}`, vars, warnings, `${label}: workspaceFolder`), label);

  const containerVars = (name: string): string | undefined => {
    if (name === 'containerWorkspaceFolder') return workspaceFolder;
    if (name === 'localWorkspaceFolder') return workspaceFolder;
    return vars(name);
  };
  const containerEnv: Record<string, string> = {};
  for (const [name, raw] of Object.entries(file.containerEnv ?? {})) {
    containerEnv[name] = substitute(raw, containerVars, warnings, `${label}: containerEnv.${name}`);
  }
  for (const [name, raw] of Object.entries(file.remoteEnv ?? {})) {
    if (raw === null) delete containerEnv[name];
    else containerEnv[name] = substitute(raw, containerVars, warnings, `${label}: remoteEnv.${name}`);
  }

  const user = file.remoteUser ?? file.containerUser;
  if (user !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(user)) {
    throw new DevcontainerConfigError(`${label}: "remoteUser" must be a user name or uid (optionally :group), got "${user}".`);
  }

  const settings: DevcontainerSettings = { image, workspaceFolder, containerEnv, imageSource, warnings };
  if (user !== undefined) settings.user = user;
  if (fileLabel !== undefined) settings.configPath = fileLabel;
  return settings;
}

/**
 * Replaces `${name}` variables. `${localEnv:...}` becomes empty on purpose: it would copy host
 * variables (often secrets) into the container, which the environment allowlist exists to prevent.
 */
function substitute(value: string, lookup: (name: string) => string | undefined, warnings: string[], where: string): string {
  return value.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('localEnv:') || name.startsWith('env:') || name.startsWith('containerEnv:')) {
      warnings.push(`${where}: ${whole} was replaced by an empty string; host variables are not passed into the sandbox.`);
      return '';
    }
    const found = lookup(name);
    if (found !== undefined) return found;
    warnings.push(`${where}: ${whole} is not a known variable and was left as is.`);
    return whole;
  });
}

function normalizeWorkspaceFolder(folder: string, label: string): string {
  if (!folder.startsWith('/')) throw new DevcontainerConfigError(`${label}: "workspaceFolder" must be an absolute path in the container, got "${folder}".`);
  if (/[\0\n\r:]/.test(folder)) throw new DevcontainerConfigError(`${label}: "workspaceFolder" contains a character a mount target cannot have.`);
  const normalized = path.posix.normalize(folder).replace(/\/+$/, '');
  if (normalized === '' || folder.split('/').includes('..')) {
    throw new DevcontainerConfigError(`${label}: "workspaceFolder" must be a folder below "/" without "..", got "${folder}".`);
  }
  const top = normalized.split('/')[1];
  if (top && ['proc', 'sys', 'dev', 'etc', 'bin', 'sbin', 'lib', 'lib64', 'usr'].includes(top) && normalized.split('/').length <= 2) {
    throw new DevcontainerConfigError(`${label}: "workspaceFolder" "${folder}" would hide a system folder of the container.`);
  }
  return normalized;
}

function describeParseError(error: ParseError): string {
  const name = printParseErrorCode(error.error);
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
