// What bench/editMatch.bench.mjs measures, bundled by esbuild: the edit matcher the edit_file tool uses.
export { applyEdit } from '../src/core/edits/match';
