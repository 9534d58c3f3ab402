// What the gateway overhead benchmark imports from the product, bundled by support/loadTs.mjs.
export { startScriptedServer } from '../test/support/scriptedServer/server';
export { createModelClient } from '../src/adapters/gateway/createModelClient';
export { createResilientModelClient } from '../src/adapters/gateway/resilience/createResilientClient';
export { ResilientModelClient } from '../src/core/model/resilience/resilientModelClient';
export { BreakerRegistry } from '../src/core/model/resilience/circuitBreaker';
export { RateLimiter } from '../src/core/model/resilience/rateLimiter';
export { systemResilienceClock } from '../src/core/model/resilience/resilienceClock';
export { BudgetGuard } from '../src/core/model/budgets';
export { UsageLedger } from '../src/adapters/ledger/usageLedger';
export { JsonlTraceWriter } from '../src/adapters/trace/jsonlTraceWriter';
export { TraceRecorder } from '../src/core/trace/traceRecorder';
export { RunContextTracker } from '../src/core/trace/runContext';
export { createRedactor } from '../src/core/trace/redact';
export { FakeModelClient } from '../src/core/model/fakeModelClient';
