import { realpath, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cliIo';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with its complaints turned into a one-line usage error. */
export function parseCliArgs<const O extends Options, const P extends boolean>(argv: string[], options: O, allowPositionals: P) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The real path of the workspace folder, or a usage error saying why it cannot be one. */
export async function resolveWorkspace(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if (!(await stat(real)).isDirectory()) throw new UsageError(`workspace ${dir} is not a directory`);
    return real;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`workspace ${dir} does not exist`);
  }
}
