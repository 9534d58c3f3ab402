// What bench/grep.bench.mjs measures, bundled by esbuild: the product's grep tool and both searchers.
export { PathGuard } from '../src/core/policy/pathGuard';
export { createGrepTool } from '../src/core/tools/grep';
export { ToolRegistry } from '../src/core/tools/registry';
export { JsSearcher } from '../src/core/tools/search/jsSearcher';
export { RipgrepSearcher } from '../src/adapters/search/ripgrepSearcher';
export { locateRipgrep } from '../src/adapters/search/ripgrepLocator';
