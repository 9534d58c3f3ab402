// What the benchmarks import from the product, bundled by loadTs.mjs.
export { runAgent } from '../../src/core/agent/loop';
export { createModelClient } from '../../src/adapters/gateway/createModelClient';
export { defineTool } from '../../src/core/tools/defineTool';
export { ToolRegistry } from '../../src/core/tools/registry';

