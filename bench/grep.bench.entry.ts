// What bench/grep.bench.mjs and bench/listDir.bench.mjs measure, bundled by esbuild: the product's grep, find_files and list_dir tools.
export { PathGuard } from '../src/core/policy/pathGuard';
export { createGrepTool } from '../src/core/tools/grep';
export { ToolRegistry } from '../src/core/tools/registry';
export { JsSearcher } from '../src/core/tools/search/jsSearcher';
export { RipgrepSearcher } from '../src/adapters/search/ripgrepSearcher';
export { locateRipgrep } from '../src/adapters/search/ripgrepLocator';
export { createFindFilesTool } from '../src/core/tools/findFiles';
export { JsFileLister } from '../src/core/tools/search/fileLister';
export { RipgrepFileLister } from '../src/adapters/search/ripgrepFileLister';
export { createListDirTool } from '../src/core/tools/listDir';
