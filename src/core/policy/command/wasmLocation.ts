import { existsSync } from 'node:fs';
import path from 'node:path';
import { BASH_WASM, TREE_SITTER_WASM } from './bashParser';

/**
 * Folders that may hold the two parser wasm files, best first: each start folder itself (the bundle's
 * dist/ folder, where the build copies them), then the web-tree-sitter and tree-sitter-bash packages
 * in the nearest node_modules above it (how tests and `tsx`-style runs from source find them).
 */
export function locateWasmDirs(startDirs: readonly string[] = defaultStartDirs()): string[] {
  const found: string[] = [];
  const add = (dir: string): void => {
    if (!found.includes(dir)) found.push(dir);
  };
  for (const start of startDirs) {
    const base = path.resolve(start);
    add(base);
    for (let dir = base; ; dir = path.dirname(dir)) {
      const runtimeDir = path.join(dir, 'node_modules', 'web-tree-sitter');
      const bashDir = path.join(dir, 'node_modules', 'tree-sitter-bash');
      if (existsSync(path.join(runtimeDir, TREE_SITTER_WASM)) && existsSync(path.join(bashDir, BASH_WASM))) {
        add(runtimeDir);
        add(bashDir);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return found;
}

/**
 * Where the running code lives: the bundle's folder (`__dirname` in the CommonJS bundle, which is
 * dist/), the entry script's folder, and the current directory as a last resort.
 */
export function defaultStartDirs(): string[] {
  const dirs: string[] = [];
  if (typeof __dirname === 'string') dirs.push(__dirname);
  const entry = process.argv[1];
  if (entry) dirs.push(path.dirname(path.resolve(entry)));
  dirs.push(process.cwd());
  return dirs;
}
