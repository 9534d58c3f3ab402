// The scripted model server, for benchmarks (bundled by loadTs.mjs).
export { startScriptedServer } from '../../test/support/scriptedServer/server';
