import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASH_WASM, TREE_SITTER_WASM, loadBashParser } from '../../../../../src/core/policy/command/bashParser';
import { locateWasmDirs } from '../../../../../src/core/policy/command/wasmLocation';
import { WASM_DIRS } from './policyHelpers';

const tmp = mkdtempSync(path.join(tmpdir(), 'ah-wasm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadBashParser', () => {
  it('loads once per set of folders and caches the parser', async () => {
    const a = loadBashParser(WASM_DIRS);
    const b = loadBashParser(WASM_DIRS);
    expect(a).toBe(b);
    const tree = (await a).parse('ls -la');
    expect(tree.rootNode.type).toBe('program');
    tree.delete();
  });

  it('loads from one folder holding both files, as the build lays out dist/', async () => {
    const dist = path.join(tmp, 'dist');
    cpSync(path.join(WASM_DIRS.find((d) => d.endsWith('web-tree-sitter')) as string, TREE_SITTER_WASM), path.join(dist, TREE_SITTER_WASM));
    cpSync(path.join(WASM_DIRS.find((d) => d.endsWith('tree-sitter-bash')) as string, BASH_WASM), path.join(dist, BASH_WASM));
    const parser = await loadBashParser([dist]);
    const tree = parser.parse('git status && ls');
    expect(tree.rootNode.firstChild?.type).toBe('list');
    tree.delete();
  });

  it('says which file is missing and where it looked, and does not cache the failure', async () => {
    const empty = path.join(tmp, 'empty');
    await expect(loadBashParser([empty])).rejects.toThrow(`cannot find ${TREE_SITTER_WASM} in ${empty}`);
    await expect(loadBashParser([empty])).rejects.toThrow(/cannot find/);
  });
});

describe('locateWasmDirs', () => {
  it('finds the two packages in node_modules above a start folder, after the folder itself', () => {
    const dirs = locateWasmDirs([path.resolve(__dirname)]);
    expect(dirs[0]).toBe(path.resolve(__dirname));
    expect(dirs.some((d) => d.endsWith(path.join('node_modules', 'web-tree-sitter')))).toBe(true);
    expect(dirs.some((d) => d.endsWith(path.join('node_modules', 'tree-sitter-bash')))).toBe(true);
  });

  it('defaults to the running code and the current directory', () => {
    expect(locateWasmDirs().some((d) => d.endsWith('tree-sitter-bash'))).toBe(true);
  });
});
