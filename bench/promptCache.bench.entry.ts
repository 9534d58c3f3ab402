// What the prompt-cache benchmark imports from the product, bundled by support/loadTs.mjs.
export { startScriptedServer } from '../test/support/scriptedServer/server';
export { createModelClient } from '../src/adapters/gateway/createModelClient';
export { runAgent } from '../src/core/agent/loop';
export { defineTool } from '../src/core/tools/defineTool';
export { ToolRegistry } from '../src/core/tools/registry';
export { estimateCost, DEFAULT_PRICES } from '../src/core/model/pricing';
export { BASE_INSTRUCTIONS } from '../src/core/agent/systemPrompt';
export { z } from 'zod';
