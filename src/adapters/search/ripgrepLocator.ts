import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { JsFileLister, type FileLister } from '../../core/tools/search/fileLister';
import { JsSearcher } from '../../core/tools/search/jsSearcher';
import type { TextSearcher } from '../../core/tools/search/textSearcher';
import { RipgrepFileLister } from './ripgrepFileLister';
import { RipgrepSearcher } from './ripgrepSearcher';

export interface RipgrepLocateOptions {
  /** An rg binary the user configured; used when it exists. */
  rgPath?: string;
  /** VS Code's `env.appRoot`, whose bundled rg is preferred over one on PATH. */
  vscodeAppRoot?: string;
  /** The PATH to search; defaults to process.env.PATH. */
  envPath?: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

export interface LocatedRipgrep {
  path: string;
  source: 'configured' | 'vscode' | 'path';
}

/**
 * Where VS Code keeps its rg, relative to appRoot, newest layouts first: code-server and recent builds
 * ship @vscode/ripgrep-universal with one folder per platform; older builds ship @vscode/ripgrep,
 * sometimes unpacked from an asar archive. code-server's appRoot may be the package root, hence the
 * `lib/vscode` variants.
 */
export function vscodeRipgrepCandidates(appRoot: string, platform: NodeJS.Platform, arch: string): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const universal = path.join('@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe);
  const classic = path.join('@vscode', 'ripgrep', 'bin', exe);
  return [
    path.join(appRoot, 'node_modules', universal),
    path.join(appRoot, 'node_modules.asar.unpacked', universal),
    path.join(appRoot, 'lib', 'vscode', 'node_modules', universal),
    path.join(appRoot, 'node_modules', classic),
    path.join(appRoot, 'node_modules.asar.unpacked', classic),
    path.join(appRoot, 'lib', 'vscode', 'node_modules', classic),
  ];
}

async function isExecutableFile(candidate: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const s = await stat(candidate);
    if (!s.isFile()) return false;
    if (platform !== 'win32') await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds rg: the configured path, else the one VS Code bundles, else `rg` on PATH; undefined when none. */
export async function locateRipgrep(opts: RipgrepLocateOptions = {}): Promise<LocatedRipgrep | undefined> {
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  if (opts.rgPath && (await isExecutableFile(opts.rgPath, platform))) return { path: opts.rgPath, source: 'configured' };
  if (opts.vscodeAppRoot) {
    for (const candidate of vscodeRipgrepCandidates(opts.vscodeAppRoot, platform, arch)) {
      if (await isExecutableFile(candidate, platform)) return { path: candidate, source: 'vscode' };
    }
  }
  const envPath = opts.envPath ?? process.env.PATH ?? '';
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of envPath.split(delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue; // A relative PATH entry would depend on the cwd: skip it.
    const candidate = path.join(dir, exe);
    if (await isExecutableFile(candidate, platform)) return { path: candidate, source: 'path' };
  }
  return undefined;
}

/** The searcher grep should use: ripgrep when one is found, else the JS searcher. */
export async function createTextSearcher(opts: RipgrepLocateOptions = {}): Promise<TextSearcher> {
  const rg = await locateRipgrep(opts);
  return rg ? new RipgrepSearcher(rg.path) : new JsSearcher();
}

/** The lister find_files should use: `rg --files` when rg is found, else the JS walker. */
export async function createFileLister(opts: RipgrepLocateOptions = {}): Promise<FileLister> {
  const rg = await locateRipgrep(opts);
  return rg ? new RipgrepFileLister(rg.path) : new JsFileLister();
}
