import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Tree } from 'web-tree-sitter';

/**
 * The bash grammar behind the command policy.
 *
 * Why tree-sitter-bash (through web-tree-sitter) and not shell-quote or bash-parser: shell-quote only
 * tokenises, so it cannot tell `a; b` inside `$( )` from a real separator and it silently drops
 * constructs it does not know; bash-parser is unmaintained and throws on plenty of valid bash. The
 * tree-sitter grammar covers the whole language (substitutions, heredocs, redirections, compound
 * commands), marks what it could not parse with ERROR and MISSING nodes instead of guessing, and runs
 * as WebAssembly, so the same parser works in the extension host, the CLI and tests without a native
 * build. The policy walks the tree with an explicit list of node types it understands; anything else
 * is treated as unproven, which is what "parse, don't pattern-match" needs.
 */

export const TREE_SITTER_WASM = 'tree-sitter.wasm';
export const BASH_WASM = 'tree-sitter-bash.wasm';

export interface BashParser {
  /** Parses a command line. The caller must call `tree.delete()` (the tree lives in wasm memory). */
  parse(source: string): Tree;
}

let runtime: Promise<void> | undefined;
const parsers = new Map<string, Promise<BashParser>>();

/**
 * Loads the parser once per set of folders and caches it. `wasmDirs` are the folders that hold
 * `tree-sitter.wasm` and `tree-sitter-bash.wasm` (the build copies both into dist/; tests point at the
 * two packages in node_modules); each file is taken from the first folder that has it.
 */
export function loadBashParser(wasmDirs: readonly string[]): Promise<BashParser> {
  const key = wasmDirs.join('\u0000');
  let cached = parsers.get(key);
  if (!cached) {
    cached = createParser(wasmDirs);
    // A failed load (a missing file) must not poison the cache: the next call tries again.
    cached.catch(() => parsers.delete(key));
    parsers.set(key, cached);
  }
  return cached;
}

async function createParser(wasmDirs: readonly string[]): Promise<BashParser> {
  const runtimeWasm = findFile(wasmDirs, TREE_SITTER_WASM);
  const bashWasm = findFile(wasmDirs, BASH_WASM);
  // Loaded on the first line that needs the grammar: a plain command never does (plainLine.ts).
  const { Language, Parser } = await import('web-tree-sitter');
  // The emscripten runtime is process-wide: it is initialised once, whichever folder asked first.
  runtime ??= Parser.init({ locateFile: () => runtimeWasm }).catch((e: unknown) => {
    runtime = undefined;
    throw e;
  });
  await runtime;
  const language = await Language.load(bashWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(source: string): Tree {
      const tree = parser.parse(source);
      if (!tree) throw new Error('the bash parser returned no tree');
      return tree;
    },
  };
}

function findFile(dirs: readonly string[], name: string): string {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${name} in ${dirs.length ? dirs.join(', ') : '(no folders given)'}; the build copies it next to the bundle`);
}
